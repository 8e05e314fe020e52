import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = (rel: string): string => join(root, rel);
const JOURNEY = fixture("test/fixtures/winback-72h.json");
const EVENTS = fixture("test/fixtures/winback-events.ndjson");
const tmp = mkdtempSync(join(tmpdir(), "rekindle-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function rekindle(...args: string[]): Promise<Result> {
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

const writeTmp = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

// Each case spawns its own CLI process: run them side by side.
describe.concurrent("rekindle simulate", () => {
  it("runs the spec's example journey over an event file: exit 0, the report on stdout", async ({
    expect,
  }) => {
    const r = await rekindle("simulate", "--journey", JOURNEY, "--events", EVENTS);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      journeys: { name: string; counts: Record<string, Record<string, unknown>> }[];
      runs: { customerId: string; outcome: string }[];
      deliveries: { customerId: string; at: string; rendered: Record<string, unknown> | null }[];
      steps: { explain: unknown[] }[];
    };
    expect(report.journeys[0]!.name).toBe("Win-back within 72 hours");
    expect(report.journeys[0]!.counts.t1).toMatchObject({ entered: 5 });
    expect(report.runs).toHaveLength(5);
    expect(report.deliveries.map((d) => [d.customerId, d.at])).toEqual([
      ["c-1001", "2026-03-05T02:00:00.000Z"],
      ["c-1005", "2026-03-05T05:00:00.000Z"],
      ["c-1003", "2026-03-05T14:00:00.000Z"],
    ]);
    // The built-in library knows winback-coupon, so deliveries are rendered.
    for (const d of report.deliveries) {
      expect(d.rendered).toMatchObject({
        subject: expect.any(String) as unknown,
        body: expect.any(String) as unknown,
      });
    }
    expect(report.steps.length).toBeGreaterThan(0);
  });

  it("writes the report to --out and honours --until", async ({ expect }) => {
    const out = join(tmp, "report.json");
    const r = await rekindle(
      "simulate",
      "--journey",
      JOURNEY,
      "--events",
      EVENTS,
      "--until",
      "2026-03-04T00:00:00Z",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const report = JSON.parse(readFileSync(out, "utf8")) as {
      runs: { outcome: string }[];
      deliveries: unknown[];
    };
    expect(report.deliveries).toEqual([]);
    expect(report.runs.filter((x) => x.outcome === "waiting")).toHaveLength(4);
  });

  it("a bad journey exits 1 with one line per issue: node or edge id, path and message", async ({
    expect,
  }) => {
    const bad = fixture("test/fixtures/bad-duration.json");
    const r = await rekindle("simulate", "--journey", bad, "--events", EVENTS);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/node w1: nodes\[1\]\.data\.duration: .*"72 hours"/));
    expect(lines).toContainEqual(expect.stringMatching(/node a1: nodes\[2\]\.data\.action: .*"fax"/));
    expect(lines).toContainEqual(expect.stringMatching(/edge e3: edges\[2\]\.sourceHandle: .*"maybe"/));
    // A header line, then exactly one line per issue.
    expect(lines.filter((l) => /: (node|edge) \S+: /.test(l))).toHaveLength(3);
  });

  it("a bad event line exits 1 naming the file and the line number", async ({ expect }) => {
    const r = await rekindle(
      "simulate",
      "--journey",
      JOURNEY,
      "--events",
      fixture("test/fixtures/bad-events.ndjson"),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/bad-events\.ndjson:3: .*timestamp/);
    expect(r.stderr).toContain('"2026-03-02T10:30:00"');
  });

  it("a line that is not JSON exits 1 with its number", async ({ expect }) => {
    const events = writeTmp(
      "not-json.ndjson",
      [
        '{"type":"identify","userId":"c-1","traits":{},"timestamp":"2026-03-01T08:00:00Z"}',
        '{"type":"track","userId":"c-1","event":"churn_signal","timestamp":"2026-03-02T10:30:00Z"}',
        "{not json",
      ].join("\n"),
    );
    const r = await rekindle("simulate", "--journey", JOURNEY, "--events", events);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not-json\.ndjson:3: not valid JSON/);
  });

  it("an event without userId or with an unknown type exits 1 naming the line", async ({ expect }) => {
    const events = writeTmp(
      "no-user.ndjson",
      '{"type":"identify","userId":"c-1","traits":{},"timestamp":"2026-03-01T08:00:00Z"}\n{"type":"page","userId":"c-1","timestamp":"2026-03-01T08:00:00Z"}\n',
    );
    const r = await rekindle("simulate", "--journey", JOURNEY, "--events", events);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-user\.ndjson:2: .*type/);
  });

  it("a missing file exits 1 with a clear message", async ({ expect }) => {
    const r = await rekindle("simulate", "--journey", join(tmp, "nope.json"), "--events", EVENTS);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.json: cannot read/);
  });
});
