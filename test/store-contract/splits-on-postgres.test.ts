/**
 * The engine's split scenarios (test/engine/splits.test.ts: 10k-customer random and holdout splits, their
 * determinism across engines, the branch fact) on PostgreSQL, in a file of their own so they run beside the
 * other scenario files instead of after them.
 */
import { afterAll, beforeAll, describe, vi } from "vitest";
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
// A 10k-customer scenario makes ~10 s of round trips on an idle machine: room for a loaded one.
vi.setConfig({ testTimeout: 120_000 });

const scenario = "splits";
describe(scenario, async () => void (await import(`../engine/${scenario}.test.ts`)));
