import type { CouponIssue, CouponPoolRow, Store } from "../store/types";
import { CouponPatternError, parseCodePattern } from "./pattern";

/** What `issue_coupon` needs: one code per (offer, idempotency key, customer), never the same code twice. */
export interface CouponIssuer {
  issue(offer: string, idempotencyKey: string, customerId: string, at: number): Promise<CouponIssue>;
}

/** Issues from the store's pools (the embedded store does it in one IMMEDIATE transaction). */
export function storeCouponIssuer(store: Store): CouponIssuer {
  return { issue: (offer, key, customerId, at) => store.issueCoupon(offer, key, customerId, at) };
}

const OFFER_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const CODE_RE = /^[\x21-\x7e]{1,64}$/;

function checkOffer(offer: string): void {
  if (!OFFER_RE.test(offer)) {
    throw new Error(`offer names are 1–100 letters, digits, . _ : or -; got ${JSON.stringify(offer)}`);
  }
}

/**
 * Imports a list of codes into an offer's pool (creating the pool). Codes are trimmed; blank lines are
 * skipped; codes already in the pool are ignored. Returns how many were added and the pool's state.
 */
export async function importCouponCodes(
  store: Store,
  offer: string,
  codes: Iterable<string>,
  at = Date.now(),
): Promise<{ added: number; pool: CouponPoolRow }> {
  checkOffer(offer);
  const clean: string[] = [];
  for (const raw of codes) {
    const code = raw.trim();
    if (code === "") continue;
    if (!CODE_RE.test(code)) {
      throw new Error(`coupon code ${JSON.stringify(code)} must be 1–64 printable characters without spaces`);
    }
    clean.push(code);
  }
  await store.createCouponPool(offer, null, at);
  let added = 0;
  for (let i = 0; i < clean.length; i += 5_000)
    added += await store.addCouponCodes(offer, clean.slice(i, i + 5_000));
  return { added, pool: (await store.getCouponPool(offer))! };
}

/**
 * Generates `count` new distinct codes from a pattern (`WB-####-????`) into an offer's pool (creating it).
 * Refuses a pattern whose space is too small for the pool to stay hard to guess (at least 100× the codes).
 */
export async function generateCouponCodes(
  store: Store,
  offer: string,
  pattern: string,
  count: number,
  options: { at?: number; random?: (max: number) => number } = {},
): Promise<{ added: number; pool: CouponPoolRow }> {
  checkOffer(offer);
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
    throw new Error(`generate 1 to 10,000,000 codes; got ${count}`);
  }
  const p = parseCodePattern(pattern);
  const existing = (await store.getCouponPool(offer))?.total ?? 0;
  if (p.space < (existing + count) * 100) {
    throw new CouponPatternError(
      `pattern "${pattern}" makes ${p.space} codes: too few for ${existing + count} (use a pattern with at least 100× as many)`,
    );
  }
  await store.createCouponPool(offer, pattern, options.at ?? Date.now());
  let added = 0;
  for (let rounds = 0; added < count; rounds++) {
    if (rounds > 100) throw new Error(`could not generate ${count} distinct codes from "${pattern}"`);
    const want = Math.min(5_000, count - added);
    const batch = new Set<string>();
    while (batch.size < want) batch.add(p.generate(options.random));
    added += await store.addCouponCodes(offer, [...batch]);
  }
  return { added, pool: (await store.getCouponPool(offer))! };
}
