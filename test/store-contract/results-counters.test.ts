/**
 * The results ledger's daily counters on PostgreSQL: the same randomised ledgers (seeded) as the embedded
 * store's test, answered from the counters and edge days and entry by entry, must agree for every query; and
 * migration 0002's back-fill must count an existing ledger as the commits kept it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCounters, writeLedger } from "../support/results-ledger";
import { postgresStores } from "./postgres";
import type { PostgresStores } from "./postgres";

let pg: PostgresStores | undefined;
beforeAll(async () => {
  pg = await postgresStores();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 120_000);

const MIGRATION = join(import.meta.dirname, "../../engine/store/postgres/migrations/0002_results_daily.sql");

describe("the results ledger's daily counters on PostgreSQL", () => {
  it("answer every query exactly as reading every entry does (randomised ledgers, seeded)", async () => {
    const store = await pg!.open();
    let nonEmpty = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const ledger = await writeLedger(store, seed);
      nonEmpty += await checkCounters(store, ledger, seed, 12);
    }
    expect(nonEmpty).toBeGreaterThan(50);
  }, 120_000);

  it("are what migration 0002's back-fill counts from the ledger", async () => {
    const store = await pg!.open();
    for (let seed = 1; seed <= 4; seed++) await writeLedger(store, seed);
    const counters = async () => ({
      daily: (await store.pool.query("SELECT * FROM result_daily ORDER BY 1, 2, 3, 4, 5, 6")).rows,
      conversions: (
        await store.pool.query("SELECT * FROM result_daily_conversions ORDER BY 1, 2, 3, 4, 5, 6")
      ).rows,
    });
    const kept = await counters();
    expect(kept.daily.length).toBeGreaterThan(40);
    const backFill = readFileSync(MIGRATION, "utf8")
      .split("--> statement-breakpoint")
      .filter((s) => /^\s*INSERT/m.test(s));
    expect(backFill).toHaveLength(3);
    await store.pool.query("DELETE FROM result_daily; DELETE FROM result_daily_conversions");
    for (const sql of backFill) await store.pool.query(sql);
    expect(await counters()).toEqual(kept);
  }, 60_000);
});
