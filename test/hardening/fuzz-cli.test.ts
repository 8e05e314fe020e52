import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rekindleInProcess, type CliResult } from "../cli/in-process";

/**
 * Hostile files and arguments at every command of the command line (validate, simulate, import, model fit):
 * no crash (an uncaught exception would print a stack trace), no hang, exit 0, 1 or 2 with a message, input
 * files untouched, and a rejected import leaves the database as it was. The commands run in this process
 * (milliseconds a case); a handful of cases also run as real processes through bin/rekindle.js.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const JOURNEY = readFileSync(join(ROOT, "test/fixtures/winback-72h.json"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "rk-fuzz-cli-"));
const data = join(dir, "data");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const file = (text: string, ext = "json"): string => {
  const p = join(dir, `f${++n}.${ext}`);
  writeFileSync(p, text);
  return p;
};
const sha = (p: string): string => createHash("sha256").update(readFileSync(p)).digest("hex");

function dbDigest(): string {
  const db = new Database(join(data, "rekindle.db"), { readonly: true });
  try {
    const tables = ["events", "customers", "runs", "steps", "outbox", "journeys", "meta"];
    const rows = tables.map((t) => db.prepare(`SELECT count(*) AS n, max(rowid) AS m FROM ${t}`).get());
    return JSON.stringify(rows);
  } finally {
    db.close();
  }
}

function expectClean(r: CliResult, args: readonly string[]): void {
  const what = `rekindle ${args.join(" ").slice(0, 300)}\n${r.stderr.slice(0, 500)}`;
  expect(r.crash, what).toBeUndefined();
  expect([0, 1, 2], what).toContain(r.code);
  if (r.code !== 0) expect(r.stderr.trim().length, what).toBeGreaterThan(0);
  expect(r.stderr, what).not.toMatch(/\n\s+at \S+ \(/);
  expect(r.stderr, what).not.toMatch(/Maximum call stack|Cannot read properties|is not a function/);
}

const deepText = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('{"a":', "[", '{"__proto__":', '{"nodes":'))
  .map(([depth, open]) => `${open.repeat(depth)}1${(open === "[" ? "]" : "}").repeat(depth)}`);
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ maxLength: 40 }),
  fc.constant("x".repeat(100_000)),
  fc.constantFrom(null, true, 0, -0, 1e308, -1e308, "9999-12-31T00:00:00Z", "2026-02-30", "NaN", "__proto__"),
  fc.dictionary(
    fc.constantFrom("__proto__", "constructor", "prototype", "toString"),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);
/** The valid fixture with one field (at any depth) replaced by something hostile. */
const mutatedJourney = fc.tuple(fc.nat(), hostileValue).map(([pick, value]) => {
  const doc = JSON.parse(JOURNEY) as unknown;
  const holders: [Record<string, unknown>, string][] = [];
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      holders.push([v as Record<string, unknown>, k]);
      walk(child);
    }
  };
  walk(doc);
  const [holder, key] = holders[pick % holders.length]!;
  holder[key] = value;
  return JSON.stringify(doc);
});
const journeyText = fc.oneof(
  mutatedJourney,
  deepText,
  hostileValue.map((v) => JSON.stringify(v) ?? "null"),
  fc.constantFrom("", "{", "\u0000", "[]", JOURNEY.slice(0, 200)),
);
const eventLine = fc.oneof(
  fc
    .record(
      {
        type: fc.constantFrom("identify", "track", "page", "alias", 7),
        userId: hostileValue,
        event: hostileValue,
        timestamp: fc.oneof(hostileValue, fc.constant("2026-01-01T00:00:00Z")),
        traits: hostileValue,
        properties: hostileValue,
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  deepText.map(
    (t) => `{"type":"track","userId":"u","event":"x","timestamp":"2026-01-01T00:00:00Z","properties":${t}}`,
  ),
  fc.string({ maxLength: 60 }),
);
const eventsText = fc.array(eventLine, { maxLength: 6 }).map((lines) => lines.join("\n"));
const hostileArg = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "",
    "-1",
    "0",
    "1e309",
    "NaN",
    "--",
    "--help",
    "-x",
    "9999-12-31",
    "2026-02-30",
    "..",
    "/",
    "/dev/null",
  ),
);
const csvText = fc.oneof(
  fc
    .array(
      fc
        .tuple(hostileArg, hostileArg, hostileArg)
        .map((cells) => cells.map((c) => c.replace(/\n/g, " ")).join(",")),
      { maxLength: 6 },
    )
    .map((rows) => ["customer_id,date,revenue", ...rows].join("\n")),
  fc.array(eventLine, { maxLength: 4 }).map((l) => l.join("\n")),
  fc.string({ maxLength: 200 }),
  deepText,
);

beforeAll(async () => {
  // A database with history: a rejected import must leave it as it was.
  const orders = file("customer_id,date,revenue\nc1,2026-01-02,10\nc2,2026-01-05,25\n", "csv");
  const r = await rekindleInProcess(["import", "--data", data, "--orders", orders, "--no-progress"]);
  expect(r.code, r.stderr).toBe(0);
});

