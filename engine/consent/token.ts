import { createHmac, timingSafeEqual } from "node:crypto";

/** What an unsubscribe link carries: who, which channel (`*` = every channel), and when it was made. */
export interface UnsubscribeClaims {
  customerId: string;
  channel: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

const VERSION = "u1";

/**
 * Decodes base64url only in its one canonical spelling: the URL-safe alphabet, no padding, and no set bits
 * in the unused tail (Node's decoder ignores them, so `…A`, `…B`, `…C` and `…A=` would all decode to the
 * same bytes). A signed token therefore has exactly one spelling, and answers keyed on it cannot be
 * multiplied by re-spelling it. Returns null for anything else.
 */
export function decodeCanonicalBase64url(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

/** Default life of an unsubscribe link (days); laws ask for at least 30 after sending. */
export const UNSUBSCRIBE_LINK_DAYS = 90;

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
  const sig = decodeCanonicalBase64url(token.slice(dot + 1));
  const decoded = decodeCanonicalBase64url(payload);
  if (!sig || !decoded || sig.length !== 16) return null;
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (!secrets.some((s) => timingSafeEqual(mac(s, payload).subarray(0, 16), sig))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.toString("utf8"));
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
 * renderer (footer link) and to `channelDeliver` (the `List-Unsubscribe` header): both should show the same
 * link, and they run at different moments, so the token carries the start of the current UTC day
 * (seconds) rather than the moment: a customer's link for a channel is the same all day, and the
 * verifying side expires it `maxAgeSec` later (`UNSUBSCRIBE_LINK_DAYS` by default in the server).
 */
export function unsubscribeLinks(
  secret: string,
  baseUrl: string,
  options: { issuedAt?: () => number; now?: () => number } = {},
): (customerId: string, channel: string) => string {
  const base = baseUrl.replace(/\/+$/, "");
  const startOfDay = (): number => Math.floor((options.now?.() ?? Date.now()) / 86_400_000) * 86_400;
  return (customerId, channel) =>
    `${base}/u/${createUnsubscribeToken(secret, { customerId, channel, issuedAt: options.issuedAt?.() ?? startOfDay() })}`;
}
