import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulationCancelledError, simulateInWorker } from "../../engine/index";
import { testServer, type TestServer } from "../server/helpers";

const LOOP = JSON.parse(readFileSync(new URL("../fixtures/loop-1s.json", import.meta.url), "utf8")) as Record<
  string,
  unknown
>;
const DAY = 86_400_000;

let s: TestServer;
let http: Server;
let base: string;
beforeAll(async () => {
  // A small step budget keeps the test short; the default budgets are the same code with larger numbers.
  s = await testServer({ dryRunBudget: { maxSteps: 3_000 } });
  http = createServer(s.app);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await s.close();
});

describe("a dry run of a journey looping through a 1-second wait over 30 days", () => {
  it("stops at its step budget with a clear error, while /healthz keeps answering", async () => {
    const auth = { authorization: `Bearer ${s.token("marketer")}`, "content-type": "application/json" };
    const created = await fetch(`${base}/api/journeys`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ doc: LOOP }),
    });
    const { id } = (await created.json()) as { id: string };
    const now = Date.now();
    await s.ctx.ingester.submit([
      {
        type: "track",
        userId: "looper",
        event: "ping",
        timestamp: new Date(now - 29 * DAY).toISOString(),
        properties: {},
      },
    ] as never);

    let done = false;
    const dry = fetch(`${base}/api/journeys/${id}/dry-run`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ from: new Date(now - 30 * DAY).toISOString(), to: new Date(now).toISOString() }),
    }).finally(() => (done = true));

    const latencies: number[] = [];
    while (!done) {
      const t0 = performance.now();
      const health = await fetch(`${base}/healthz`);
      const ms = performance.now() - t0;
      expect(health.status).toBe(200);
      if (!done) latencies.push(ms);
      await new Promise((r) => setTimeout(r, 50));
    }
    const answer = await dry;
    // Answered while the dry run was still in flight: it runs off the request thread.
    expect(latencies.length).toBeGreaterThan(0);
    latencies.sort((a, b) => a - b);
    console.log(
      `/healthz during the dry run: ${latencies.length} answers, median ${latencies[latencies.length >> 1]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );

    expect(answer.status).toBe(413);
    const body = (await answer.json()) as { error: { message: string; issues: { path: string }[] } };
    expect(body.error.message).toMatch(/step budget \(3,000 runs advanced and deliveries\)/);
    expect(body.error.message).toMatch(/simulated up to \d{4}-/);
    expect(body.error.issues[0]!.path).toBe("budget.steps");
  }, 120_000);

  it("a simulation in a worker stops when its caller gives up", async () => {
    const gone = new AbortController();
    const run = simulateInWorker(
      {
        journeys: [{ source: "loop", doc: LOOP }],
        events: [
          { type: "track", userId: "u", event: "ping", timestamp: "2026-01-01T00:00:00Z", properties: {} },
        ] as never,
        until: Date.parse("2026-01-31T00:00:00Z"),
        // Budgets far beyond the test's timeout: only the cancellation can end it.
        budget: { maxSteps: 1e12, maxMs: 1e9, maxOutputBytes: 1e12 },
        templates: [],
      },
      { signal: gone.signal },
    );
    setTimeout(() => gone.abort(), 300);
    await expect(run).rejects.toBeInstanceOf(SimulationCancelledError);
  }, 30_000);
});
