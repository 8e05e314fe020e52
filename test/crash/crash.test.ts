import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import type { InputEvent } from "../../engine/schema/events";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { CRASH_JOURNEY } from "./journey";
import { lifecycleModel } from "../../engine/customer/engine-model";

const ROOT = join(import.meta.dirname, "..", "..");
const T0 = Date.parse("2026-03-01T00:00:00Z");
const CUSTOMERS = 1500;
const dir = mkdtempSync(join(tmpdir(), "rekindle-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function prepare(file: string): Promise<void> {
  const engine = await Engine.open({
    model: lifecycleModel(),
    store: SqliteStore.open(file),
    clock: new ManualClock(T0),
    registry: defaultRegistry(),
  });
  await engine.createJourney(CRASH_JOURNEY, "crash");
  await engine.publish("crash");
  const tiers = ["gold", "silver", "bronze"];
  const events: InputEvent[] = [];
  const ts = new Date(T0).toISOString();
  for (let i = 0; i < CUSTOMERS; i++) {
    // Every tenth customer has no email, so the no_address path is crossed too.
    const traits = {
      tier: tiers[i % 3],
      phone: `+86138${String(i).padStart(8, "0")}`,
      ...(i % 10 === 0 ? {} : { email: `c${i}@example.com` }),
    };
    events.push({ type: "identify", userId: `c${i}`, traits, timestamp: ts });
    events.push({
      type: "track",
      userId: `c${i}`,
      event: "churn_signal",
      properties: {},
      timestamp: ts,
      messageId: `m${i}`,
    });
  }
  await engine.ingest(events);
  await engine.close();
}

interface WorkerExit {
  finished: boolean;
  killedMidBatch: boolean;
}

/** Starts the worker; when `killAfterBatches` is set, SIGKILLs it a few ms into that batch. */
function runWorker(file: string, killAfterBatches?: number): Promise<WorkerExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "test/crash/worker.ts"), file, String(T0)],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let open = false;
    let killed = false;
    let killedMidBatch = false;
    let finished = false;
    let stderr = "";
    let buffer = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const [word, n] = line.split(" ");
        if (word === "begin") open = true;
        if (word === "end") open = false;
        if (word === "done") finished = true;
        if (word === "begin" && killAfterBatches !== undefined && Number(n) === killAfterBatches && !killed) {
          killed = true;
          setTimeout(() => {
            killedMidBatch = open;
            child.kill("SIGKILL");
          }, Math.random() * 30);
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL" || code === 0) resolve({ finished, killedMidBatch });
      else reject(new Error(`worker exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

function snapshot(file: string) {
  const db = new Database(file, { readonly: true });
  const q = <T>(sql: string) => db.prepare(sql).all() as T[];
  const result = {
    runs: q<Record<string, unknown>>(
      "SELECT id, customer_id, status, outcome, node_id, visits, json_extract(ctx, '$.vars') AS vars FROM runs ORDER BY id",
    ),
    steps: q<Record<string, unknown>>(
      "SELECT run_id, seq, node_id, visit, outcome, port, reason FROM steps ORDER BY run_id, seq",
    ),
    outbox: q<Record<string, unknown>>(
      "SELECT idempotency_key, run_id, node_id, visit, action, status, payload FROM outbox ORDER BY idempotency_key",
    ),
    traits: q<Record<string, unknown>>("SELECT id, traits FROM customers ORDER BY id"),
  };
  db.close();
  return result;
}

describe("crash safety", () => {
  it("finishes every run exactly as an uncrashed run after repeated SIGKILLs mid-batch", async () => {
    const initial = join(dir, "initial.db");
    await prepare(initial);
    const reference = join(dir, "reference.db");
    const crashed = join(dir, "crashed.db");
    copyFileSync(initial, reference);
    copyFileSync(initial, crashed);

    const clean = await runWorker(reference);
    expect(clean.finished).toBe(true);

    let midBatch = 0;
    let kills = 0;
    for (let attempt = 0; attempt < 30 && kills < 12; attempt++) {
      const exit = await runWorker(crashed, Math.floor(Math.random() * 3));
      if (exit.finished) break;
      kills++;
      if (exit.killedMidBatch) midBatch++;
    }
    console.log(`crash test: ${kills} SIGKILLs, ${midBatch} inside a batch`);
    expect(kills).toBeGreaterThanOrEqual(6);
    expect(midBatch).toBeGreaterThanOrEqual(3);
    const last = await runWorker(crashed);
    expect(last.finished).toBe(true);

    const want = snapshot(reference);
    const got = snapshot(crashed);
    // Deliveries: the same idempotency keys, each exactly once, all sent — no duplicate, none missing.
    expect(got.outbox.length).toBe(want.outbox.length);
    expect(new Set(got.outbox.map((o) => o.idempotency_key)).size).toBe(got.outbox.length);
    expect(got.outbox.every((o) => o.status === "sent")).toBe(true);
    expect(got.outbox).toEqual(want.outbox);
    expect(got.runs).toEqual(want.runs);
    expect(got.steps).toEqual(want.steps);
    expect(got.traits).toEqual(want.traits);
    expect(
      want.runs.every((r) => r.status !== "ready" && r.status !== "waiting" && r.status !== "acting"),
    ).toBe(true);
    // The journey really crossed its paths: coupons, both emails, sms, and no_address skips.
    expect(new Set(want.outbox.map((o) => o.action))).toEqual(new Set(["email", "sms"]));
    expect(want.steps.some((s) => s.reason === "no_address")).toBe(true);
  }, 180_000);
});
