/**
 * Moving an installation to PostgreSQL: `rekindle migrate` and `rekindle copy-store` through the real
 * command line, then the same reads on both stores give the same answers. Bad targets fail with exit 1
 * and a message naming the host or the table.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../engine/store/postgres/store";
import { SqliteStore } from "../../engine/store/sqlite/store";
import type { Store } from "../../engine/store/types";
import { CRASH_JOURNEY } from "../crash/journey";
import { Harness, T0, DAY, useHarnessStores } from "../engine/harness";
import { postgresStores } from "./postgres";
import type { PostgresStores } from "./postgres";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "rk-copy-store-"));
let pg: PostgresStores | undefined;
beforeAll(async () => {
  pg = await postgresStores();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

function rekindle(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["bin/rekindle.js", ...args], { cwd: ROOT, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(guard);
      done({ code, stdout, stderr });
    });
  });
}

/** Everything a reader sees, per store: runs, steps, outbox, events, entries' counts and journeys. */
async function snapshot(store: Store) {
  return {
    journeys: (await store.listJourneys()).map((j) => ({ ...j })),
    versions: await store.listVersions("j1"),
    runs: await store.listRuns({ limit: 10_000 }),
    steps: await store.listSteps({ limit: 10_000 }),
    outbox: await store.listOutbox({ limit: 10_000 }),
    customers: await store.scanCustomers(null, 10_000),
    events: await store.eventsOf(["c1", "c2", "c3"], 0, Number.MAX_SAFE_INTEGER, 10_000),
    nextDue: await store.nextDueAt(),
  };
}

describe("rekindle migrate and copy-store", () => {
  it("copies an embedded installation row for row, and the copy runs on", async () => {
    const file = join(dir, "rekindle.db");
    useHarnessStores(() => Promise.resolve(SqliteStore.open(file)));
    const h = await Harness.open();
    await h.publish(CRASH_JOURNEY);
    const tiers: [string, string][] = [
      ["c1", "gold"],
      ["c2", "bronze"],
      ["c3", "silver"],
    ];
    for (const [c, tier] of tiers)
      await h.identify(c, { email: `${c}@example.com`, phone: "+15550100", tier });
    await h.track("c1", "churn_signal", { score: 5, items: [{ b: 1, a: 2 }] });
    await h.track("c2", "churn_signal", { score: 7 });
    await h.advanceTo(T0 + DAY);
    await h.track("c3", "churn_signal", {});
    const before = await snapshot(h.store);
    expect(before.runs.length).toBe(3);
    await h.close();

    const url = await pg!.database(false);
    const migrated = await rekindle(["migrate", "--database", url]);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    const copied = await rekindle(["copy-store", "--from", dir, "--to", url]);
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/^runs +3$/m);
    expect(copied.stdout).toMatch(/row counts match/);

    const target = await PostgresStore.open(url, { migrate: false });
    try {
      expect(await snapshot(target)).toEqual(before);
      // A second copy into the same database is refused: it is not empty any more.
      const again = await rekindle(["copy-store", "--from", dir, "--to", url]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/error: the PostgreSQL database is not empty: table "\w+" has \d+ rows/);
      // Ids continue after the copied ones.
      const first = await target.reserveRunIds(1);
      expect(first).toBeGreaterThan(Math.max(...before.runs.map((r) => r.id)));
    } finally {
      await target.close();
    }
  });

  it("fails with exit 1 naming the host and the cause when the database cannot be reached", async () => {
    const r = await rekindle(["migrate", "--database", "postgres://rekindle@127.0.0.1:1/nowhere"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
  });
});
