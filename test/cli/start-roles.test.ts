/**
 * `rekindle start --database … --role api|worker|all`: an API server ingests but never advances a run nor
 * dispatches; an engine worker advances and delivers but serves only /healthz; the embedded SQLite store
 * refuses any role but `all`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../engine/store/postgres/store";
import { migratePostgresDatabase } from "../../engine/index";
import { testPostgres } from "../support/postgres";
import type { TestPostgres } from "../support/postgres";
import {
  killHard,
  seedDatabase,
  sendBatch,
  startRekindle,
  webhookJourney,
} from "../support/rekindle-processes";
import type { RekindleProcess } from "../support/rekindle-processes";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "rk-roles-"));
let pg: TestPostgres | undefined;
const started: RekindleProcess[] = [];
beforeAll(async () => {
  pg = await testPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(started.map(killHard));
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const rekindleSync = (args: string[]) =>
  spawnSync(process.execPath, ["bin/rekindle.js", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });

describe("rekindle start --role", () => {
  it("refuses api and worker on the embedded database, saying why, and an unknown role", () => {
    for (const role of ["api", "worker"]) {
      const r = rekindleSync(["start", "--data", dir, "--role", role, "--port", "0", "--no-demo"]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`--role ${role} needs --database postgres://`);
      expect(r.stderr).toContain("embedded SQLite database serves one process");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const lease = spawnSync(
      process.execPath,
      ["bin/rekindle.js", "start", "--data", dir, "--port", "0", "--no-demo"],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, REKINDLE_RUN_LEASE_MS: "soon" },
      },
    );
    expect(lease.status, lease.stderr).toBe(1);
    expect(lease.stderr).toContain(
      'REKINDLE_RUN_LEASE_MS must be a whole number of milliseconds from 500 to 86400000 (got "soon")',
    );
    const bad = rekindleSync(["start", "--data", dir, "--role", "scheduler", "--port", "0"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Allowed choices are all, api, worker/);
  }, 120_000);

  it("names the host and cause of a database it cannot reach, and the command for an unmigrated one", async () => {
    const refused = rekindleSync([
      "start",
      "--database",
      "postgres://rk:pw@127.0.0.1:1/rekindle",
      "--role",
      "worker",
    ]);
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toContain("cannot connect to PostgreSQL at 127.0.0.1:1/rekindle");
    expect(refused.stderr).not.toContain("pw");
    const empty = await pg!.database();
    const old = rekindleSync(["start", "--database", empty, "--role", "api", "--port", "0"]);
    expect(old.status, old.stderr).toBe(1);
    expect(old.stderr).toContain("has no Rekindle schema yet; run: rekindle migrate --database <url>");
    expect(old.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it("an API server ingests without advancing; a worker advances and delivers, serving only /healthz", async () => {
    const hooks: string[] = [];
    const sink = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        hooks.push(String(req.headers["idempotency-key"]));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
    const hookUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
    try {
      const database = await pg!.database();
      await migratePostgresDatabase(database);
      const { writeKey } = await seedDatabase(database, { onboard: webhookJourney("signed_up", hookUrl) });

      const api = startRekindle(database, "api");
      started.push(api);
      const apiUrl = await api.ready;
      const ts = new Date().toISOString();
      const sent = await sendBatch(
        apiUrl,
        writeKey,
        ["u1", "u2", "u3"].map((id) => ({ type: "track", userId: id, event: "signed_up", timestamp: ts })),
      );
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ accepted: 3 });

      const store = await PostgresStore.open(database, { migrate: false, poolSize: 2 });
      try {
        const runs = async () => store.listRuns({ journeyId: "onboard" });
        expect(await runs()).toHaveLength(3);
        // An engine with its loops would have taken these due runs in milliseconds; the API server leaves
        // them for a worker, however long it runs.
        for (let i = 0; i < 10; i++) {
          await new Promise((r) => setTimeout(r, 100));
          for (const r of await runs()) expect([r.status, r.nodeId]).toEqual(["ready", "t1"]);
        }
        expect(hooks).toEqual([]);
        expect(await store.listOutbox({})).toEqual([]);
        // The API server still serves the builder's API and its health check.
        expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);

        const worker = startRekindle(database, "worker");
        started.push(worker);
        const workerUrl = await worker.ready;
        // The webhook is fire and forget: a run completes when its delivery is queued, the send follows.
        for (
          let i = 0;
          i < 600 && (hooks.length < 3 || (await runs()).some((r) => r.status !== "completed"));
          i++
        )
          await new Promise((r) => setTimeout(r, 50));
        expect((await runs()).map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
        expect(new Set(hooks).size).toBe(3);
        expect(hooks).toHaveLength(3);

        const health = await fetch(`${workerUrl}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ ok: true, role: "worker" });
        expect((await fetch(`${workerUrl}/api/journeys`)).status).toBe(404);
        expect((await fetch(`${workerUrl}/v1/batch`, { method: "POST", body: "{}" })).status).toBe(404);

        // A journey published after the worker started (here, by another tool) reaches its live set too.
        await seedDatabase(database, { later: webhookJourney("upgraded", hookUrl) });
        const again = await sendBatch(apiUrl, writeKey, [
          { type: "track", userId: "u1", event: "upgraded", timestamp: new Date().toISOString() },
        ]);
        expect(again.body).toMatchObject({ accepted: 1 });
        for (let i = 0; i < 600 && hooks.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
        expect(hooks).toHaveLength(4);
      } finally {
        await store.close();
      }
    } finally {
      await new Promise<void>((r) => (sink.closeAllConnections(), sink.close(() => r())));
    }
  }, 180_000);
});
