/**
 * Satisfaction surveys: the signed link a survey invitation carries, the `survey_response` event an answer
 * records (which updates the profile's last satisfaction score and can raise a `low_satisfaction` churn
 * signal), and the per-journey response rate.
 *
 * A token is `base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, payload))`: the page needs no
 * login, the customer cannot answer for someone else or change the journey, and one invitation records one
 * answer (its messageId is derived from the token).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { decodeCanonicalBase64url } from "../consent/token";
import type { Engine } from "../runtime/engine";
import type { Store } from "../store/types";
import { DEFAULT_CONFIG } from "./config";

export type SurveyKind = "csat" | "nps";
export type SurveyLang = "zh" | "en";

export interface SurveyInvite {
  customerId: string;
  kind: SurveyKind;
  journeyId?: string | undefined;
  /** What the invitation was (e.g. the outbox idempotency key): one answer per invitation. */
  invitation?: string | undefined;
  lang?: SurveyLang | undefined;
  /** Epoch ms after which the link no longer takes answers. */
  expiresAt?: number | undefined;
}

interface TokenPayload {
  c: string;
  k: SurveyKind;
  j?: string;
  i?: string;
  l?: SurveyLang;
  e?: number;
}

export const SURVEY_EVENT = DEFAULT_CONFIG.surveyEvent;
export const SURVEY_SCALES: Record<SurveyKind, { min: number; max: number }> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
};
export const MAX_COMMENT_LENGTH = 2000;

const sign = (secret: string, body: string): Buffer => createHmac("sha256", secret).update(body).digest();

function requireSecret(secret: string): void {
  if (typeof secret !== "string" || secret.length < 16)
    throw new Error("the survey secret must be a string of at least 16 characters");
}

