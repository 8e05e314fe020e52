/**
 * Example custom action node: "Grant loyalty points".
 *
 * Calls the shop's loyalty API with the delivery's idempotency key, so a retried or replayed delivery is
 * dropped by the receiver instead of granting points twice. Add it to Rekindle without editing Rekindle:
 *
 *   rekindle.config.json   { "actions": ["./examples/actions/loyalty-points.ts"] }
 *
 * The receiver gets `POST <url>` with `Idempotency-Key: <run>:<node>:<visit>` and the JSON body
 * `{ customerId, points, reason, journeyId }`, and answers `{ balance, tierUp? }`.
 */
import { z } from "zod";
import { defineAction } from "../../engine/actions/types";
import type { ActionResult } from "../../engine/actions/types";

const config = z.object({
  /** The loyalty API endpoint. */
  url: z.url({ protocol: /^https?$/, error: "the loyalty API needs an http(s) URL" }),
  /** Points to grant (1 to 100,000). */
  points: z.number().int().min(1).max(100_000),
  /** Shown in the customer's points history. */
  reason: z.string().min(1).max(200).default("Rekindle journey"),
  /** Name of the environment variable holding the API's bearer token (never the token itself). */
  tokenEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .optional(),
});

/** Seconds of a `Retry-After` header, else the fallback. */
function retryAfter(header: string | null, fallbackMs: number): number {
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : fallbackMs;
}

export const loyaltyPoints = defineAction({
  type: "acme/loyalty-points",
  version: 1,
  title: { en: "Grant loyalty points", zh: "发放积分" },
  description: {
    en: "Adds points to the customer's loyalty account through the loyalty API.",
    zh: "通过会员积分接口为客户增加积分。",
  },
  config,
  // Leaves through `tier_up` when the grant lifted the customer into a new tier; `next` otherwise.
  ports: ["tier_up"],
  // It calls another system: the engine runs it from the outbox, at most once per idempotency key.
  effect: "external",
  async execute(ctx): Promise<ActionResult> {
    const token = ctx.config.tokenEnv ? process.env[ctx.config.tokenEnv] : undefined;
    let res: Response;
    try {
      res = await fetch(ctx.config.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": ctx.idempotencyKey,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({
          customerId: ctx.customer.id,
          points: ctx.config.points,
          reason: ctx.config.reason,
          journeyId: ctx.run.journeyId,
        }),
        signal: ctx.signal,
        redirect: "manual",
      });
    } catch (e) {
      // No answer: the points may or may not have been granted. Retrying with the same key is safe.
      ctx.log.warn({ err: (e as Error).message }, "loyalty API unreachable");
      return { status: "retry", afterMs: 30_000, reason: `loyalty API unreachable: ${(e as Error).message}` };
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // keep the text
    }
    if (res.status === 429 || res.status === 408 || res.status >= 500) {
      return {
        status: "retry",
        afterMs: retryAfter(res.headers.get("retry-after"), 60_000),
        reason: `loyalty API answered ${res.status}`,
        response: { status: res.status, body },
      };
    }
    if (res.status < 200 || res.status >= 300) {
      return {
        status: "fail",
        reason: `loyalty API refused: HTTP ${res.status}`,
        response: { status: res.status, body },
      };
    }
    const answer = (body && typeof body === "object" ? body : {}) as { balance?: unknown; tierUp?: unknown };
    return {
      status: "done",
      port: answer.tierUp === true ? "tier_up" : "next",
      response: { status: res.status, body },
      // The new balance lands on the profile (for conditions) and the grant on the run (for templates).
      ...(typeof answer.balance === "number" ? { traits: { loyaltyPoints: answer.balance } } : {}),
      vars: { loyaltyPointsGranted: ctx.config.points },
    };
  },
});

export default loyaltyPoints;
