CREATE TABLE `coupon_codes` (
	`id` integer PRIMARY KEY NOT NULL,
	`offer` text NOT NULL,
	`code` text NOT NULL,
	`issued_key` text,
	`customer_id` text,
	`issued_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_codes_offer_code` ON `coupon_codes` (`offer`,`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_codes_issued` ON `coupon_codes` (`offer`,`issued_key`,`customer_id`) WHERE issued_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX `coupon_codes_free` ON `coupon_codes` (`offer`,`id`) WHERE issued_key IS NULL;--> statement-breakpoint
CREATE TABLE `coupon_pools` (
	`offer` text PRIMARY KEY NOT NULL,
	`pattern` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`customer_id` text NOT NULL,
	`channel` text NOT NULL,
	`reason` text NOT NULL,
	`source` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `channel`)
);
