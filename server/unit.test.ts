/* eslint-disable @typescript-eslint/no-unsafe-assignment -- expect.stringContaining is typed any */
import { describe, expect, it } from "vitest";
import { hashPassword, RateLimiter, verifyPassword } from "./auth";
import { normalize } from "./routes/ingest";

describe("passwords", () => {
  it("hashes with scrypt and verifies", async () => {
    const h = await hashPassword("a long password", 1024);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword("a long password", h)).toBe(true);
    expect(await verifyPassword("another password", h)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });
});

describe("rate limiter", () => {
  it("allows a burst, then the rate", () => {
    let t = 0;
    const rl = new RateLimiter(10, 5, () => t);
    for (let i = 0; i < 5; i++) expect(rl.take("k")).toBe(0);
    expect(rl.take("k")).toBeGreaterThan(0);
    expect(rl.take("other")).toBe(0);
    t += 100;
    expect(rl.take("k")).toBe(0);
    expect(rl.take("k")).toBeGreaterThan(0);
  });
});

describe("Segment normalisation", () => {
  const now = "2026-03-01T00:00:00.000Z";
  it("takes the type from the endpoint and defaults the timestamp", () => {
    const r = normalize({ userId: 7, event: "x" }, now, "track");
    expect(r).toEqual({
      ok: true,
      event: { type: "track", userId: "7", event: "x", properties: {}, timestamp: now },
    });
  });
  it("refuses anonymous and unsupported calls with a reason", () => {
    expect(normalize({ anonymousId: "a" }, now, "identify")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("userId"),
    });
    expect(normalize({ type: "alias", userId: "u" }, now)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("alias"),
    });
    expect(normalize([], now)).toMatchObject({ ok: false });
  });
});
