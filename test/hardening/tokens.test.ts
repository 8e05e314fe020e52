/* eslint-disable @typescript-eslint/no-unsafe-member-access -- HTTP response bodies are untyped JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUnsubscribeToken, verifyUnsubscribeToken } from "../../engine/consent/token";
import { createSurveyToken, surveyMessageId } from "../../engine/customer/survey";
import { dbOf, request, testServer, type TestServer } from "../server/helpers";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Other spellings that Node's lenient decoder reads as the same bytes: unused bits, padding, `+/`. */
function respellings(part: string): string[] {
  const out: string[] = [];
  const unused = part.length % 4 === 2 ? 4 : part.length % 4 === 3 ? 2 : 0;
  const last = ALPHABET.indexOf(part.at(-1)!);
  for (let bits = 1; bits < 1 << unused; bits++) out.push(part.slice(0, -1) + ALPHABET[last ^ bits]!);
  out.push(`${part}=`, `${part}==`);
  if (/[-_]/.test(part)) out.push(part.replace(/-/g, "+").replace(/_/g, "/"));
  return out.filter((s) => s !== part && Buffer.from(s, "base64url").equals(Buffer.from(part, "base64url")));
}

function spellingsOf(token: string): string[] {
  const [body, sig] = token.split(".") as [string, string];
  return [...respellings(body).map((b) => `${b}.${sig}`), ...respellings(sig).map((s) => `${body}.${s}`)];
}

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

const surveyEvents = (): number =>
  dbOf(s.ctx.store)
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM events WHERE name = 'survey_response'")
    .get()!.n;

describe("survey and unsubscribe tokens have one spelling", () => {
  it("survey: re-spelled tokens are refused and one invitation records one answer", async () => {
    const token = createSurveyToken(s.ctx.surveySecret, {
      customerId: "c-tok",
      kind: "csat",
      journeyId: "J1",
      invitation: "run:node:1",
      expiresAt: Date.now() + 86_400_000,
    });
    const spellings = spellingsOf(token);
    expect(spellings.length).toBeGreaterThanOrEqual(4);
    const first = await request(s.app).post(`/s/${token}`).send({ score: 4 });
    expect(first.status).toBe(201);
    for (const other of spellings) {
      const r = await request(s.app)
        .post(`/s/${encodeURIComponent(other)}`)
        .send({ score: 5 });
      expect(r.status, other).toBe(404);
      expect(surveyMessageId(other)).toBe(surveyMessageId(token));
    }
    const again = await request(s.app).post(`/s/${token}`).send({ score: 1 });
    expect(again.body.status).toBe("duplicate");
    expect(surveyEvents()).toBe(1);
  });

  it("unsubscribe: re-spelled tokens are refused", () => {
    const token = createUnsubscribeToken(s.ctx.unsubscribeSecret, { customerId: "c-1", channel: "email" });
    expect(verifyUnsubscribeToken(s.ctx.unsubscribeSecret, token)).not.toBeNull();
    const spellings = spellingsOf(token);
    expect(spellings.length).toBeGreaterThanOrEqual(4);
    for (const other of spellings)
      expect(verifyUnsubscribeToken(s.ctx.unsubscribeSecret, other), other).toBeNull();
  });

  it("unsubscribe links expire after the configured days (90 by default)", async () => {
    expect(s.ctx.linkLifetimes.unsubscribeDays).toBe(90);
    const now = Math.floor(Date.now() / 1000);
    const fresh = createUnsubscribeToken(s.ctx.unsubscribeSecret, {
      customerId: "c-2",
      channel: "email",
      issuedAt: now - 89 * 86_400,
    });
    const old = createUnsubscribeToken(s.ctx.unsubscribeSecret, {
      customerId: "c-2",
      channel: "email",
      issuedAt: now - 91 * 86_400,
    });
    const timeless = createUnsubscribeToken(s.ctx.unsubscribeSecret, {
      customerId: "c-2",
      channel: "email",
      issuedAt: 0,
    });
    expect((await request(s.app).get(`/u/${fresh}`)).status).toBe(200);
    expect((await request(s.app).get(`/u/${old}`)).status).toBe(404);
    expect((await request(s.app).post(`/u/${timeless}`)).status).toBe(404);
  });
});
