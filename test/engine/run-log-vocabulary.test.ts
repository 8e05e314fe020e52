import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { STEP_OUTCOMES, STEP_REASONS, isStepOutcome } from "../../engine/schema/run-log";
import { parseEventLines } from "../../engine/simulate/events-file";
import { simulate } from "../../engine/simulate/simulate";
import { anyTemplate } from "./harness";

const ROOT = join(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Outcome and reason literals the engine's run-log writers spell out (`outcome: "x"`, `outcome: a ? "x" : "y"`). */
function writtenLiterals(src: string, field: "outcome" | "reason"): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(new RegExp(`\\b${field}:\\s*([^,}\\n]+)`, "g")))
    for (const lit of m[1]!.matchAll(/"([a-z_]+)"/g)) out.push(lit[1]!);
  return out;
}

// The run log is written by the runtime alone; simulate and the store only copy outcomes through.
const WRITERS = ["engine/runtime"];

describe("the run log's closed vocabulary", () => {
  const files = WRITERS.flatMap((d) => sources(join(ROOT, d)));
  const text = files.map((f) => ({ rel: relative(ROOT, f), src: readFileSync(f, "utf8") }));

  it("finds literals in a sample", () => {
    expect(
      writtenLiterals('log({ outcome: run.port === null ? "resumed" : "released", x })', "outcome"),
    ).toEqual(["resumed", "released"]);
  });

  it("the engine writes no outcome outside STEP_OUTCOMES, and every listed outcome is written", () => {
    const written = new Set<string>();
    const strangers: string[] = [];
    for (const { rel, src } of text)
      for (const o of writtenLiterals(src, "outcome")) {
        written.add(o);
        if (!isStepOutcome(o)) strangers.push(`${rel}: ${o}`);
      }
    expect(strangers).toEqual([]);
    expect(STEP_OUTCOMES.filter((o) => !written.has(o))).toEqual([]);
  });

  it("every reason the engine chooses itself is in STEP_REASONS, and every listed reason is chosen", () => {
    const chosen = new Set<string>();
    for (const { src } of text) {
      for (const r of writtenLiterals(src, "reason")) chosen.add(r);
      // Reasons handed to the helpers that log them: failTo("bad_config"), failRun(run, "step_limit", …).
      for (const m of src.matchAll(/\b(?:failTo|failRun)\([^)"]*?"([a-z_]+)"/g)) chosen.add(m[1]!);
    }
    // Not run-log reasons: a split assignment's ("hash") is the results ledger's; a manual entry refused
    // for an unknown customer ("unknown_customer") is an answer to the caller, logged nowhere.
    chosen.delete("hash");
    chosen.delete("unknown_customer");
    expect([...chosen].filter((r) => !(STEP_REASONS as readonly string[]).includes(r))).toEqual([]);
    expect(STEP_REASONS.filter((r) => !chosen.has(r))).toEqual([]);
  });

  it("every step of a simulated journey library carries a listed outcome", async () => {
    const dir = join(ROOT, "test/fixtures/journeys");
    const library = [
      "cycle-through-wait.json",
      "dormant-wake-up.json",
      "holdout.json",
      "satisfaction-survey.json",
      "stage-trigger.json",
      "wait-for-event.json",
      "winback-golden-72h.json",
    ];
    const journeys = library.map((name) => ({
      source: name,
      doc: JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown,
    }));
    journeys.push({
      source: "winback-72h.json",
      doc: JSON.parse(readFileSync(join(ROOT, "test/fixtures/winback-72h.json"), "utf8")) as unknown,
    });
    const events = parseEventLines(readFileSync(join(ROOT, "test/fixtures/winback-events.ndjson"), "utf8"));
    const report = await simulate({ journeys, events, templates: anyTemplate });
    expect(report.steps.length).toBeGreaterThan(50);
    const outcomes = new Set(report.steps.map((s) => s.outcome));
    expect([...outcomes].filter((o) => !isStepOutcome(o))).toEqual([]);
    expect(outcomes.size).toBeGreaterThan(6);
  });
});
