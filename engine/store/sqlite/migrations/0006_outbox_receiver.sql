-- Who answers a delivery (the dispatcher's lane), so the claim skips receivers whose lane is full. Rows queued
-- before this have none: their lane is computed after the claim.
ALTER TABLE `outbox` ADD `receiver` text;
