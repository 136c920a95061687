CREATE TABLE `commend_nominees` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`commendation_id` integer NOT NULL,
	`title_id` text NOT NULL,
	`title_name` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` integer NOT NULL,
	`name` text NOT NULL,
	`branch` text NOT NULL,
	`post_kind` text,
	`score` real,
	`rank` integer,
	`status` text DEFAULT 'nominated' NOT NULL,
	`nominated_by` text NOT NULL,
	`nominated_at` integer NOT NULL,
	`reason` text,
	FOREIGN KEY (`commendation_id`) REFERENCES `commendations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commend_nominees_uq` ON `commend_nominees` (`commendation_id`,`title_id`,`subject_id`);--> statement-breakpoint
CREATE INDEX `commend_nominees_ix` ON `commend_nominees` (`commendation_id`,`status`);--> statement-breakpoint
CREATE TABLE `commend_objections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`commendation_id` integer NOT NULL,
	`nominee_id` integer,
	`text` text NOT NULL,
	`name` text,
	`contact` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`commendation_id`) REFERENCES `commendations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`nominee_id`) REFERENCES `commend_nominees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `commend_votes` (
	`nominee_id` integer NOT NULL,
	`voter_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`vote` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`nominee_id`, `voter_id`, `revision`),
	FOREIGN KEY (`nominee_id`) REFERENCES `commend_nominees`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voter_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `commendations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`round` integer DEFAULT 1 NOT NULL,
	`stage` text DEFAULT 'nominating' NOT NULL,
	`formula` text NOT NULL,
	`publicity_days` integer NOT NULL,
	`publicity_from` integer,
	`publicity_to` integer,
	`opened_by` text NOT NULL,
	`opened_at` integer NOT NULL,
	`confirmed_by` text,
	`confirmed_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commendations_round_uq` ON `commendations` (`campaign_id`,`round`);