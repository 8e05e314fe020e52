import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rekindleInProcess } from "./in-process";

const dir = mkdtempSync(join(tmpdir(), "rk-deep-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const JOURNEY = new URL("../fixtures/winback-72h.json", import.meta.url).pathname;
const DEPTH = 20_000;
// Written as text: a JSON.stringify of such a value would itself overflow the stack.
const deepObject = `${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}`;
const deepArray = `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`;
const ok = '{"type":"identify","userId":"u1","timestamp":"2026-01-01T00:00:00Z"}';

describe("20,000-deep input to validate and simulate", () => {
  it.each([
    [
      "an event property",
      `{"type":"track","userId":"u1","event":"x","timestamp":"2026-01-01T00:00:00Z","properties":{"p":${deepObject}}}`,
      /:2: properties\.p\.a\.a.*: nested deeper than 32 levels/,
    ],
    [
      "a trait",
      `{"type":"identify","userId":"u1","timestamp":"2026-01-01T00:00:00Z","traits":{"t":${deepArray}}}`,
      /:2: traits\.t\[0\]\[0\].*: nested deeper than 32 levels/,
    ],
  ])("simulate: %s names the file, the line, the field and the limit", async (_what, line, message) => {
    const events = file(`events-${_what.replace(/\W/g, "")}.ndjson`, `${ok}\n${line}\n`);
    const r = await rekindleInProcess(["simulate", "--journey", JOURNEY, "--events", events]);
    expect(r.crash).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(events);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/call stack/);
  });

  it.each([
    ["an object", deepObject, /nested more than 100 levels deep/],
    ["an array", deepArray, /a journey must be a JSON object; got "array"/],
  ])(
    "validate and simulate: a journey that is %s nested 20,000 deep is a clear issue",
    async (_what, text, message) => {
      const journey = file(`journey-${_what.replace(/\W/g, "")}.json`, text);
      const events = file("ok.ndjson", `${ok}\n`);
      for (const args of [
        ["validate", journey],
        ["simulate", "--journey", journey, "--events", events],
      ]) {
        const r = await rekindleInProcess(args);
        expect(r.crash, args[0]).toBeUndefined();
        expect(r.code, args[0]).toBe(1);
        expect(r.stderr, args[0]).toContain(`${journey}: journey: `);
        expect(r.stderr, args[0]).toMatch(message);
        expect(r.stderr, args[0]).not.toMatch(/call stack/);
        expect(r.stderr.length, args[0]).toBeLessThan(2_000);
      }
      expect(readFileSync(journey, "utf8")).toBe(text);
    },
  );
});
