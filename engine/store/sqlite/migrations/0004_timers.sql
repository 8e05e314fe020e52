-- Recurring work as rows with due times (audience slots, the nightly recompute, housekeeping), claimed by the
-- scheduler. The primary key makes a slot fire once, however often it is scheduled and by however many workers.
CREATE TABLE `timers` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`slot` integer NOT NULL,
	`due_at` integer NOT NULL,
	`lease_until` integer,
	`done_at` integer,
	PRIMARY KEY (`kind`, `key`, `slot`)
) WITHOUT ROWID;--> statement-breakpoint
CREATE INDEX `timers_due` ON `timers` (`due_at`) WHERE done_at IS NULL;
