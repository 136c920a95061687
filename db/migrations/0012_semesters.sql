CREATE TABLE `post_rechecks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`semester_id` integer NOT NULL,
	`declaration_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`phase_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`opened_at` integer NOT NULL,
	FOREIGN KEY (`semester_id`) REFERENCES `semesters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`declaration_id`) REFERENCES `post_declarations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_rechecks_uq` ON `post_rechecks` (`semester_id`,`declaration_id`);--> statement-breakpoint
CREATE INDEX `post_rechecks_phase_ix` ON `post_rechecks` (`phase_id`);--> statement-breakpoint
CREATE TABLE `semesters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`school_year` text NOT NULL,
	`term` integer NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`recheck_from` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `semesters_term_uq` ON `semesters` (`platform`,`tenant_key`,`school_year`,`term`);--> statement-breakpoint
ALTER TABLE `post_declarations` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `post_declarations` ADD `revoked_by` text;--> statement-breakpoint
ALTER TABLE `post_declarations` ADD `revoke_reason` text;