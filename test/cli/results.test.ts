import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { computeResults } from "../../engine/results";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { DAY, eventTrigger, HOUR, journey, T0, trackEvent } from "../engine/harness";
import { lifecycleModel } from "../../engine/customer/engine-model";

const root = fileURLToPath(new URL("../..", import.meta.url));
const data = mkdtempSync(join(tmpdir(), "rekindle-results-cli-"));
const ASOF = new Date(T0 + 20 * DAY).toISOString();

function rekindle(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin/rekindle.js"), ...args],
      { cwd: root, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const doc = journey(
  [
    ["t1", "trigger", eventTrigger("churn_signal")],
    ["h1", "split", { kind: "holdout", percent: 50 }],
  ],
  [["t1", "h1"]],
  { goal: { event: "order_completed", within: "7d" }, reentry: { mode: "always" } },
  "Holdout",
);

/** A data directory whose journey `hold` has two versions: 30 entries on the first, 20 on the second. */
beforeAll(async () => {
  const store = SqliteStore.open(join(data, "rekindle.db"), { checkpoint: "inline" });
  const clock = new ManualClock(T0);
  const engine = await Engine.open({ model: lifecycleModel(), store, clock, registry: defaultRegistry() });
  await engine.createJourney(doc, "hold");
  await engine.publish("hold", doc);
  const enter = async (ids: string[], at: number) => {
    clock.set(at);
    await engine.ingest(ids.map((id) => trackEvent(id, "churn_signal", {}, at)));
    await engine.ingest(
      ids
        .filter((_, i) => i % 3 === 0)
        .map((id) => trackEvent(id, "order_completed", { revenue: 9 }, at + HOUR)),
    );
    while ((await engine.tick(1000)) > 0);
  };
  await enter(
    Array.from({ length: 30 }, (_, i) => `a-${i}`),
    T0,
  );
  await engine.publish("hold", { ...doc, name: "Holdout v2" });
  await enter(
    Array.from({ length: 20 }, (_, i) => `b-${i}`),
    T0 + 10 * DAY,
  );
  await engine.close();
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

// Each case spawns the CLI (a few seconds each on a busy machine): side by side, with room to start.
describe.concurrent("rekindle results", { timeout: 120_000 }, () => {
  it("prints the §4 report of a journey in a data directory, as the engine computes it", async ({
    expect,
  }) => {
    const r = await rekindle("results", "--data", data, "--journey", "hold", "--as-of", ASOF);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const store = SqliteStore.open(join(data, "rekindle.db"), { checkpoint: "inline" });
    try {
      expect(JSON.parse(r.stdout)).toEqual(await computeResults(store, "hold", { asOf: Date.parse(ASOF) }));
    } finally {
      await store.close();
    }
    expect(JSON.parse(r.stdout)).toMatchObject({ journeyId: "hold", totals: { entered: 50, converted: 17 } });
  });

  it("narrows to a version and a time range", async ({ expect }) => {
    const v1 = await rekindle(
      "results",
      "--data",
      data,
      "--journey",
      "hold",
      "--version",
      "1",
      "--as-of",
      ASOF,
    );
    expect(JSON.parse(v1.stdout)).toMatchObject({ version: 1, totals: { entered: 30, converted: 10 } });
    const late = await rekindle(
      "results",
      ...[
        "--data",
        data,
        "--journey",
        "hold",
        "--from",
        new Date(T0 + 5 * DAY).toISOString(),
        "--as-of",
        ASOF,
      ],
    );
    expect(JSON.parse(late.stdout)).toMatchObject({ totals: { entered: 20, converted: 7 } });
  });

  it("prints one CSV row per entry with --csv", async ({ expect }) => {
    const r = await rekindle("results", "--data", data, "--journey", "hold", "--csv", "--as-of", ASOF);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toContain("h1");
  });

  it("fails with a clear message on an unknown journey or version, a bad time or a missing database", async ({
    expect,
  }) => {
    const cases: [string[], RegExp][] = [
      [["--data", data, "--journey", "nope"], /journey nope not found/],
      [["--data", data, "--journey", "hold", "--version", "9"], /version 9 of journey hold not found/],
      [["--data", data, "--journey", "hold", "--from", "yesterday"], /--from: bad time "yesterday"/],
      [["--data", join(data, "missing"), "--journey", "hold"], /no Rekindle database in/],
    ];
    const runs = await Promise.all(cases.map(([args]) => rekindle("results", ...args)));
    for (const [i, [args, message]] of cases.entries()) {
      expect(runs[i]!.code, args.join(" ")).toBe(1);
      expect(runs[i]!.stderr).toMatch(message);
      expect(runs[i]!.stdout).toBe("");
    }
  }, 120_000);
});
