CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`traits` text DEFAULT '{}' NOT NULL,
	`state` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `entries` (
	`journey_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`last_entered_at` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`journey_id`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`message_id` text,
	`customer_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`ts` integer NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_message_id` ON `events` (`message_id`);--> statement-breakpoint
CREATE INDEX `events_customer_name_ts` ON `events` (`customer_id`,`name`,`ts`);--> statement-breakpoint
CREATE TABLE `journey_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`doc` text NOT NULL,
	`pins` text DEFAULT '{}' NOT NULL,
	`published_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journey_versions_journey_version` ON `journey_versions` (`journey_id`,`version`);--> statement-breakpoint
CREATE TABLE `journeys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`draft` text NOT NULL,
	`live_version_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`run_id` integer NOT NULL,
	`journey_id` text NOT NULL,
	`version_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`visit` integer NOT NULL,
	`customer_id` text NOT NULL,
	`action` text NOT NULL,
	`channel` text,
	`template` text,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	`response` text,
	`error` text,
	`resumes_run` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`next_attempt_at`) WHERE status IN ('pending', 'retry');--> statement-breakpoint
CREATE INDEX `outbox_customer_channel` ON `outbox` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_journey` ON `outbox` (`journey_id`,`status`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`journey_id` text NOT NULL,
	`version_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`node_id` text NOT NULL,
	`port` text,
	`due_at` integer,
	`held` integer DEFAULT 0 NOT NULL,
	`wait_event` text,
	`wait_since` integer,
	`wait_until` integer,
	`visits` text DEFAULT '{}' NOT NULL,
	`ctx` text DEFAULT '{}' NOT NULL,
	`entered_at` integer NOT NULL,
	`ended_at` integer,
	`outcome` text,
	`step_seq` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`lease_owner` text
);
--> statement-breakpoint
CREATE INDEX `runs_due` ON `runs` (`due_at`) WHERE due_at IS NOT NULL AND held = 0;--> statement-breakpoint
CREATE INDEX `runs_customer` ON `runs` (`customer_id`,`journey_id`);--> statement-breakpoint
CREATE INDEX `runs_journey_status` ON `runs` (`journey_id`,`status`,`node_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `runs_one_active` ON `runs` (`journey_id`,`customer_id`) WHERE status IN ('ready', 'waiting', 'acting');--> statement-breakpoint
CREATE TABLE `steps` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` integer NOT NULL,
	`journey_id` text NOT NULL,
	`version_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`node_id` text NOT NULL,
	`node_type` text NOT NULL,
	`visit` integer NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`due_at` integer,
	`port` text,
	`outcome` text NOT NULL,
	`reason` text,
	`detail` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `steps_run_seq` ON `steps` (`run_id`,`seq`);--> statement-breakpoint
CREATE INDEX `steps_journey_at` ON `steps` (`journey_id`,`at`);--> statement-breakpoint
CREATE INDEX `steps_customer` ON `steps` (`customer_id`,`at`);