DROP INDEX `outbox_due_ix`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `priority` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_due_ix` ON `outbox` (`status`,`priority`,`not_before`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_processed_events` (
	`platform` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text DEFAULT 'done' NOT NULL,
	`payload` text,
	`claimed_by` text,
	`claimed_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`done_at` integer,
	PRIMARY KEY(`platform`, `event_id`)
);
--> statement-breakpoint
INSERT INTO `__new_processed_events`("platform", "event_id", "received_at") SELECT "platform", "event_id", "received_at" FROM `processed_events`;--> statement-breakpoint
DROP TABLE `processed_events`;--> statement-breakpoint
ALTER TABLE `__new_processed_events` RENAME TO `processed_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `processed_events_received_ix` ON `processed_events` (`received_at`);--> statement-breakpoint
CREATE INDEX `processed_events_pending_ix` ON `processed_events` (`claimed_until`) WHERE status = 'pending';--> statement-breakpoint
ALTER TABLE `audit_log` ADD `event_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_event_uq` ON `audit_log` (`platform`,`event_id`,`action`,`target`);