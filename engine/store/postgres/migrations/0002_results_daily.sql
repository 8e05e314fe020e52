-- Daily counters of the results ledger (spec §4), kept in the commit that writes the ledger rows they count,
-- so a report reads whole days from them and only its edge days entry by entry (engine/store/results-days.ts);
-- partial indexes that hold the report's delivered and exited counts; and the counters' back-fill from the
-- ledger as it stands (the SQLite store's migration 0005 does the same).
CREATE TABLE "result_daily" (
	"journey_id" text COLLATE "C" NOT NULL,
	"day" integer NOT NULL,
	"version_id" bigint NOT NULL,
	"node_id" text COLLATE "C" NOT NULL,
	"arm" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"entered" bigint DEFAULT 0 NOT NULL,
	"converted" bigint DEFAULT 0 NOT NULL,
	"revenue" double precision DEFAULT 0 NOT NULL,
	"revenue_squares" double precision DEFAULT 0 NOT NULL,
	"window_end_max" bigint NOT NULL,
	CONSTRAINT "result_daily_pk" PRIMARY KEY("journey_id","day","version_id","node_id","arm","reason")
);
--> statement-breakpoint
CREATE TABLE "result_daily_conversions" (
	"journey_id" text COLLATE "C" NOT NULL,
	"day" integer NOT NULL,
	"version_id" bigint NOT NULL,
	"node_id" text COLLATE "C" NOT NULL,
	"arm" text COLLATE "C" NOT NULL,
	"conv_day" integer NOT NULL,
	"converted" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "result_daily_conversions_pk" PRIMARY KEY("journey_id","day","version_id","node_id","arm","conv_day")
);
--> statement-breakpoint
CREATE INDEX "outbox_journey_sent" ON "outbox" USING btree ("journey_id","delivered_at","run_id") WHERE status = 'sent';--> statement-breakpoint
CREATE INDEX "runs_journey_exited" ON "runs" USING btree ("journey_id","ended_at","entered_at","version_id") WHERE status = 'exited';--> statement-breakpoint
INSERT INTO "result_daily" (journey_id, day, version_id, node_id, arm, reason, entered, converted, revenue, revenue_squares, window_end_max)
SELECT journey_id, ((entered_at - ((entered_at % 86400000) + 86400000) % 86400000) / 86400000)::int, version_id, '', '', '', count(*), count(converted_at),
	coalesce(sum(revenue) FILTER (WHERE converted_at IS NOT NULL), 0),
	coalesce(sum(revenue * revenue) FILTER (WHERE converted_at IS NOT NULL), 0), max(window_end)
FROM result_entries GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO "result_daily" (journey_id, day, version_id, node_id, arm, reason, entered, converted, revenue, revenue_squares, window_end_max)
SELECT journey_id, ((entered_at - ((entered_at % 86400000) + 86400000) % 86400000) / 86400000)::int, version_id, node_id, arm, reason, count(*), count(converted_at),
	coalesce(sum(revenue) FILTER (WHERE converted_at IS NOT NULL), 0),
	coalesce(sum(revenue * revenue) FILTER (WHERE converted_at IS NOT NULL), 0), max(window_end)
FROM result_assignments GROUP BY 1, 2, 3, 4, 5, 6;--> statement-breakpoint
INSERT INTO "result_daily_conversions" (journey_id, day, version_id, node_id, arm, conv_day, converted)
SELECT journey_id, ((entered_at - ((entered_at % 86400000) + 86400000) % 86400000) / 86400000)::int, version_id, node_id, arm, ((converted_at - ((converted_at % 86400000) + 86400000) % 86400000) / 86400000)::int, count(*)
FROM result_assignments WHERE converted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
