CREATE TABLE "coupon_codes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"offer" text COLLATE "C" NOT NULL,
	"code" text COLLATE "C" NOT NULL,
	"issued_key" text COLLATE "C",
	"customer_id" text COLLATE "C",
	"issued_at" bigint
);
--> statement-breakpoint
CREATE TABLE "coupon_pools" (
	"offer" text COLLATE "C" PRIMARY KEY NOT NULL,
	"pattern" text COLLATE "C",
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"traits" json DEFAULT '{}'::json NOT NULL,
	"state" json DEFAULT '{}'::json NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"journey_id" text COLLATE "C" NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"last_entered_at" bigint NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "entries_journey_id_customer_id_pk" PRIMARY KEY("journey_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"message_id" text COLLATE "C",
	"customer_id" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"properties" json DEFAULT '{}'::json NOT NULL,
	"ts" bigint NOT NULL,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "id_blocks" (
	"name" text COLLATE "C" PRIMARY KEY NOT NULL,
	"next" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"journey_id" text COLLATE "C" NOT NULL,
	"version" integer NOT NULL,
	"doc" json NOT NULL,
	"pins" json DEFAULT '{}'::json NOT NULL,
	"published_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"draft" json NOT NULL,
	"live_version_id" bigint,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text COLLATE "C" NOT NULL,
	"run_id" bigint NOT NULL,
	"journey_id" text COLLATE "C" NOT NULL,
	"version_id" bigint NOT NULL,
	"node_id" text COLLATE "C" NOT NULL,
	"visit" integer NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"action" text COLLATE "C" NOT NULL,
	"channel" text COLLATE "C",
	"template" text COLLATE "C",
	"payload" json NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint,
	"lease_until" bigint,
	"created_at" bigint NOT NULL,
	"delivered_at" bigint,
	"response" json,
	"error" text COLLATE "C",
	"resumes_run" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_assignments" (
	"journey_id" text COLLATE "C" NOT NULL,
	"entered_at" bigint NOT NULL,
	"run_id" bigint NOT NULL,
	"node_id" text COLLATE "C" NOT NULL,
	"arm" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"version_id" bigint NOT NULL,
	"window_end" bigint NOT NULL,
	"converted_at" bigint,
	"revenue" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "result_assignments_journey_id_entered_at_run_id_node_id_pk" PRIMARY KEY("journey_id","entered_at","run_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "result_entries" (
	"journey_id" text COLLATE "C" NOT NULL,
	"entered_at" bigint NOT NULL,
	"run_id" bigint NOT NULL,
	"version_id" bigint NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"goal_event" text COLLATE "C",
	"window_end" bigint NOT NULL,
	"converted_at" bigint,
	"revenue" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "result_entries_journey_id_entered_at_run_id_pk" PRIMARY KEY("journey_id","entered_at","run_id")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" bigint PRIMARY KEY NOT NULL,
	"journey_id" text COLLATE "C" NOT NULL,
	"version_id" bigint NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"node_id" text COLLATE "C" NOT NULL,
	"port" text COLLATE "C",
	"due_at" bigint,
	"held" boolean DEFAULT false NOT NULL,
	"wait_event" text COLLATE "C",
	"wait_since" bigint,
	"wait_until" bigint,
	"visits" json DEFAULT '{}'::json NOT NULL,
	"ctx" json DEFAULT '{}'::json NOT NULL,
	"entered_at" bigint NOT NULL,
	"ended_at" bigint,
	"outcome" text COLLATE "C",
	"step_seq" integer DEFAULT 0 NOT NULL,
	"lease_until" bigint,
	"lease_owner" text COLLATE "C"
);
--> statement-breakpoint
CREATE TABLE "srv_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"user_id" text COLLATE "C",
	"action" text COLLATE "C" NOT NULL,
	"target" text COLLATE "C",
	"detail" json
);
--> statement-breakpoint
CREATE TABLE "srv_meta" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "srv_sessions" (
	"token_hash" text COLLATE "C" PRIMARY KEY NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "srv_users" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"email" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"role" text COLLATE "C" NOT NULL,
	"password_hash" text COLLATE "C" NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "srv_users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "srv_write_keys" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"secret_hash" text COLLATE "C" NOT NULL,
	"prefix" text COLLATE "C" NOT NULL,
	"created_by" text COLLATE "C",
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	CONSTRAINT "srv_write_keys_secret_hash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint NOT NULL,
	"journey_id" text COLLATE "C" NOT NULL,
	"version_id" bigint NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"node_id" text COLLATE "C" NOT NULL,
	"node_type" text COLLATE "C" NOT NULL,
	"visit" integer NOT NULL,
	"seq" integer NOT NULL,
	"at" bigint NOT NULL,
	"due_at" bigint,
	"port" text COLLATE "C",
	"outcome" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C",
	"detail" json
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"customer_id" text COLLATE "C" NOT NULL,
	"channel" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"source" text COLLATE "C",
	"created_at" bigint NOT NULL,
	CONSTRAINT "suppressions_customer_id_channel_pk" PRIMARY KEY("customer_id","channel")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_codes_offer_code" ON "coupon_codes" USING btree ("offer","code");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_codes_issued" ON "coupon_codes" USING btree ("offer","issued_key","customer_id") WHERE issued_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX "coupon_codes_free" ON "coupon_codes" USING btree ("offer","id") WHERE issued_key IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "events_message_id" ON "events" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "events_customer_name_ts" ON "events" USING btree ("customer_id","name","ts");--> statement-breakpoint
CREATE INDEX "events_ts" ON "events" USING btree ("ts");--> statement-breakpoint
CREATE UNIQUE INDEX "journey_versions_journey_version" ON "journey_versions" USING btree ("journey_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_key" ON "outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("next_attempt_at") WHERE status IN ('pending', 'retry');--> statement-breakpoint
CREATE INDEX "outbox_sending" ON "outbox" USING btree ("lease_until") WHERE status = 'sending';--> statement-breakpoint
CREATE INDEX "outbox_customer_channel" ON "outbox" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_journey" ON "outbox" USING btree ("journey_id","status");--> statement-breakpoint
CREATE INDEX "outbox_run" ON "outbox" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "result_assignments_run" ON "result_assignments" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "result_entries_run" ON "result_entries" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "result_entries_open" ON "result_entries" USING btree ("customer_id","window_end") WHERE converted_at IS NULL AND goal_event IS NOT NULL;--> statement-breakpoint
CREATE INDEX "runs_due" ON "runs" USING btree ("due_at") WHERE due_at IS NOT NULL AND NOT held;--> statement-breakpoint
CREATE INDEX "runs_customer" ON "runs" USING btree ("customer_id","journey_id");--> statement-breakpoint
CREATE INDEX "runs_journey_status" ON "runs" USING btree ("journey_id","status","node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_one_active" ON "runs" USING btree ("journey_id","customer_id") WHERE status IN ('ready', 'waiting', 'acting');--> statement-breakpoint
CREATE INDEX "srv_audit_at" ON "srv_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "srv_sessions_user" ON "srv_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "steps_run_seq" ON "steps" USING btree ("run_id","seq");--> statement-breakpoint
CREATE INDEX "steps_journey_at" ON "steps" USING btree ("journey_id","at");--> statement-breakpoint
CREATE INDEX "steps_customer" ON "steps" USING btree ("customer_id","at");