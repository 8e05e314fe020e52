import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { churnResponse } from "../../engine/customer/signal-latency";
import {
  checkSurveyAnswer,
  createSurveyToken,
  recordSurveyResponse,
  SurveyAnswerError,
  surveyLink,
  surveyMessageId,
  surveyResponseRate,
  verifySurveyToken,
} from "../../engine/customer/survey";
import type { CustomerProfile } from "../../engine/customer/types";
import { SqliteStore } from "../../engine/store/sqlite/store";
import type { OutboxRow, StoredEvent } from "../../engine/store/types";
import { email, eventTrigger, Harness, HOUR, journey, T0, waitFor } from "../engine/harness";

const H = HOUR;
let seq = 0;
const signal = (customerId: string, at: number, reason: string): StoredEvent => ({
  messageId: `sig-${++seq}`,
  customerId,
  type: "track",
  name: "churn_signal",
  properties: { reason },
  timestamp: at,
  receivedAt: at,
});
const delivery = (
  customerId: string,
  journeyId: string,
  deliveredAt: number,
  opts: { status?: OutboxRow["status"]; channel?: string | null; template?: string; config?: object } = {},
): OutboxRow => ({
  idempotencyKey: `k-${++seq}`,
  runId: seq,
  journeyId,
  versionId: 1,
  nodeId: "a1",
  visit: 1,
  customerId,
  action: "email",
  channel: opts.channel === undefined ? "email" : opts.channel,
  template: opts.template ?? "winback-coupon",
  payload: { config: opts.config ?? {} },
  status: opts.status ?? "sent",
  attempts: 1,
  nextAttemptAt: null,
  createdAt: deliveredAt,
  deliveredAt: opts.status === "failed" ? null : deliveredAt,
  response: null,
  error: null,
  resumesRun: false,
});

describe("signal-to-message latency", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(":memory:");
  });
  afterEach(async () => {
    await store.close();
  });

  it("known answer: share within 72 h over decided signals, median delay, per journey and reason", async () => {
    await store.commit({
      events: [
        signal("c1", T0, "order_gap"),
        signal("c2", T0, "falling_spend"),
        signal("c3", T0, "order_gap"),
        signal("c4", T0, "order_gap"),
        signal("c5", T0 + 190 * H, "falling_spend"),
        signal("c1", T0 + 50 * H, "low_satisfaction"),
      ],
      outbox: [
        delivery("c1", "J1", T0 + 10 * H),
        delivery("c2", "J2", T0 + 100 * H),
        delivery("c3", "J1", T0 + 1 * H, { status: "failed" }),
        delivery("c3", "J2", T0 + 30 * H),
        delivery("c3", "J1", T0 + 20 * H),
        delivery("c4", "J3", T0 + 5 * H, { channel: null }), // a webhook, not a message
        delivery("c4", "J3", T0 + 300 * H), // after the report's instant
        delivery("c1", "J2", T0 + 80 * H),
      ],
    });
    const r = await churnResponse(store, { now: T0 + 200 * H });
    expect(r.windowHours).toBe(72);
    expect(r.overall).toEqual({
      signals: 6,
      answered: 4,
      withinWindow: 3,
      pending: 1,
      handledWithin72h: 0.6,
      medianDelayHours: 25,
      p90DelayHours: 79,
    });
    expect(r.byJourney).toEqual([
      {
        journeyId: "J1",
        signals: 2,
        answered: 2,
        withinWindow: 2,
        pending: 0,
        handledWithin72h: 1,
        medianDelayHours: 15,
        p90DelayHours: 19,
      },
      {
        journeyId: "J2",
        signals: 2,
        answered: 2,
        withinWindow: 1,
        pending: 0,
        handledWithin72h: 0.5,
        medianDelayHours: 65,
        p90DelayHours: 93,
      },
    ]);
    expect(r.byReason.map((x) => [x.reason, x.signals, x.pending, x.handledWithin72h])).toEqual([
      ["falling_spend", 2, 1, 0],
      ["low_satisfaction", 1, 0, 1],
      ["order_gap", 3, 0, 2 / 3],
    ]);
    // A time range on the signals.
    const later = await churnResponse(store, { now: T0 + 200 * H, from: T0 + 1 });
    expect(later.overall.signals).toBe(2);
    expect(later.from).toBe(new Date(T0 + 1).toISOString());
    // Nothing at all.
    const none = await churnResponse(SqliteStore.open(":memory:"), { now: T0 });
    expect(none.overall).toMatchObject({ signals: 0, handledWithin72h: null, medianDelayHours: null });
  });

  it("end to end: a churn_signal journey that mails at once answers in 0 h; one that waits 4 days misses", async () => {
    const h = await Harness.open();
    try {
      const fast = await h.publish(
        journey(
          [
            ["t1", "trigger", eventTrigger("churn_signal")],
            ["a1", "action", email()],
          ],
          [["t1", "a1"]],
        ),
      );
      await h.identify("c1", { email: "c1@example.com" });
      await h.track("c1", "churn_signal", { reason: "order_gap" });
      await h.engine.archive(fast);
      await h.publish(
        journey(
          [
            ["t1", "trigger", eventTrigger("churn_signal")],
            ["w1", "wait", waitFor("4d")],
            ["a1", "action", email()],
          ],
          [
            ["t1", "w1"],
            ["w1", "a1"],
          ],
        ),
      );
      await h.identify("c2", { email: "c2@example.com" });
      await h.track("c2", "churn_signal", { reason: "falling_spend" });
      await h.advanceBy(5 * 24 * H);
      const r = await churnResponse(h.store, { now: h.now });
      expect(r.overall).toMatchObject({ signals: 2, answered: 2, withinWindow: 1, handledWithin72h: 0.5 });
      expect(r.byJourney.find((j) => j.journeyId === fast)).toMatchObject({ medianDelayHours: 0 });
    } finally {
      await h.close();
    }
  });
});

