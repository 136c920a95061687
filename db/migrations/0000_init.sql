CREATE TABLE `assessment_answers` (
	`assessment_id` integer NOT NULL,
	`item_no` integer NOT NULL,
	`part` integer DEFAULT 0 NOT NULL,
	`score` real,
	`flag` integer,
	`note` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`assessment_id`, `item_no`, `part`),
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `assessment_submissions` (
	`assessment_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`rubric_id` text NOT NULL,
	`rubric_version` integer NOT NULL,
	`answers` text NOT NULL,
	`total` real NOT NULL,
	`vetoed` integer NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`assessment_id`, `revision`),
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `assessments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`phase_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`branch_id` integer,
	`rater` text NOT NULL,
	`rater_id` text NOT NULL,
	`rubric_id` text NOT NULL,
	`rubric_version` integer NOT NULL,
	`pages_done` text DEFAULT '[]' NOT NULL,
	`dirty` integer DEFAULT true NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`submitted_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessments_uq` ON `assessments` (`phase_id`,`member_id`,`rater`,`rater_id`);--> statement-breakpoint
CREATE INDEX `assessments_branch_ix` ON `assessments` (`phase_id`,`branch_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE TABLE `branches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`name` text NOT NULL,
	`chat_id` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `branches_name_uq` ON `branches` (`platform`,`tenant_key`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `branches_chat_uq` ON `branches` (`platform`,`chat_id`);--> statement-breakpoint
CREATE TABLE `campaign_phases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`task` text NOT NULL,
	`respond` text,
	`round` integer,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_phases_seq_uq` ON `campaign_phases` (`campaign_id`,`seq`);--> statement-breakpoint
CREATE TABLE `campaign_roster` (
	`campaign_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`branch_id` integer,
	`role` text NOT NULL,
	`added_at` integer NOT NULL,
	`removed_at` integer,
	PRIMARY KEY(`campaign_id`, `member_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaign_roster_branch_ix` ON `campaign_roster` (`campaign_id`,`branch_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`template_id` text NOT NULL,
	`template_version` integer NOT NULL,
	`template` text NOT NULL,
	`title` text NOT NULL,
	`starts_on` text NOT NULL,
	`timezone` text NOT NULL,
	`blackouts` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `criteria_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`phase_id` integer NOT NULL,
	`kind` text NOT NULL,
	`owner_key` text NOT NULL,
	`branch_id` integer,
	`member_id` integer,
	`criteria_id` text NOT NULL,
	`criteria_version` integer NOT NULL,
	`answers` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`submitted_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `criteria_checks_owner_uq` ON `criteria_checks` (`phase_id`,`owner_key`);--> statement-breakpoint
CREATE TABLE `declaration_lists` (
	`phase_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`member_ids` text NOT NULL,
	`confirmed_by` text NOT NULL,
	`confirmed_at` integer NOT NULL,
	PRIMARY KEY(`phase_id`, `branch_id`, `revision`),
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `leader_links` (
	`leader_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`leader_id`, `branch_id`),
	FOREIGN KEY (`leader_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `leader_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`phase_id` integer NOT NULL,
	`leader_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`grades` text NOT NULL,
	`strengths` text NOT NULL,
	`problems` text NOT NULL,
	`direction` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leader_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `leader_reviews_uq` ON `leader_reviews` (`phase_id`,`leader_id`,`branch_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`branch_id` integer,
	`role` text DEFAULT 'member' NOT NULL,
	`joined_party_on` text,
	`anniversary_opt_out` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_user_uq` ON `members` (`platform`,`tenant_key`,`user_id`);--> statement-breakpoint
CREATE INDEX `members_branch_ix` ON `members` (`branch_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`platform` text NOT NULL,
	`receive_id_type` text NOT NULL,
	`receive_id` text NOT NULL,
	`msg_type` text NOT NULL,
	`content` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer NOT NULL,
	`expires_at` integer,
	`campaign_id` integer,
	`last_error` text,
	`message_id` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_uq` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_ix` ON `outbox` (`status`,`not_before`);--> statement-breakpoint
CREATE INDEX `outbox_campaign_ix` ON `outbox` (`campaign_id`,`status`);--> statement-breakpoint
CREATE TABLE `phase_responses` (
	`phase_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`phase_id`, `member_id`),
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pledge_progress` (
	`pledge_id` integer NOT NULL,
	`item_no` integer NOT NULL,
	`phase_id` integer NOT NULL,
	`status` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`reported_at` integer NOT NULL,
	`checked_by` text,
	`checked_at` integer,
	`check_comment` text,
	PRIMARY KEY(`pledge_id`, `item_no`, `phase_id`),
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pledge_revisions` (
	`pledge_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`items` text NOT NULL,
	`submitted_by` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`pledge_id`, `revision`),
	FOREIGN KEY (`pledge_id`) REFERENCES `pledges`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pledge_walls` (
	`phase_id` integer NOT NULL,
	`branch_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`page` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`phase_id`, `branch_id`),
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `pledges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`phase_id` integer NOT NULL,
	`kind` text NOT NULL,
	`owner_key` text NOT NULL,
	`member_id` integer,
	`branch_id` integer,
	`items` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`submitted_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledges_owner_uq` ON `pledges` (`phase_id`,`owner_key`);--> statement-breakpoint
CREATE INDEX `pledges_branch_ix` ON `pledges` (`phase_id`,`branch_id`);--> statement-breakpoint
CREATE TABLE `post_declarations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`phase_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`branch_id` integer,
	`post_kind` text NOT NULL,
	`statement` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL,
	`awarded_at` integer,
	`awarded_by` text,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_declarations_member_uq` ON `post_declarations` (`phase_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `post_declarations_branch_ix` ON `post_declarations` (`phase_id`,`branch_id`);--> statement-breakpoint
CREATE INDEX `post_declarations_campaign_ix` ON `post_declarations` (`campaign_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `processed_events_received_ix` ON `processed_events` (`received_at`);--> statement-breakpoint
CREATE TABLE `review_ballots` (
	`round_id` integer NOT NULL,
	`tag` text NOT NULL,
	`ratee_id` integer NOT NULL,
	`grade` text NOT NULL,
	`s1` integer,
	`s2` integer,
	`s3` integer,
	`s4` integer,
	`s5` integer,
	`comment` text,
	PRIMARY KEY(`round_id`, `tag`),
	FOREIGN KEY (`round_id`) REFERENCES `review_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ratee_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `review_ballots_ratee_ix` ON `review_ballots` (`round_id`,`ratee_id`);--> statement-breakpoint
CREATE TABLE `review_round_members` (
	`round_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	PRIMARY KEY(`round_id`, `member_id`),
	FOREIGN KEY (`round_id`) REFERENCES `review_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`branch_id` integer NOT NULL,
	`phase_id` integer,
	`criteria` text NOT NULL,
	`min_ballots` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`opened_by` text NOT NULL,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`last_remind_at` integer,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`phase_id`) REFERENCES `campaign_phases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_rounds_phase_uq` ON `review_rounds` (`phase_id`,`branch_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `review_rounds_open_uq` ON `review_rounds` (`branch_id`) WHERE status = 'open';--> statement-breakpoint
CREATE TABLE `review_voters` (
	`round_id` integer NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`round_id`, `tag`),
	FOREIGN KEY (`round_id`) REFERENCES `review_rounds`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `tenants` (
	`platform` text NOT NULL,
	`tenant_key` text NOT NULL,
	`name` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`platform`, `tenant_key`)
);
