CREATE TABLE `web_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text,
	`chat_id` text NOT NULL,
	`from_user` text,
	`content` text NOT NULL,
	`reply_to` integer,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `web_messages_dedupe_uq` ON `web_messages` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `web_messages_chat_ix` ON `web_messages` (`chat_id`,`id`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `chat_id` text;--> statement-breakpoint
UPDATE `outbox` SET `receive_id_type` = 'late' WHERE `receive_id_type` = 'card-token';