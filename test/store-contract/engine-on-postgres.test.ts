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
// splits.test runs in splits-on-postgres.test.ts, a file of its own: its two 10k-customer scenarios cost
// ~20 s of round trips on PostgreSQL, which run beside these instead of after them.
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
// Scenarios kept beside the engine code they test.
describe("publish-check", async () => void (await import("../../engine/runtime/publish-check.test")));
