import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCounters, writeLedger } from "../../../test/support/results-ledger";
import { REBUILD_COUNTERS } from "./results-counters";
import { SqliteStore } from "./store";

const counters = (store: SqliteStore) => ({
  daily: store.db.prepare("SELECT * FROM result_daily ORDER BY 1, 2, 3, 4, 5, 6").all(),
  conversions: store.db.prepare("SELECT * FROM result_daily_conversions ORDER BY 1, 2, 3, 4, 5, 6").all(),
});

describe("the results ledger's daily counters", () => {
  it("answer every query exactly as reading every entry does (randomised ledgers, seeded)", async () => {
    const store = SqliteStore.open(":memory:");
    let nonEmpty = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const ledger = await writeLedger(store, seed);
      nonEmpty += await checkCounters(store, ledger, seed, 25);
    }
    // The queries must mostly find something, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThan(400);
    await store.close();
  });

  it("are what migration 0005's back-fill and the bench's rebuild count from the ledger", async () => {
    const store = SqliteStore.open(":memory:");
    for (let seed = 1; seed <= 5; seed++) await writeLedger(store, seed);
    const kept = counters(store);
    expect(kept.daily.length).toBeGreaterThan(50);
    const migration = readFileSync(join(import.meta.dirname, "migrations", "0005_results_daily.sql"), "utf8");
    const backFill = migration.split("--> statement-breakpoint").filter((s) => /^\s*INSERT/m.test(s));
    expect(backFill).toHaveLength(3);
    store.db.exec("DELETE FROM result_daily; DELETE FROM result_daily_conversions");
    for (const sql of backFill) store.db.exec(sql);
    expect(counters(store)).toEqual(kept);
    for (const sql of REBUILD_COUNTERS) store.db.exec(sql);
    expect(counters(store)).toEqual(kept);
    await store.close();
  });
});
