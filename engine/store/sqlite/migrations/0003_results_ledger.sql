-- The results ledger (spec §4), written in the same transaction as the runs, steps and events it describes.
-- Kept out of the drizzle schema on purpose: both tables are WITHOUT ROWID, clustered by (journey, entry
-- time) so a report over a time range reads one contiguous stretch of each table.
CREATE TABLE `result_entries` (
	`journey_id` text NOT NULL,
	`entered_at` integer NOT NULL,
	`run_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`goal_event` text,
	`window_end` integer NOT NULL,
	`converted_at` integer,
	`revenue` real NOT NULL DEFAULT 0,
	PRIMARY KEY (`journey_id`, `entered_at`, `run_id`)
) WITHOUT ROWID;--> statement-breakpoint
CREATE UNIQUE INDEX `result_entries_run` ON `result_entries` (`run_id`);--> statement-breakpoint
CREATE INDEX `result_entries_open` ON `result_entries` (`customer_id`, `window_end`) WHERE converted_at IS NULL AND goal_event IS NOT NULL;--> statement-breakpoint
CREATE TABLE `result_assignments` (
	`journey_id` text NOT NULL,
	`entered_at` integer NOT NULL,
	`run_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`arm` text NOT NULL,
	`reason` text NOT NULL,
	`version_id` integer NOT NULL,
	`window_end` integer NOT NULL,
	`converted_at` integer,
	`revenue` real NOT NULL DEFAULT 0,
	PRIMARY KEY (`journey_id`, `entered_at`, `run_id`, `node_id`)
) WITHOUT ROWID;--> statement-breakpoint
CREATE INDEX `result_assignments_run` ON `result_assignments` (`run_id`);
