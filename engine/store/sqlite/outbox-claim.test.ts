import { describe, expect, it } from "vitest";
import type { OutboxRow } from "../types";
import { SqliteStore } from "./store";

const scansOutbox = (plan: readonly string[]): boolean => plan.some((line) => /^SCAN outbox\b/.test(line));

function row(key: string, journeyId: string, over: Partial<OutboxRow> = {}): OutboxRow {
  return {
    idempotencyKey: key,
    runId: 1,
    journeyId,
    versionId: 1,
    nodeId: "n",
    visit: 1,
    customerId: "c",
    action: "webhook",
    channel: null,
    template: null,
    payload: {},
    status: "pending",
    attempts: 0,
    nextAttemptAt: 100,
    createdAt: 100,
    deliveredAt: null,
    response: null,
    error: null,
    resumesRun: false,
    ...over,
  };
}

async function journey(store: SqliteStore, id: string, status: "live" | "paused"): Promise<void> {
  await store.createJourney({
    id,
    name: id,
    status,
    draft: {},
    liveVersionId: null,
    createdAt: 0,
    updatedAt: 0,
  });
}

describe("the outbox claim", () => {
  it("stays on its partial indexes: no scan of delivered history", () => {
    const store = SqliteStore.open(":memory:");
    const plan = store.queryPlan("claimOutbox");
    expect(scansOutbox(plan), plan.join("\n")).toBe(false);
    expect(plan.some((l) => l.includes("USING INDEX outbox_due"))).toBe(true);
    expect(plan.some((l) => l.includes("USING INDEX outbox_sending"))).toBe(true);
  });

  it("the plan check catches a dropped index", () => {
    const store = SqliteStore.open(":memory:");
    store.db.exec("DROP INDEX outbox_due");
    expect(scansOutbox(store.queryPlan("claimOutbox"))).toBe(true);
  });

  it("claims due, retry-due and expired-lease rows, and nothing delivered, future, leased or paused", async () => {
    const store = SqliteStore.open(":memory:");
    await journey(store, "live", "live");
    await journey(store, "paused", "paused");
    await store.commit({
      outbox: [
        row("sent", "live", { status: "sent", deliveredAt: 90, nextAttemptAt: null }),
        row("failed", "live", { status: "failed", nextAttemptAt: null }),
        row("due", "live"),
        row("later", "live", { nextAttemptAt: 5_000 }),
        row("retry-due", "live", { status: "retry", attempts: 2, nextAttemptAt: 900 }),
        row("retry-later", "live", { status: "retry", attempts: 2, nextAttemptAt: 5_000 }),
        row("paused-due", "paused"),
        row("stuck", "live"),
        row("in-flight", "live"),
      ],
    });
    store.db.exec(
      "UPDATE outbox SET status = 'sending', lease_until = CASE idempotency_key WHEN 'stuck' THEN 500 ELSE 5000 END WHERE idempotency_key IN ('stuck', 'in-flight')",
    );
    const claimed = await store.claimOutbox(1_000, 100, 2_000);
    expect(claimed.map((r) => r.idempotencyKey).sort()).toEqual(["due", "retry-due", "stuck"]);
    expect(claimed.every((r) => r.status === "sending")).toBe(true);
    expect(claimed.find((r) => r.idempotencyKey === "retry-due")?.attempts).toBe(3);
    // Claimed rows are leased: a second claim at the same moment gets none of them.
    expect(await store.claimOutbox(1_000, 100, 2_000)).toEqual([]);
    // The limit holds across both branches.
    expect(await store.claimOutbox(10_000, 2, 20_000)).toHaveLength(2);
  });
});
