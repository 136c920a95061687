CREATE TABLE `roster_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`user_id` text NOT NULL,
	`branch_id` integer,
	`file_name` text NOT NULL,
	`rows` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`applied_at` integer,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `members` ADD `committee` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `political_status` text DEFAULT 'full' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `employee_no` text;--> statement-breakpoint
ALTER TABLE `members` ADD `mobile` text;--> statement-breakpoint
ALTER TABLE `members` ADD `title` text;--> statement-breakpoint
ALTER TABLE `members` ADD `awaiting_chat` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `campaign_roster` ADD `committee` integer DEFAULT false NOT NULL;