describe("hostile input at every command", () => {
  it("validate", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(journeyText, { minLength: 1, maxLength: 3 }),
        fc.option(hostileArg),
        async (docs, lang) => {
          const files = docs.map((d) => file(d));
          const before = files.map(sha);
          const args = ["validate", ...files, ...(lang === null ? [] : ["--lang", lang])];
          expectClean(await rekindleInProcess(args), args);
          expect(files.map(sha)).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("simulate", async () => {
    await fc.assert(
      fc.asyncProperty(
        journeyText,
        eventsText,
        fc.option(hostileArg),
        fc.option(fc.constantFrom("--max-steps", "--max-seconds", "--max-output-mb")),
        fc.option(hostileArg),
        async (doc, events, until, budgetFlag, budgetValue) => {
          const files = [file(doc), file(events, "ndjson")];
          const before = files.map(sha);
          const args = [
            "simulate",
            "--journey",
            files[0]!,
            "--events",
            files[1]!,
            "--max-steps",
            "2000",
            ...(until === null ? [] : ["--until", until]),
            ...(budgetFlag === null || budgetValue === null ? [] : [budgetFlag, budgetValue]),
          ];
          expectClean(await rekindleInProcess(args), args);
          expect(files.map(sha)).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("import: a rejected import leaves the database as it was", async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.option(csvText),
        fc.option(fc.constantFrom("--map", "--format", "--chunk", "--order-event")),
        fc.option(hostileArg),
        async (orders, customers, flag, value) => {
          const files = [file(orders, "csv"), ...(customers === null ? [] : [file(customers, "csv")])];
          const args = [
            "import",
            "--data",
            data,
            "--no-progress",
            "--orders",
            files[0]!,
            ...(files[1] ? ["--customers", files[1]] : []),
            ...(flag === null || value === null ? [] : [flag, value]),
          ];
          const before = dbDigest();
          const r = await rekindleInProcess(args);
          expectClean(r, args);
          if (r.code !== 0) expect(dbDigest(), args.join(" ")).toBe(before);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("import of paths that are not files, or not there, changes nothing", async () => {
    const before = dbDigest();
    for (const orders of [dir, "/dev/null", join(dir, "missing.csv"), ""]) {
      const args = ["import", "--data", data, "--no-progress", "--orders", orders];
      expectClean(await rekindleInProcess(args), args);
    }
    expect(dbDigest()).toBe(before);
    expect(readdirSync(dir).includes("rekindle.db")).toBe(false);
  });

  it("import: a row nested 20,000 deep is a bad row naming its field, not a stack overflow", async () => {
    const deep = `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`;
    for (const [flag, field] of [
      ["--orders", "properties"],
      ["--customers", "traits"],
    ] as const) {
      const f = file(`{"customer_id":"c9","date":"2026-01-03","revenue":5,"x":${deep}}\n`, "ndjson");
      const before = dbDigest();
      const args = ["import", "--data", data, "--no-progress", flag, f];
      const r = await rekindleInProcess(args);
      expectClean(r, args);
      expect(r.stderr).toMatch(new RegExp(`:1: ${field}\\.x\\.a\\.a.*nested deeper than 32 levels`));
      expect(dbDigest()).toBe(before);
    }
  });

  it("model fit", async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.option(fc.constantFrom("--unit", "--format", "--calibration-end", "--columns")),
        fc.option(hostileArg),
        async (orders, flag, value) => {
          const f = file(orders, "csv");
          const args = [
            "model",
            "fit",
            "--orders",
            f,
            ...(flag === null || value === null ? [] : [flag, value]),
          ];
          expectClean(await rekindleInProcess(args), args);
        },
      ),
      { numRuns: 30 },
    );
  });
});

function spawnRekindle(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "bin/rekindle.js"), ...args],
      { cwd: ROOT, timeout: 60_000 },
      (err, _out, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stderr }),
    );
  });
}

// The real entry point too: what an operator sees is the process's exit code and standard error.
describe.concurrent("hostile input through bin/rekindle.js", () => {
  const cases: [string, () => string[]][] = [
    ["validate", () => ["validate", file(`${"[".repeat(20_000)}${"]".repeat(20_000)}`)]],
    [
      "simulate",
      () => ["simulate", "--journey", file(JOURNEY), "--events", file('{"type":"track"}\n{', "ndjson")],
    ],
    [
      "import",
      () => ["import", "--data", data, "--orders", file('\u0000,,\n"unterminated', "csv"), "--chunk", "0"],
    ],
    ["model fit", () => ["model", "fit", "--orders", file("a b c\n", "txt"), "--unit", "fortnight"]],
    ["an unknown command", () => ["frobnicate", "--everything"]],
  ];
  it.for(cases)(
    "%s: exits 1 or 2 with a message, no stack trace",
    { timeout: 90_000 },
    async ([, args], { expect }) => {
      const r = await spawnRekindle(args());
      expect([1, 2]).toContain(r.code);
      expect(r.stderr.trim().length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/\n\s+at \S+ \(/);
    },
  );
});
