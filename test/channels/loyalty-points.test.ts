import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionConfigError, runActionForTest, validateActionConfig } from "../../engine/actions/testing";
import loyaltyPoints from "../../examples/actions/loyalty-points";
import { json, startSink } from "./sink";

let sink: Awaited<ReturnType<typeof startSink>>;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.seen.length = 0;
  sink.replies.length = 0;
});

describe("example action: grant loyalty points (against a real local HTTP server)", () => {
  it("posts the grant with the idempotency key and maps the answer", async () => {
    sink.replies.push(json(200, { balance: 1200 }));
    const { result } = await runActionForTest(loyaltyPoints, {
      config: { url: `${sink.url}/points`, points: 200 },
      customer: { id: "c-1001", traits: { email: "li@example.com" } },
      idempotencyKey: "42:a3:1",
    });
    expect(result).toMatchObject({
      status: "done",
      port: "next",
      traits: { loyaltyPoints: 1200 },
      vars: { loyaltyPointsGranted: 200 },
    });
    expect(sink.seen).toHaveLength(1);
    const req = sink.seen[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/points");
    expect(req.headers["idempotency-key"]).toBe("42:a3:1");
    expect(JSON.parse(req.body)).toEqual({
      customerId: "c-1001",
      points: 200,
      reason: "Rekindle journey",
      journeyId: "j-test",
    });
  });

  it("leaves through tier_up when the grant lifts the customer's tier", async () => {
    sink.replies.push(json(200, { balance: 5000, tierUp: true }));
    const { result } = await runActionForTest(loyaltyPoints, { config: { url: sink.url, points: 10 } });
    expect(result).toMatchObject({ status: "done", port: "tier_up" });
  });

  it("retries on 503 (honouring Retry-After) and on no answer; fails on 400", async () => {
    sink.replies.push((res) => res.writeHead(503, { "retry-after": "7" }).end());
    expect(
      (await runActionForTest(loyaltyPoints, { config: { url: sink.url, points: 10 } })).result,
    ).toMatchObject({
      status: "retry",
      afterMs: 7_000,
    });
    sink.replies.push(json(400, { error: "unknown customer" }));
    expect(
      (await runActionForTest(loyaltyPoints, { config: { url: sink.url, points: 10 } })).result,
    ).toMatchObject({
      status: "fail",
      reason: "loyalty API refused: HTTP 400",
    });
    const down = await runActionForTest(loyaltyPoints, {
      config: { url: "http://127.0.0.1:9/", points: 10 },
    });
    expect(down.result.status).toBe("retry");
    expect(down.logs[0]?.level).toBe("warn");
  });

  it("validates its config with its own schema", async () => {
    expect(validateActionConfig(loyaltyPoints, { url: "ftp://x", points: 0 })).toMatchObject({ ok: false });
    const bad = validateActionConfig(loyaltyPoints, { url: sink.url, points: 1.5 });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(["points"]);
    await expect(runActionForTest(loyaltyPoints, { config: { points: 5 } })).rejects.toBeInstanceOf(
      ActionConfigError,
    );
  });
});
