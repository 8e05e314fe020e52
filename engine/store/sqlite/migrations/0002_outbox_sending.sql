CREATE INDEX `outbox_sending` ON `outbox` (`lease_until`) WHERE status = 'sending';--> statement-breakpoint
-- The claim compares next_attempt_at directly (so it stays on outbox_due): no due row may have it NULL.
UPDATE `outbox` SET `next_attempt_at` = `created_at` WHERE `next_attempt_at` IS NULL AND status IN ('pending', 'retry');
