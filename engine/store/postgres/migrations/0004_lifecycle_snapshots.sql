-- The lifecycle overview's daily snapshots (engine/customer/overview): one row per day × dimension × bucket,
-- a day replaced as a whole when it is taken again (the SQLite store's migration 0007 does the same).
CREATE TABLE "lifecycle_snapshots" (
	"day" integer NOT NULL,
	"dimension" text COLLATE "C" NOT NULL,
	"bucket" text COLLATE "C" NOT NULL,
	"customers" bigint NOT NULL,
	"value" double precision NOT NULL,
	"clv" double precision NOT NULL,
	"taken_at" bigint NOT NULL,
	CONSTRAINT "lifecycle_snapshots_pk" PRIMARY KEY("day","dimension","bucket")
);
