import type { OutboxRow } from "../../engine/store/types";

/** A pending webhook delivery due at `at`, the store-contract tests' one fixture for outbox rows. */
export const pendingDelivery = (key: string, at: number, over: Partial<OutboxRow> = {}): OutboxRow => ({
  idempotencyKey: key,
  runId: 1,
  journeyId: "j",
  versionId: 1,
  nodeId: "n",
  visit: 1,
  customerId: "c",
  action: "webhook",
  channel: null,
  template: null,
  payload: { url: "http://x", n: [1, 2] },
  status: "pending",
  attempts: 0,
  nextAttemptAt: at,
  createdAt: at,
  deliveredAt: null,
  response: null,
  error: null,
  resumesRun: false,
  ...over,
});
