import { createHmac, timingSafeEqual } from "node:crypto";

/** What an unsubscribe link carries: who, which channel (`*` = every channel), and when it was made. */
export interface UnsubscribeClaims {
  customerId: string;
  channel: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

const VERSION = "u1";

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`${VERSION}.${payload}`).digest();
}

/**
 * A signed, URL-safe unsubscribe token: `base64url(JSON [customerId, channel, issuedAt]).base64url(HMAC)`.
 * It is not encrypted (the customer id is readable by whoever holds the link, which is the customer), but
 * it cannot be forged or altered without the secret. HMAC-SHA256, truncated to 128 bits.
 */
export function createUnsubscribeToken(
  secret: string,
  claims: { customerId: string; channel: string; issuedAt?: number },
): string {
  if (secret.length < 16) throw new Error("the unsubscribe secret needs at least 16 characters");
  const issuedAt = claims.issuedAt ?? Math.floor(Date.now() / 1000);
  const payload = Buffer.from(JSON.stringify([claims.customerId, claims.channel, issuedAt])).toString(
    "base64url",
  );
  return `${payload}.${mac(secret, payload).subarray(0, 16).toString("base64url")}`;
}

/**
 * The claims of a valid token, else null (malformed, altered, signed with another secret, or older than
 * `maxAgeSec`). Several secrets may be given while rotating. Comparison is constant-time.
 */
export function verifyUnsubscribeToken(
  secret: string | readonly string[],
  token: string,
  options: { maxAgeSec?: number; now?: number } = {},
): UnsubscribeClaims | null {
  if (typeof token !== "string" || token.length > 2048) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const payload = token.slice(0, dot);
  const sig = Buffer.from(token.slice(dot + 1), "base64url");
  if (sig.length !== 16) return null;
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (!secrets.some((s) => timingSafeEqual(mac(s, payload).subarray(0, 16), sig))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [customerId, channel, issuedAt] = parsed as unknown[];
  if (typeof customerId !== "string" || customerId === "") return null;
  if (typeof channel !== "string" || channel === "") return null;
  if (typeof issuedAt !== "number" || !Number.isInteger(issuedAt)) return null;
  if (options.maxAgeSec !== undefined) {
    const now = Math.floor((options.now ?? Date.now()) / 1000);
    if (now - issuedAt > options.maxAgeSec) return null;
  }
  return { customerId, channel, issuedAt };
}

/**
 * Builds the unsubscribe link of a customer and channel: `<baseUrl>/u/<token>`. Give it to the template
 * renderer (footer link) and to `channelDeliver` (the `List-Unsubscribe` header): both must show the same
 * link, and they run at different moments, so by default the token carries no time (`issuedAt` 0) and a
 * customer's link for a channel is always the same. Pass `issuedAt` (seconds) only together with a
 * `maxAgeSec` on the verifying side, e.g. the start of the current day.
 */
export function unsubscribeLinks(
  secret: string,
  baseUrl: string,
  options: { issuedAt?: () => number } = {},
): (customerId: string, channel: string) => string {
  const base = baseUrl.replace(/\/+$/, "");
  return (customerId, channel) =>
    `${base}/u/${createUnsubscribeToken(secret, { customerId, channel, issuedAt: options.issuedAt?.() ?? 0 })}`;
}
