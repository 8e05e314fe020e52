-- Daily counters of the results ledger (spec §4), kept in the commit that writes the ledger rows they count,
-- so a report reads whole days from here and only its edge days entry by entry (engine/store/results-days.ts).
-- node_id, arm and reason are '' in a journey's whole-journey cells. The back-fill below counts the ledger as
-- it stands (the same statements as REBUILD_COUNTERS in engine/store/sqlite/results-counters.ts).
CREATE TABLE `result_daily` (
	`journey_id` text NOT NULL,
	`day` integer NOT NULL,
	`version_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`arm` text NOT NULL,
	`reason` text NOT NULL,
	`entered` integer NOT NULL DEFAULT 0,
	`converted` integer NOT NULL DEFAULT 0,
	`revenue` real NOT NULL DEFAULT 0,
	`revenue_squares` real NOT NULL DEFAULT 0,
	`window_end_max` integer NOT NULL,
	PRIMARY KEY (`journey_id`, `day`, `version_id`, `node_id`, `arm`, `reason`)
) WITHOUT ROWID;--> statement-breakpoint
CREATE TABLE `result_daily_conversions` (
	`journey_id` text NOT NULL,
	`day` integer NOT NULL,
	`version_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`arm` text NOT NULL,
	`conv_day` integer NOT NULL,
	`converted` integer NOT NULL DEFAULT 0,
	PRIMARY KEY (`journey_id`, `day`, `version_id`, `node_id`, `arm`, `conv_day`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `result_daily` (journey_id, day, version_id, node_id, arm, reason, entered, converted, revenue, revenue_squares, window_end_max)
SELECT journey_id, ((entered_at - ((entered_at % 86400000) + 86400000) % 86400000) / 86400000), version_id, '', '', '', count(*), count(converted_at),
	coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue END), 0),
	coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue * revenue END), 0), max(window_end)
FROM result_entries GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO `result_daily` (journey_id, day, version_id, node_id, arm, reason, entered, converted, revenue, revenue_squares, window_end_max)
SELECT journey_id, ((entered_at - ((entered_at % 86400000) + 86400000) % 86400000) / 86400000), version_id, node_id, arm, reason, count(*), count(converted_at),
	coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue END), 0),
	coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue * revenue END), 0), max(window_end)
FROM result_assignments GROUP BY 1, 2, 3, 4, 5, 6;--> statement-breakpoint
INSERT INTO `result_daily_conversions` (journey_id, day, version_id, node_id, arm, conv_day, converted)
SELECT journey_id, ((entered_at - ((entered_at % 86400000) + 86400000) % 86400000) / 86400000), version_id, node_id, arm, ((converted_at - ((converted_at % 86400000) + 86400000) % 86400000) / 86400000), count(*)
FROM result_assignments WHERE converted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;--> statement-breakpoint
-- The report's delivered and exited counts, read from the index alone whatever the journey's size.
CREATE INDEX `outbox_journey_sent` ON `outbox` (`journey_id`, `delivered_at`, `run_id`) WHERE status = 'sent';--> statement-breakpoint
CREATE INDEX `runs_journey_exited` ON `runs` (`journey_id`, `ended_at`, `entered_at`, `version_id`) WHERE status = 'exited';
