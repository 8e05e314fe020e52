import { Analytics } from "@segment/analytics-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newWriteKey, sha256 } from "../../server/auth";
import { startServer } from "../../server/main";
import type { RunningServer } from "../../server/main";
import { dbOf, simpleJourney } from "./helpers";

let srv: RunningServer;
let dir: string;
const key = newWriteKey();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rekindle-sdk-"));
  srv = await startServer({
    dataDir: dir,
    port: 0,
    demo: false,
    logLevel: "silent",
    print: () => undefined,
    maxSleepMs: 100,
  });
  await srv.ctx.srv.insertKey({
    id: "k1",
    name: "sdk",
    secretHash: sha256(key),
    prefix: key.slice(0, 7),
    createdBy: null,
    createdAt: Date.now(),
    revokedAt: null,
  });
  const j = await srv.ctx.engine.createJourney(
    simpleJourney({ name: "Welcome", trigger: { kind: "event", event: "Signed Up" }, wait: "1s" }),
    "welcome",
  );
  await srv.ctx.engine.publish(j.id);
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string, ...p: unknown[]): number =>
  dbOf(srv.ctx.store)
    .prepare<unknown[], { n: number }>(sql)
    .get(...p)!.n;

describe("the official Segment Node SDK against a local server", () => {
  it("identify and track land, trigger a journey, and are deduplicated by messageId", async () => {
    const analytics = new Analytics({
      writeKey: key,
      host: `http://127.0.0.1:${srv.port}`,
      flushAt: 3,
      flushInterval: 50,
      maxRetries: 1,
    });
    const errors: unknown[] = [];
    analytics.on("error", (e) => errors.push(e));
    const responses: number[] = [];
    analytics.on("http_response", (r) => responses.push(r.status));
    analytics.identify({
      userId: "sdk-1",
      traits: { email: "sdk1@example.com", name: "SDK One" },
      messageId: "sdk-identify-1",
    });
    analytics.track({
      userId: "sdk-1",
      event: "Signed Up",
      properties: { plan: "pro" },
      messageId: "sdk-track-1",
    });
    // The same messageId again (an SDK retry or a replayed call): stored once.
    analytics.track({
      userId: "sdk-1",
      event: "Signed Up",
      properties: { plan: "pro" },
      messageId: "sdk-track-1",
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(responses.length).toBeGreaterThan(0);
    expect(responses.every((s) => s === 200)).toBe(true);

    expect(count("SELECT count(*) AS n FROM events WHERE message_id = ?", "sdk-track-1")).toBe(1);
    expect(count("SELECT count(*) AS n FROM events WHERE message_id = ?", "sdk-identify-1")).toBe(1);
    const c = (await srv.ctx.store.getCustomers(["sdk-1"])).get("sdk-1")!;
    expect(c.traits).toMatchObject({ email: "sdk1@example.com", name: "SDK One" });
    expect(
      count("SELECT count(*) AS n FROM runs WHERE journey_id = 'welcome' AND customer_id = 'sdk-1'"),
    ).toBe(1);

    // The same calls sent again by a second client: all duplicates, still one run.
    const again = new Analytics({
      writeKey: key,
      host: `http://127.0.0.1:${srv.port}`,
      flushAt: 2,
      flushInterval: 50,
    });
    again.identify({ userId: "sdk-1", traits: { email: "sdk1@example.com" }, messageId: "sdk-identify-1" });
    again.track({ userId: "sdk-1", event: "Signed Up", messageId: "sdk-track-1" });
    await again.closeAndFlush({ timeout: 10_000 });
    expect(count("SELECT count(*) AS n FROM events WHERE customer_id = 'sdk-1'")).toBe(2);
    expect(count("SELECT count(*) AS n FROM runs WHERE customer_id = 'sdk-1'")).toBe(1);

    // The scheduler releases the 1 s wait and the run completes.
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      count("SELECT count(*) AS n FROM runs WHERE customer_id = 'sdk-1' AND status = 'completed'") === 0
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(count("SELECT count(*) AS n FROM runs WHERE customer_id = 'sdk-1' AND status = 'completed'")).toBe(
      1,
    );
  });

  it("a wrong write key is refused", async () => {
    const bad = new Analytics({
      writeKey: "wk_nope",
      host: `http://127.0.0.1:${srv.port}`,
      flushAt: 1,
      maxRetries: 0,
    });
    const statuses: number[] = [];
    bad.on("http_response", (r) => statuses.push(r.status));
    bad.track({ userId: "sdk-2", event: "x" });
    await bad.closeAndFlush({ timeout: 5000 });
    expect(statuses[0]).toBe(401);
    expect(count("SELECT count(*) AS n FROM events WHERE customer_id = 'sdk-2'")).toBe(0);
  });
});
