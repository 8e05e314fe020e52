CREATE TABLE "timers" (
	"kind" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"slot" bigint NOT NULL,
	"due_at" bigint NOT NULL,
	"lease_until" bigint,
	"done_at" bigint,
	CONSTRAINT "timers_kind_key_slot_pk" PRIMARY KEY("kind","key","slot")
);
--> statement-breakpoint
CREATE INDEX "timers_due" ON "timers" USING btree ("due_at") WHERE done_at IS NULL;