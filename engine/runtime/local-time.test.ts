import { describe, expect, it } from "vitest";
import { customerZone, nextLocalTime, quietHoursEnd } from "./local-time";

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe("customerZone", () => {
  it("prefers a valid timezone trait, then the journey's zone, then UTC", () => {
    expect(customerZone({ timezone: "America/New_York" }, "Asia/Shanghai")).toBe("America/New_York");
    expect(customerZone({ timezone: "Not/AZone" }, "Asia/Shanghai")).toBe("Asia/Shanghai");
    expect(customerZone({ timezone: 8 }, undefined)).toBe("UTC");
    expect(customerZone({}, undefined)).toBe("UTC");
  });
});

describe("quietHoursEnd", () => {
  const night = { start: "21:00", end: "09:00" };
  it("is null outside the window and the window's end inside it (wrapping midnight)", () => {
    // Shanghai is UTC+8.
    expect(quietHoursEnd(at("2026-03-02T04:00:00Z"), "Asia/Shanghai", night)).toBeNull(); // 12:00
    expect(iso(quietHoursEnd(at("2026-03-02T13:00:00Z"), "Asia/Shanghai", night))).toBe(
      "2026-03-03T01:00:00.000Z",
    ); // 21:00
    expect(iso(quietHoursEnd(at("2026-03-02T18:00:00Z"), "Asia/Shanghai", night))).toBe(
      "2026-03-03T01:00:00.000Z",
    ); // 02:00
    expect(iso(quietHoursEnd(at("2026-03-03T00:59:59.999Z"), "Asia/Shanghai", night))).toBe(
      "2026-03-03T01:00:00.000Z",
    );
    expect(quietHoursEnd(at("2026-03-03T01:00:00Z"), "Asia/Shanghai", night)).toBeNull(); // 09:00: end is exclusive
  });

  it("handles a window within one day", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(iso(quietHoursEnd(at("2026-03-02T12:15:00Z"), "UTC", lunch))).toBe("2026-03-02T13:30:00.000Z");
    expect(quietHoursEnd(at("2026-03-02T13:30:00Z"), "UTC", lunch)).toBeNull();
    expect(quietHoursEnd(at("2026-03-02T11:59:00Z"), "UTC", lunch)).toBeNull();
  });

  it("ends at local 09:00 across a daylight-saving change", () => {
    // New York springs forward on 2026-03-08: 09:00 local is 14:00Z before, 13:00Z after.
    expect(iso(quietHoursEnd(at("2026-03-08T04:00:00Z"), "America/New_York", night))).toBe(
      "2026-03-08T13:00:00.000Z",
    );
    expect(iso(quietHoursEnd(at("2026-03-07T04:00:00Z"), "America/New_York", night))).toBe(
      "2026-03-07T14:00:00.000Z",
    );
  });
});

describe("nextLocalTime", () => {
  it("finds the next such local time on the given days", () => {
    // 2026-03-02 is a Monday.
    expect(iso(nextLocalTime(at("2026-03-02T00:00:00Z"), "UTC", "09:00"))).toBe("2026-03-02T09:00:00.000Z");
    expect(iso(nextLocalTime(at("2026-03-02T10:00:00Z"), "UTC", "09:00"))).toBe("2026-03-03T09:00:00.000Z");
    expect(iso(nextLocalTime(at("2026-03-02T10:00:00Z"), "UTC", "09:00", ["mon"]))).toBe(
      "2026-03-09T09:00:00.000Z",
    );
    expect(iso(nextLocalTime(at("2026-03-02T10:00:00Z"), "Asia/Shanghai", "09:00", ["sat", "sun"]))).toBe(
      "2026-03-07T01:00:00.000Z",
    );
  });
});
