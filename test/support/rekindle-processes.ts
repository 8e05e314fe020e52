/**
 * Real `rekindle start --database … --role …` processes on one PostgreSQL database, for the multi-process
 * tests: spawned from bin/rekindle.js as a user would run them, their URL read from the banner.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { defaultRegistry } from "../../engine/actions/builtins";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { systemClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { PostgresStore } from "../../engine/store/postgres/store";
import { newWriteKey, sha256 } from "../../server/auth";

const ROOT = resolve(import.meta.dirname, "../..");

export interface RekindleProcess {
  child: ChildProcess;
  role: "api" | "worker" | "all";
  /** Resolves with the process's URL once it listens (rejects when it exits first). */
  ready: Promise<string>;
  exited: Promise<number | null>;
  /** Everything it wrote to standard error (for failure messages). */
  stderr(): string;
}

/** Starts `rekindle start --database url --role role --port 0`. */
export function startRekindle(
  database: string,
  role: "api" | "worker" | "all",
  env: Record<string, string> = {},
): RekindleProcess {
  const child = spawn(
    process.execPath,
    ["bin/rekindle.js", "start", "--database", database, "--role", role, "--port", "0", "--no-demo"],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LOG_LEVEL: "warn", REKINDLE_WEBHOOK_ALLOW: "127.0.0.1", ...env },
    },
  );
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const ready = new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /(https?:\/\/localhost:\d+)/.exec(line);
      if (m && /running/.test(line)) ok(m[1]!);
    });
    void exited.then((code) =>
      fail(new Error(`rekindle ${role} exited with ${code} before listening: ${err}`)),
    );
  });
  ready.catch(() => undefined);
  return { child, role, ready, exited, stderr: () => err };
}

export const killHard = (p: RekindleProcess): Promise<unknown> => {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return Promise.resolve();
  p.child.kill("SIGKILL");
  return p.exited;
};

/** A webhook journey entered by `event`: one delivery per entry to `hookUrl`, then the run completes. */
export function webhookJourney(event: string, hookUrl: string, wait?: string) {
  const nodes: Record<string, unknown>[] = [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event } },
    {
      id: "hook",
      type: "action",
      position: { x: 0, y: 100 },
      data: { action: "webhook", params: { url: hookUrl } },
    },
  ];
  const edges: Record<string, unknown>[] = [{ id: "e1", source: "t1", target: "hook" }];
  if (wait) {
    nodes.push(
      { id: "w1", type: "wait", position: { x: 0, y: 200 }, data: { kind: "duration", duration: wait } },
      {
        id: "hook2",
        type: "action",
        position: { x: 0, y: 300 },
        data: { action: "webhook", params: { url: hookUrl } },
      },
    );
    edges.push({ id: "e2", source: "hook", target: "w1" }, { id: "e3", source: "w1", target: "hook2" });
  }
  return { schemaVersion: 1, name: `On ${event}`, settings: {}, nodes, edges };
}

/** Opens an engine on the database (as a tool would), publishes `journeys` and makes a write key. */
export async function seedDatabase(
  database: string,
  journeys: Record<string, Record<string, unknown>>,
): Promise<{ writeKey: string }> {
  const store = await PostgresStore.open(database, { migrate: false, poolSize: 2 });
  const engine = await Engine.open({
    store,
    clock: systemClock,
    registry: defaultRegistry(),
    model: lifecycleModel(),
  });
  try {
    for (const [id, doc] of Object.entries(journeys)) {
      await engine.createJourney(doc, id);
      await engine.publish(id, doc);
    }
    const writeKey = newWriteKey();
    await store.admin.insertKey({
      id: randomUUID(),
      name: "test",
      secretHash: sha256(writeKey),
      prefix: writeKey.slice(0, 7),
      createdBy: null,
      createdAt: Date.now(),
      revokedAt: null,
    });
    return { writeKey };
  } finally {
    await engine.close();
  }
}

/** POSTs a `/v1/batch` of events with the write key; resolves with the per-call statuses. */
export async function sendBatch(
  url: string,
  writeKey: string,
  batch: Record<string, unknown>[],
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/v1/batch`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
    },
    body: JSON.stringify({ batch }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
