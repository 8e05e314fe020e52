import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { systemClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { DatabaseLockedError } from "../../engine/store/sqlite/data-lock";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { lifecycleModel } from "../../engine/customer/engine-model";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "rk-one-engine-"));
const db = join(dir, "rekindle.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (file = db) =>
  Engine.open({
    model: lifecycleModel(),
    store: SqliteStore.open(file),
    clock: systemClock,
    registry: defaultRegistry(),
    lockOwner: "the test's engine",
  });

function rekindle(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["bin/rekindle.js", ...args], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // A start that was not refused would keep serving: stop it so the test fails instead of hanging.
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(guard);
      done({ code, stderr });
    });
  });
}

describe("one engine per database", () => {
  let holder: Engine;
  beforeAll(async () => {
    holder = await open();
  });

  it("refuses a second engine in the same process, naming the holder", async () => {
    const err = await open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseLockedError);
    expect((err as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect((err as Error).message).toContain("the test's engine");
  });

  it("refuses `rekindle start` and `rekindle import` on a live database with a clear message", async () => {
    const orders = join(dir, "orders.csv");
    writeFileSync(orders, "customer_id,order_id,ordered_at,revenue\nc1,o1,2026-01-02T00:00:00Z,10\n");
    const [start, imported] = await Promise.all([
      rekindle(["start", "--data", dir, "--port", "0", "--no-demo"]),
      rekindle(["import", "--data", dir, "--orders", orders, "--no-progress"]),
    ]);
    for (const r of [start, imported]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`is in use by another engine: pid ${process.pid} on ${hostname()}`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    // The holder's lock is untouched.
    expect(JSON.parse(readFileSync(`${db}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
    await holder.close();
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 120_000);

  it("takes over a lock left by a process that is gone", async () => {
    const other = join(dir, "stale");
    mkdirSync(other);
    const file = join(other, "rekindle.db");
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const deadPid = Number(gone.stdout.toString());
    const stale = { pid: deadPid, host: hostname(), startedAt: "2026-01-01T00:00:00Z", command: "killed" };
    writeFileSync(`${file}.lock`, JSON.stringify(stale));
    const engine = await open(file);
    expect(JSON.parse(readFileSync(`${file}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
    await engine.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
