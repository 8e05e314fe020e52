import { describe, expect, it } from "vitest";
import { inputEventSchema, timestampSchema } from "./events";

const identify = {
  type: "identify",
  userId: "c-1001",
  traits: { email: "li@example.com", name: "Li Na", timezone: "Asia/Shanghai" },
  timestamp: "2026-03-01T08:00:00Z",
};
const track = {
  type: "track",
  userId: "c-1001",
  event: "order_completed",
  properties: { revenue: 129.5, currency: "CNY" },
  timestamp: "2026-03-02T10:30:00Z",
  messageId: "m-77",
};

function problems(input: unknown): { path: string; message: string }[] {
  const result = inputEventSchema.safeParse(input);
  if (result.success) throw new Error("expected the event to be rejected");
  return result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

describe("event input (spec §2)", () => {
  it("accepts the spec's identify and track lines", () => {
    expect(inputEventSchema.parse(identify)).toEqual(identify);
    expect(inputEventSchema.parse(track)).toEqual(track);
  });

  it("parses NDJSON lines as written", () => {
    const ndjson = [JSON.stringify(identify), JSON.stringify(track)].join("\n");
    const events = ndjson.split("\n").map((line) => inputEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.type)).toEqual(["identify", "track"]);
  });

  it("defaults traits and properties to {} and keeps extra Segment fields", () => {
    const { traits: _t, ...bare } = identify;
    expect(inputEventSchema.parse(bare)).toMatchObject({ traits: {} });
    const { properties: _p, ...bareTrack } = track;
    expect(inputEventSchema.parse(bareTrack)).toMatchObject({ properties: {} });
    expect(inputEventSchema.parse({ ...track, context: { ip: "1.2.3.4" } })).toMatchObject({
      context: { ip: "1.2.3.4" },
    });
  });

  it("makes messageId optional", () => {
    const { messageId: _m, ...noId } = track;
    const parsed = inputEventSchema.parse(noId);
    expect(parsed.messageId).toBeUndefined();
    expect(inputEventSchema.parse(track).messageId).toBe("m-77");
    expect(problems({ ...track, messageId: "" })[0]?.path).toBe("messageId");
  });

  it("requires userId", () => {
    const { userId: _u, ...anonymous } = track;
    expect(problems(anonymous)).toContainEqual({
      path: "userId",
      message: "userId is required; got nothing",
    });
    expect(problems({ ...track, userId: "" })[0]?.path).toBe("userId");
    expect(problems({ ...identify, userId: null })[0]).toEqual({
      path: "userId",
      message: "userId is required; got null",
    });
  });

  it("reads a numeric userId as a string", () => {
    expect(inputEventSchema.parse({ ...track, userId: 1001 }).userId).toBe("1001");
  });

  it("rejects a type other than identify or track, quoting it", () => {
    const [issue] = problems({ ...track, type: "page" });
    expect(issue?.message).toContain('"page"');
  });

  it("requires an event name on track", () => {
    const { event: _e, ...noEvent } = track;
    expect(problems(noEvent)[0]?.path).toBe("event");
    expect(problems({ ...track, event: "" })[0]?.path).toBe("event");
  });

  it("rejects a timestamp without a zone, quoting it", () => {
    for (const timestamp of ["2026-03-02T10:30:00", "2026-03-02 10:30:00", "2026-03-02T10:30:00.000"]) {
      const [issue] = problems({ ...track, timestamp });
      expect(issue?.path).toBe("timestamp");
      expect(issue?.message).toContain(JSON.stringify(timestamp));
    }
  });

  it("rejects a missing timestamp and things that are not ISO 8601", () => {
    const { timestamp: _ts, ...noTimestamp } = track;
    expect(problems(noTimestamp)[0]?.path).toBe("timestamp");
    for (const timestamp of ["2026-03-02", "yesterday", "1772447400000", "Mon, 02 Mar 2026 10:30:00 GMT"]) {
      expect(timestampSchema.safeParse(timestamp).success, timestamp).toBe(false);
    }
    expect(timestampSchema.safeParse(1772447400000).success).toBe(false);
  });

  it("rejects dates and times that do not exist", () => {
    for (const timestamp of [
      "2026-02-30T10:30:00Z",
      "2026-02-29T10:30:00Z",
      "2026-13-01T10:30:00Z",
      "2026-00-10T10:30:00Z",
      "2026-03-02T24:00:00Z",
      "2026-03-02T10:60:00Z",
      "2026-03-02T10:30:61Z",
      "2026-03-02T10:30:00+25:00",
    ]) {
      expect(timestampSchema.safeParse(timestamp).success, timestamp).toBe(false);
    }
    expect(timestampSchema.safeParse("2028-02-29T10:30:00Z").success).toBe(true);
  });

  it("accepts Z and offsets, with or without seconds and fractions", () => {
    for (const timestamp of [
      "2026-03-02T10:30:00Z",
      "2026-03-02T10:30Z",
      "2026-03-02T10:30:00.123Z",
      "2026-03-02T10:30:00.123456Z",
      "2026-03-02T18:30:00+08:00",
      "2026-03-02T18:30:00+0800",
      "2026-03-02T05:30:00-05:00",
      "2026-03-02T10:30:00+00:00",
    ]) {
      expect(timestampSchema.safeParse(timestamp).success, timestamp).toBe(true);
    }
  });

  it("keeps the timestamp text as given; an offset names the same instant as Z", () => {
    const parsed = inputEventSchema.parse({ ...track, timestamp: "2026-03-02T18:30:00+08:00" });
    expect(parsed.timestamp).toBe("2026-03-02T18:30:00+08:00");
    expect(Date.parse(parsed.timestamp)).toBe(Date.parse("2026-03-02T10:30:00Z"));
  });
});
