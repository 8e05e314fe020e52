import { afterEach, describe, expect, it } from "vitest";
import { defaultRegistry } from "../actions/builtins";
import type { DeliverFn } from "../actions/builtins";
import { journeyStats } from "../read/node-stats";
import { eventTrigger, Harness, journey } from "../../test/engine/harness";
import { MAX_ATTEMPTS } from "./dispatch";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A provider that answers from a script, one answer per call, then accepts. */
function scripted(answers: Awaited<ReturnType<DeliverFn>>[]): DeliverFn {
  return () => Promise.resolve(answers.shift() ?? { status: "done" });
}

/** A webhook with nothing on its `failed` port: the run does not wait for it (fire and forget). */
const detachedWebhook = journey(
  [
    ["t1", "trigger", eventTrigger("go")],
    ["a1", "action", { action: "webhook", params: { url: "https://example.com/hook" } }],
  ],
  [["t1", "a1"]],
);

async function open(answers: Awaited<ReturnType<DeliverFn>>[]): Promise<Harness> {
  h = await Harness.open({ registry: defaultRegistry({ deliver: scripted(answers) }) });
  await h.identify("c1", { email: "c1@example.com" });
  return h;
}

const busy = (n: number) =>
  Array.from({ length: n }, () => ({ status: "retry" as const, afterMs: 0, reason: "HTTP 503" }));

describe("a delivery no run waited for", () => {
  it("that gave up after its attempts is a failed step in the run log and a failure in the journey's counts", async () => {
    const h = await open(busy(MAX_ATTEMPTS));
    const j = await h.publish(detachedWebhook);
    await h.track("c1", "go");
    const run = await h.run(j, "c1");
    // The run went on when the webhook was queued; its status does not show the failure.
    expect(run.outcome).toBe("completed");
    expect(await h.outbox()).toMatchObject([{ status: "failed", attempts: MAX_ATTEMPTS }]);

    const failed = await h.steps({ failed: true });
    expect(failed).toMatchObject([
      {
        runId: run.id,
        nodeId: "a1",
        outcome: "failed",
        port: null,
        reason: expect.stringMatching(/gave up after 8 attempts: HTTP 503/) as unknown,
      },
    ]);
    // Logged after the run's own steps, in sequence.
    const seqs = (await h.steps({ runId: run.id })).map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    const stats = await journeyStats(h.store, j);
    expect(stats.totals).toMatchObject({ failed: 0, failedDeliveries: 1, completed: 1 });
    expect(stats.nodes.get("a1")?.failed).toBe(1);
  });

  it("retried from ops and sent, no longer counts as failed (the step stays in the log as history)", async () => {
    const h = await open([{ status: "fail", reason: "HTTP 400: bad payload" }]);
    const j = await h.publish(detachedWebhook);
    await h.track("c1", "go");
    const [row] = await h.outbox();
    expect((await journeyStats(h.store, j)).totals.failedDeliveries).toBe(1);

    const results = await h.engine.retryDeliveries([row!.idempotencyKey, "no-such-key", row!.idempotencyKey]);
    expect(results).toEqual([
      { key: row!.idempotencyKey, ok: true, status: "pending" },
      { key: "no-such-key", ok: false, error: expect.stringMatching(/no-such-key/) as unknown },
    ]);
    await h.drain();
    expect(await h.outbox()).toMatchObject([{ status: "sent" }]);
    expect((await journeyStats(h.store, j)).totals.failedDeliveries).toBe(0);
    // A second retry of a sent delivery is refused with why, and changes nothing.
    expect(await h.engine.retryDeliveries([row!.idempotencyKey])).toEqual([
      { key: row!.idempotencyKey, ok: false, error: expect.stringMatching(/is sent, not failed/) as unknown },
    ]);
  });
});