/** A signed token for a survey link. */
export function createSurveyToken(secret: string, invite: SurveyInvite): string {
  requireSecret(secret);
  if (!invite.customerId) throw new Error("a survey invitation needs a customer id");
  if (invite.kind !== "csat" && invite.kind !== "nps")
    throw new Error(`unknown survey kind ${String(invite.kind)}`);
  const payload: TokenPayload = { c: invite.customerId, k: invite.kind };
  if (invite.journeyId !== undefined) payload.j = invite.journeyId;
  if (invite.invitation !== undefined) payload.i = invite.invitation;
  if (invite.lang !== undefined) payload.l = invite.lang;
  if (invite.expiresAt !== undefined) payload.e = invite.expiresAt;
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${sign(secret, body).toString("base64url")}`;
}

export type TokenCheck =
  { ok: true; invite: SurveyInvite } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

/** Checks a token's signature and expiry; returns the invitation it carries. */
export function verifySurveyToken(secret: string, token: string, now: number = Date.now()): TokenCheck {
  requireSecret(secret);
  if (typeof token !== "string" || token.length > 4096) return { ok: false, reason: "malformed" };
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return { ok: false, reason: "malformed" };
  const body = token.slice(0, dot);
  // Only the one canonical spelling of each part: no padding, no other alphabet, no stray unused bits.
  const given = decodeCanonicalBase64url(token.slice(dot + 1));
  const decoded = decodeCanonicalBase64url(body);
  if (!given || !decoded) return { ok: false, reason: "malformed" };
  const want = sign(secret, body);
  if (given.length !== want.length || !timingSafeEqual(given, want))
    return { ok: false, reason: "bad_signature" };
  let p: TokenPayload;
  try {
    p = JSON.parse(decoded.toString("utf8")) as TokenPayload;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!p || typeof p !== "object") return { ok: false, reason: "malformed" };
  if (typeof p.c !== "string" || (p.k !== "csat" && p.k !== "nps")) return { ok: false, reason: "malformed" };
  if (p.e !== undefined && typeof p.e !== "number") return { ok: false, reason: "malformed" };
  if (typeof p.e === "number" && now > p.e) return { ok: false, reason: "expired" };
  return {
    ok: true,
    invite: {
      customerId: p.c,
      kind: p.k,
      ...(p.j !== undefined ? { journeyId: p.j } : {}),
      ...(p.i !== undefined ? { invitation: p.i } : {}),
      ...(p.l !== undefined ? { lang: p.l } : {}),
      ...(p.e !== undefined ? { expiresAt: p.e } : {}),
    },
  };
}

/** The hosted page's link for an invitation: `${baseUrl}/${token}`. */
export function surveyLink(baseUrl: string, secret: string, invite: SurveyInvite): string {
  return `${baseUrl.replace(/\/+$/, "")}/${createSurveyToken(secret, invite)}`;
}

/**
 * The messageId an answer to this token is recorded under: a second answer is a duplicate. It is derived
 * from the token's decoded contents (who, which survey, which journey and invitation, until when), so no
 * spelling of the same invitation can record a second answer.
 */
export function surveyMessageId(token: string): string {
  const dot = token.indexOf(".");
  // Lenient decoding on purpose: every spelling of one payload maps to the same id.
  const decoded = dot > 0 ? Buffer.from(token.slice(0, dot), "base64url") : null;
  let key = token;
  if (decoded) {
    try {
      const p = JSON.parse(decoded.toString("utf8")) as Partial<TokenPayload>;
      key = JSON.stringify([p.c ?? null, p.k ?? null, p.j ?? null, p.i ?? null, p.e ?? null]);
    } catch {
      // not a survey payload: keyed on the text itself
    }
  }
  return `survey:${createHash("sha256").update(key).digest("base64url").slice(0, 32)}`;
}

export interface SurveyAnswer {
  customerId: string;
  kind: SurveyKind;
  score: number;
  comment?: string | undefined;
  journeyId?: string | undefined;
  /** Deduplicates the answer (e.g. `surveyMessageId(token)`); without it every call records one. */
  messageId?: string | undefined;
  /** When it was answered (default: the engine's clock). */
  at?: number | undefined;
}

/** Why an answer is not acceptable, or null. */
export function checkSurveyAnswer(a: Pick<SurveyAnswer, "kind" | "score" | "comment">): string | null {
  const scale = SURVEY_SCALES[a.kind];
  if (!scale) return `unknown survey kind ${JSON.stringify(a.kind)}`;
  if (typeof a.score !== "number" || !Number.isInteger(a.score) || a.score < scale.min || a.score > scale.max)
    return `the score must be a whole number from ${scale.min} to ${scale.max}`;
  if (a.comment !== undefined && (typeof a.comment !== "string" || a.comment.length > MAX_COMMENT_LENGTH))
    return `the comment must be text of at most ${MAX_COMMENT_LENGTH} characters`;
  return null;
}

export class SurveyAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SurveyAnswerError";
  }
}

/**
 * Records an answer as a `survey_response` track event (properties `scale`, `score`, optional `comment`
 * and `journeyId`) through ingestion. Returns "duplicate" when this messageId was recorded before.
 */
export async function recordSurveyResponse(
  engine: Engine,
  a: SurveyAnswer,
): Promise<"accepted" | "duplicate"> {
  const problem = checkSurveyAnswer(a);
  if (problem) throw new SurveyAnswerError(problem);
  if (!a.customerId) throw new SurveyAnswerError("a survey answer needs a customer id");
  const comment = a.comment?.trim();
  const [status] = await engine.ingest([
    {
      type: "track",
      userId: a.customerId,
      event: SURVEY_EVENT,
      properties: {
        scale: a.kind,
        score: a.score,
        ...(comment ? { comment } : {}),
        ...(a.journeyId !== undefined ? { journeyId: a.journeyId } : {}),
      },
      timestamp: new Date(a.at ?? engine.clock.now()).toISOString(),
      ...(a.messageId !== undefined ? { messageId: a.messageId } : {}),
    },
  ]);
  return status ?? "accepted";
}

export interface SurveyResponseRate {
  journeyId: string;
  /** Survey invitations the journey delivered. */
  invitations: number;
  /** Answers that name the journey. */
  responses: number;
  /** responses / invitations; null before any invitation was delivered. */
  rate: number | null;
}

/** A journey's survey response rate: answers over delivered survey invitations. */
export async function surveyResponseRate(store: Store, journeyId: string): Promise<SurveyResponseRate> {
  const { invitations, responses } = await store.surveyCounts(journeyId, SURVEY_EVENT);
  return { journeyId, invitations, responses, rate: invitations > 0 ? responses / invitations : null };
}