const SECRET = "a-test-secret-of-32-characters!!";

describe("survey tokens", () => {
  it("round-trips an invitation and refuses tampered, foreign, expired and malformed tokens", () => {
    const t = createSurveyToken(SECRET, {
      customerId: "c1",
      kind: "nps",
      journeyId: "J1",
      invitation: "run:a1:1",
      lang: "zh",
      expiresAt: T0 + H,
    });
    expect(verifySurveyToken(SECRET, t, T0)).toEqual({
      ok: true,
      invite: {
        customerId: "c1",
        kind: "nps",
        journeyId: "J1",
        invitation: "run:a1:1",
        lang: "zh",
        expiresAt: T0 + H,
      },
    });
    const [body, sig] = t.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ c: "c2", k: "nps", j: "J1" })).toString("base64url");
    expect(verifySurveyToken(SECRET, `${forged}.${sig}`, T0)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifySurveyToken("another-secret-of-enough-length", t, T0)).toMatchObject({
      reason: "bad_signature",
    });
    expect(verifySurveyToken(SECRET, t, T0 + 2 * H)).toEqual({ ok: false, reason: "expired" });
    expect(verifySurveyToken(SECRET, body, T0)).toMatchObject({ reason: "malformed" });
    expect(verifySurveyToken(SECRET, "a.b.c", T0)).toMatchObject({ reason: "malformed" });
    expect(() => createSurveyToken("short", { customerId: "c1", kind: "csat" })).toThrow(/at least 16/);
    expect(surveyLink("https://shop.example.com/s/", SECRET, { customerId: "c1", kind: "csat" })).toMatch(
      /^https:\/\/shop\.example\.com\/s\/[\w-]+\.[\w-]+$/,
    );
    expect(surveyMessageId(t)).toBe(surveyMessageId(t));
    expect(surveyMessageId(t)).not.toBe(
      surveyMessageId(createSurveyToken(SECRET, { customerId: "c2", kind: "csat" })),
    );
  });

  it("checks scores on each scale", () => {
    expect(checkSurveyAnswer({ kind: "csat", score: 5 })).toBeNull();
    expect(checkSurveyAnswer({ kind: "csat", score: 0 })).toMatch(/1 to 5/);
    expect(checkSurveyAnswer({ kind: "nps", score: 0 })).toBeNull();
    expect(checkSurveyAnswer({ kind: "nps", score: 10 })).toBeNull();
    expect(checkSurveyAnswer({ kind: "nps", score: 11 })).toMatch(/0 to 10/);
    expect(checkSurveyAnswer({ kind: "nps", score: 7.5 })).toMatch(/whole number/);
    expect(checkSurveyAnswer({ kind: "csat", score: 3, comment: "x".repeat(2001) })).toMatch(/2000/);
  });
});

