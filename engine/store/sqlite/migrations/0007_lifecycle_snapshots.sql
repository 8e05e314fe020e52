-- The lifecycle overview's daily snapshots (engine/customer/overview): one row per day × dimension × bucket,
-- a day replaced as a whole when it is taken again. Small: about 80 rows a day whatever the base's size.
CREATE TABLE `lifecycle_snapshots` (
	`day` integer NOT NULL,
	`dimension` text NOT NULL,
	`bucket` text NOT NULL,
	`customers` integer NOT NULL,
	`value` real NOT NULL,
	`clv` real NOT NULL,
	`taken_at` integer NOT NULL,
	PRIMARY KEY (`day`, `dimension`, `bucket`)
) WITHOUT ROWID;
