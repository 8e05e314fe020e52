import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = "Rekindle-Signature";

export function signatureFor(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The header value for a body sent at `now`. */
export function signWebhook(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signatureFor(secret, t, body)}`;
}

export interface VerifyOptions {
  /** One secret, or several while rotating. */
  secret: string | readonly string[];
  header: string | null | undefined;
  /** The raw request body, exactly as received. */
  body: string;
  now?: Date;
  /** Reject signatures older (or newer) than this; default 300 s. */
  toleranceSec?: number;
}

/**
 * Verifies a `Rekindle-Signature` header (for receivers, and used by the tests): the HMAC matches for
 * one of the secrets and the timestamp is within tolerance, compared in constant time.
 */
export function verifyWebhookSignature(options: VerifyOptions): boolean {
  const { header, body } = options;
  if (!header) return false;
  let t: number | null = null;
  const candidates: string[] = [];
  for (const piece of header.split(",")) {
    const [k, v] = piece.trim().split("=", 2);
    if (k === "t" && v && /^\d+$/.test(v)) t = Number(v);
    else if (k === "v1" && v) candidates.push(v);
  }
  if (t === null || candidates.length === 0) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (options.toleranceSec ?? 300)) return false;
  const secrets = typeof options.secret === "string" ? [options.secret] : options.secret;
  for (const secret of secrets) {
    const expected = Buffer.from(signatureFor(secret, t, body), "hex");
    for (const c of candidates) {
      const got = Buffer.from(c, "hex");
      if (got.length === expected.length && timingSafeEqual(got, expected)) return true;
    }
  }
  return false;
}