describe("survey responses", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.open();
  });
  afterEach(async () => {
    await h.close();
  });
  const profile = async (id: string) =>
    (await h.store.getCustomers([id])).get(id)!.state as unknown as CustomerProfile;

  it("records a survey_response event that updates the profile; a repeated answer is a duplicate", async () => {
    const messageId = surveyMessageId("token-1");
    expect(
      await recordSurveyResponse(h.engine, {
        customerId: "c1",
        kind: "nps",
        score: 9,
        comment: "  great  ",
        journeyId: "J1",
        messageId,
      }),
    ).toBe("accepted");
    expect(await recordSurveyResponse(h.engine, { customerId: "c1", kind: "nps", score: 2, messageId })).toBe(
      "duplicate",
    );
    const [e] = await h.store.listEvents("c1", 10);
    expect(e).toMatchObject({
      name: "survey_response",
      properties: { scale: "nps", score: 9, comment: "great", journeyId: "J1" },
      timestamp: T0,
    });
    expect((await profile("c1")).satisfaction).toEqual({ score: 9, scale: "nps", at: T0 });
    await expect(
      recordSurveyResponse(h.engine, { customerId: "c1", kind: "csat", score: 6 }),
    ).rejects.toThrow(SurveyAnswerError);
  });

  it("a low CSAT answer raises a low_satisfaction churn signal", async () => {
    await recordSurveyResponse(h.engine, { customerId: "c1", kind: "csat", score: 1 });
    expect((await profile("c1")).signals.map((s) => s.reason)).toEqual(["low_satisfaction"]);
    const names = (await h.store.listEvents("c1", 10)).map((e) => e.name);
    expect(names).toContain("churn_signal");
  });

  it("response rate: answers naming the journey over the survey invitations it delivered", async () => {
    expect(await surveyResponseRate(h.store, "J1")).toEqual({
      journeyId: "J1",
      invitations: 0,
      responses: 0,
      rate: null,
    });
    await h.store.commit({
      outbox: [
        delivery("c1", "J1", T0, { template: "satisfaction-survey" }),
        delivery("c2", "J1", T0, { template: "satisfaction-survey" }),
        delivery("c3", "J1", T0, { template: "satisfaction-survey", status: "failed" }),
        delivery("c4", "J1", T0, { template: "thank-you", config: { surveyUrl: "https://x.example/s" } }),
        delivery("c5", "J1", T0, { template: "winback-coupon" }),
        delivery("c6", "J2", T0, { template: "satisfaction-survey" }),
      ],
    });
    for (const [c, j] of [
      ["c1", "J1"],
      ["c4", "J1"],
      ["c6", "J2"],
    ] as const)
      await recordSurveyResponse(h.engine, { customerId: c, kind: "csat", score: 4, journeyId: j });
    await recordSurveyResponse(h.engine, { customerId: "c7", kind: "csat", score: 4 });
    expect(await surveyResponseRate(h.store, "J1")).toEqual({
      journeyId: "J1",
      invitations: 3,
      responses: 2,
      rate: 2 / 3,
    });
    expect((await surveyResponseRate(h.store, "J2")).rate).toBe(1);
  });
});
