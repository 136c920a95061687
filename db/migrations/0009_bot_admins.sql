CREATE TABLE `bot_admins` (
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`granted_by` text NOT NULL,
	`granted_at` integer NOT NULL,
	`revoked_by` text,
	`revoked_at` integer,
	PRIMARY KEY(`platform`, `tenant_key`, `user_id`)
);
