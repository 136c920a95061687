CREATE TABLE `survey_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`survey_id` integer NOT NULL,
	`rating` text NOT NULL,
	`criteria` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`voter_tag` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_answers_voter_uq` ON `survey_answers` (`survey_id`,`voter_tag`);--> statement-breakpoint
CREATE INDEX `survey_answers_survey_ix` ON `survey_answers` (`survey_id`);--> statement-breakpoint
CREATE TABLE `survey_codes` (
	`survey_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` integer,
	PRIMARY KEY(`survey_id`, `code_hash`),
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`branch_id` integer NOT NULL,
	`campaign_id` integer,
	`phase_id` integer,
	`title` text NOT NULL,
	`mode` text NOT NULL,
	`criteria` text NOT NULL,
	`threshold` integer NOT NULL,
	`min_sample` integer NOT NULL,
	`rate_rule` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`opened_by` text NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action
);
