import { describe, expect, it } from "vitest";
import { durationMs, formatDuration, parseDuration } from "./duration";

describe("durations", () => {
  it.each([
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["72h", 259_200_000],
    ["14d", 1_209_600_000],
    ["2w", 1_209_600_000],
    ["1d", 24 * 3_600_000],
    ["0s", 0],
  ])("parses %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(durationMs(text)).toBe(ms);
  });

  it("makes a day exactly 24 hours, whatever the calendar", () => {
    expect(parseDuration("1d")).toBe(parseDuration("24h"));
    expect(parseDuration("1w")).toBe(parseDuration("7d"));
  });

  it.each<unknown>([
    "72 hours",
    "1.5h",
    "",
    72,
    "72",
    "h",
    "-1h",
    "+1h",
    "72H",
    " 72h",
    "72h ",
    "1h30m",
    "1y",
    "1e3s",
    null,
    undefined,
    {},
    "99999999999999999999w",
  ])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it("throws from durationMs with the offending text quoted", () => {
    expect(() => durationMs("72 hours")).toThrow('"72 hours"');
  });

  it("formats in the largest whole unit", () => {
    expect(formatDuration(259_200_000)).toBe("3d");
    expect(formatDuration(1_209_600_000)).toBe("2w");
    expect(formatDuration(90_000)).toBe("90s");
    expect(formatDuration(5_400_000)).toBe("90m");
    expect(formatDuration(0)).toBe("0s");
  });

  it("round-trips every unit", () => {
    for (const text of ["1s", "59s", "1m", "1h", "25h", "1d", "6d", "1w", "52w"]) {
      expect(parseDuration(formatDuration(durationMs(text)))).toBe(durationMs(text));
    }
  });
});
