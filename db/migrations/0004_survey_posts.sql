ALTER TABLE `surveys` ADD `member_id` integer REFERENCES members(id);--> statement-breakpoint
ALTER TABLE `surveys` ADD `post_title` text;