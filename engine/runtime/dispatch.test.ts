import { afterEach, describe, expect, it } from "vitest";
import { defaultRegistry } from "../actions/builtins";
import type { DeliverFn } from "../actions/builtins";
import { email, eventTrigger, Harness, journey, MINUTE, T0 } from "../../test/engine/harness";
import { MAX_ATTEMPTS } from "./dispatch";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tag = (t: string) => ({ action: "add_tag", params: { tag: t } });

/** A provider that answers from a script, one answer per call, and records the keys it was given. */
function scripted(answers: Awaited<ReturnType<DeliverFn>>[]) {
  const keys: string[] = [];
  const deliver: DeliverFn = (_d, { idempotencyKey }) => {
    keys.push(idempotencyKey);
    return Promise.resolve(answers.shift() ?? { status: "done" });
  };
  return { deliver, keys };
}

const doc = (withFailed: boolean) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("go")],
      ["a1", "action", email()],
      ["ok", "action", tag("ok")],
      ["ko", "action", tag("ko")],
    ],
    [["t1", "a1"], ["a1", "ok"], withFailed ? ["a1", "ko", "failed"] : ["ok", "ko"]],
  );

async function open(deliver: DeliverFn): Promise<Harness> {
  h = await Harness.open({ registry: defaultRegistry({ deliver }) });
  await h.identify("c1", { email: "c1@example.com" });
  return h;
}

describe("outbox delivery", () => {
  it("retries with the same idempotency key until the provider accepts, then moves the run on", async () => {
    const p = scripted([
      { status: "retry", afterMs: MINUTE, reason: "busy" },
      { status: "retry", afterMs: MINUTE, reason: "busy" },
    ]);
    const h = await open(p.deliver);
    const j = await h.publish(doc(true));
    await h.track("c1", "go");
    expect((await h.run(j, "c1")).status).toBe("acting");
    h.jumpTo(T0 + MINUTE);
    await h.drain();
    h.jumpTo(T0 + 2 * MINUTE);
    await h.drain();
    const run = await h.run(j, "c1");
    expect(p.keys).toEqual([`${run.id}:a1:1`, `${run.id}:a1:1`, `${run.id}:a1:1`]);
    expect(await h.outbox()).toMatchObject([{ status: "sent", attempts: 3, deliveredAt: T0 + 2 * MINUTE }]);
    expect(await h.steps({ nodeId: "a1", outcome: "delivered" })).toHaveLength(1);
    expect(run.outcome).toBe("completed");
    expect(await h.steps({ nodeId: "ok", outcome: "executed" })).toHaveLength(1);
  });

  it("a failed delivery takes `failed` when connected", async () => {
    const h = await open(scripted([{ status: "fail", reason: "bounced" }]).deliver);
    const j = await h.publish(doc(true));
    await h.track("c1", "go");
    expect(await h.steps({ nodeId: "a1", outcome: "failed" })).toMatchObject([
      { port: "failed", reason: "bounced" },
    ]);
    expect(await h.steps({ nodeId: "ko", outcome: "executed" })).toHaveLength(1);
    expect((await h.run(j, "c1")).outcome).toBe("completed");
  });

  it("gives up after MAX_ATTEMPTS retries and takes `failed`", async () => {
    const busy = Array.from({ length: MAX_ATTEMPTS + 2 }, () => ({
      status: "retry" as const,
      afterMs: 0,
      reason: "busy",
    }));
    const p = scripted(busy);
    const h = await open(p.deliver);
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          ["a1", "action", { action: "webhook", params: { url: "https://example.com/hook" } }],
          ["ko", "action", tag("ko")],
        ],
        [
          ["t1", "a1"],
          ["a1", "ko", "failed"],
        ],
      ),
    );
    await h.track("c1", "go");
    expect(p.keys).toHaveLength(MAX_ATTEMPTS);
    expect(await h.outbox()).toMatchObject([{ status: "failed", attempts: MAX_ATTEMPTS }]);
    expect((await h.outbox())[0]!.error).toMatch(/gave up after 8 attempts/);
    expect(await h.steps({ nodeId: "ko", outcome: "executed" })).toHaveLength(1);
    expect((await h.run(j, "c1")).outcome).toBe("completed");
  });

  it("without `failed`, a failed delivery does not hold the run; retryRun is refused for a completed run", async () => {
    const h = await open(scripted([{ status: "fail", reason: "bounced" }]).deliver);
    const j = await h.publish(doc(false));
    await h.track("c1", "go");
    // Fire and forget: the run went on through `next` when the message was queued.
    const run = await h.run(j, "c1");
    expect(run.outcome).toBe("completed");
    expect(await h.outbox()).toMatchObject([{ status: "failed", error: "bounced" }]);
    await expect(h.engine.retryRun(run.id)).rejects.toThrow(/not failed/);
  });

  it("retryRun puts a run that failed on its action back on it, same visit and key, delivered once", async () => {
    let renders = 0;
    const p = scripted([]);
    h = await Harness.open({
      registry: defaultRegistry({ deliver: p.deliver }),
      templates: {
        has: () => true,
        render: (name) => {
          if (renders++ === 0) throw new Error("template store down");
          return { channel: "email", subject: name, body: "hi" };
        },
      },
    });
    await h.identify("c1", { email: "c1@example.com" });
    const j = await h.publish(doc(false));
    await h.track("c1", "go");
    const failed = await h.run(j, "c1");
    expect(failed).toMatchObject({ status: "failed", nodeId: "a1" });
    expect(await h.steps({ nodeId: "a1", outcome: "failed" })).toMatchObject([{ reason: "render_error" }]);
    expect(await h.outbox()).toEqual([]);

    await h.engine.retryRun(failed.id);
    await h.drain();
    expect(p.keys).toEqual([`${failed.id}:a1:1`]);
    expect(await h.outbox()).toMatchObject([{ status: "sent", visit: 1 }]);
    expect((await h.run(j, "c1")).outcome).toBe("completed");
    await expect(h.engine.retryRun(failed.id)).rejects.toThrow(/not failed/);
  });
});
