/**
 * The engine's scenario tests (test/engine) again, every harness on its own PostgreSQL database: nothing
 * about the engine changes per store, so the same expectations must hold.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { useHarnessStores } from "../engine/harness";
import { postgresStores } from "./postgres";
import type { PostgresStores } from "./postgres";

let stores: PostgresStores | undefined;
beforeAll(async () => {
  stores = await postgresStores();
}, 120_000);
afterAll(async () => {
  await stores?.stop();
});
useHarnessStores(() => stores!.open());

// Each scenario file inside a suite of its own, so its top-level hooks (a fresh harness per test) apply to
// its own tests only.
const scenarios = ["entry", "exit-goal", "lifecycle", "messages", "reentry", "results", "splits", "waits"];
for (const name of scenarios) describe(name, async () => void (await import(`../engine/${name}.test.ts`)));
