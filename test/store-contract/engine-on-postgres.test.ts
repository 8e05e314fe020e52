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
}, 120_000);
useHarnessStores(() => stores!.open());

// Each scenario file inside a suite of its own, so its top-level hooks (a fresh harness per test) apply to
// its own tests only.
// splits.test is left out for time: its two 10k-customer scenarios cost about a minute of round trips on
// PostgreSQL; its small cases' store paths (assignments, arm sums) run in results and promote-winner.
const scenarios = [
  "entry",
  "exit-goal",
  "lifecycle",
  "messages",
  "promote-winner",
  "reentry",
  "results",
  "run-log-vocabulary",
  "waits",
];
for (const name of scenarios) describe(name, async () => void (await import(`../engine/${name}.test.ts`)));
