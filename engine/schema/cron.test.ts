import { describe, expect, it } from "vitest";
import { validate } from "node-cron";
import { cronProblem, nextCronTime, nextCronTimes } from "./cron";

const iso = (d: Date): string => d.toISOString();

describe("cronProblem", () => {
  it.each([
    "0 8 * * *",
    "*/15 * * * *",
    "0 9 * * 1-5",
    "0 9 * * mon-fri",
    "0 0 1 * *",
    "30 0 8 * * *",
    " 0 8 * * * ",
    "@daily",
    "0 9 L * *",
    "0 9 * * 1#2",
  ])("accepts %j", (expr) => {
    expect(cronProblem(expr)).toBeNull();
    expect(cronProblem(expr, "Asia/Shanghai")).toBeNull();
  });

  it.each([
    ["61 * * * *", "61"],
    ["every day", "got 2"],
    ["* * * *", "4"],
    ["* * * * * * *", "7"],
    ["0 24 * * *", "24"],
    ["0 8 32 * *", "32"],
    ["0 8 * 13 *", "13"],
    ["0 9 31 2 *", "impossible day of month"],
    ["1/5 * * * *", "1/5"],
  ])("rejects %j, quoting it", (expr, detail) => {
    const problem = cronProblem(expr);
    expect(problem).toContain(JSON.stringify(expr));
    expect(problem).toContain(detail);
  });

  it.each(["H 8 * * *", "0 H * * *", "H/15 * * * *", "0 8 * * 1,H", "H(0-29) 8 * * *"])(
    "rejects %j: node-cron has no H (cron-parser would read it as a random value, new on every parse)",
    (expr) => {
      expect(cronProblem(expr)).toContain(JSON.stringify(expr));
    },
  );

  it("still accepts weekday names that contain an H", () => {
    expect(cronProblem("0 8 * * THU")).toBeNull();
    expect(cronProblem("0 8 * * mon-thu")).toBeNull();
  });

  it("accepts exactly what node-cron accepts, the syntax gate", () => {
    const exprs = [
      "0 8 * * *",
      "1/5 * * * *",
      "@hourly",
      "0 9 W * *",
      "0 9 * * 5L",
      "*/7 * * * * *",
      "0 0 29 2 *",
      "x 8 * * *",
    ];
    for (const e of exprs) expect(cronProblem(e) === null, e).toBe(validate(e));
  });

  it("rejects an empty or non-string schedule", () => {
    expect(cronProblem("")).toMatch(/cron/);
    expect(cronProblem("   ")).toMatch(/cron/);
    expect(cronProblem(undefined)).toMatch(/cron/);
    expect(cronProblem(5)).toContain("5");
  });
});

describe("next times, timezone-aware", () => {
  it('fires "0 8 * * *" in Asia/Shanghai at 00:00Z', () => {
    expect(iso(nextCronTime("0 8 * * *", "Asia/Shanghai", new Date("2026-03-01T00:00:00Z")))).toBe(
      "2026-03-02T00:00:00.000Z",
    );
    expect(iso(nextCronTime("0 8 * * *", "Asia/Shanghai", new Date("2026-03-01T23:59:59Z")))).toBe(
      "2026-03-02T00:00:00.000Z",
    );
    expect(iso(nextCronTime("0 8 * * *", "UTC", new Date("2026-03-01T00:00:00Z")))).toBe(
      "2026-03-01T08:00:00.000Z",
    );
  });

  it("is exclusive of the start time", () => {
    expect(iso(nextCronTime("0 8 * * *", "UTC", new Date("2026-03-01T08:00:00Z")))).toBe(
      "2026-03-02T08:00:00.000Z",
    );
  });

  it("uses the local weekday, not the UTC one", () => {
    // Monday 08:00 in Shanghai is Monday 00:00Z; Monday 08:00 in New York is Monday 12:00Z (EDT from Mar 8).
    expect(iso(nextCronTime("0 8 * * 1", "Asia/Shanghai", new Date("2026-03-04T00:00:00Z")))).toBe(
      "2026-03-09T00:00:00.000Z",
    );
    expect(iso(nextCronTime("0 8 * * 1", "America/New_York", new Date("2026-03-04T00:00:00Z")))).toBe(
      "2026-03-09T12:00:00.000Z",
    );
  });

  it("follows daylight saving time", () => {
    // Berlin switches to CEST on 2026-03-29: 09:00 local is 08:00Z before, 07:00Z after.
    const times = nextCronTimes("0 9 * * *", "Europe/Berlin", new Date("2026-03-27T12:00:00Z"), 3).map(iso);
    expect(times).toEqual([
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("supports a seconds field", () => {
    expect(iso(nextCronTime("30 0 8 * * *", "UTC", new Date("2026-03-01T00:00:00Z")))).toBe(
      "2026-03-01T08:00:30.000Z",
    );
  });
});

describe("nextCronTimes", () => {
  it("lists the next fire times in the schedule's zone, strictly after the instant", () => {
    // 09:00 in Shanghai is 01:00 UTC; from exactly 01:00 UTC the first is the next day's.
    const times = nextCronTimes("0 9 * * *", "Asia/Shanghai", new Date("2026-03-02T01:00:00Z"), 3);
    expect(times.map(iso)).toEqual([
      "2026-03-03T01:00:00.000Z",
      "2026-03-04T01:00:00.000Z",
      "2026-03-05T01:00:00.000Z",
    ]);
    expect(nextCronTimes("0 9 * * 1", "UTC", new Date("2026-03-02T00:00:00Z"), 2).map(iso)).toEqual([
      "2026-03-02T09:00:00.000Z",
      "2026-03-09T09:00:00.000Z",
    ]);
  });
});
