import type { Prepare } from "./prepare";

/** Coupon pools and their codes, each code issued to one idempotency key once. */
export const couponStatements = (p: Prepare) => ({
  createPool: p(
    "INSERT INTO coupon_pools (offer, pattern, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  ),
  poolExists: p<{ offer: string }>("SELECT offer FROM coupon_pools WHERE offer = ?"),
  addCode: p("INSERT INTO coupon_codes (offer, code) VALUES (?, ?) ON CONFLICT DO NOTHING"),
  issuedTo: p<{ code: string }>(
    "SELECT code FROM coupon_codes WHERE offer = ? AND issued_key = ? AND customer_id = ?",
  ),
  takeFree: p<{ code: string }>(
    "UPDATE coupon_codes SET issued_key = ?, customer_id = ?, issued_at = ? WHERE id = (SELECT id FROM coupon_codes WHERE offer = ? AND issued_key IS NULL ORDER BY id LIMIT 1) RETURNING code",
  ),
  poolStats: p<{
    offer: string;
    pattern: string | null;
    created_at: number;
    total: number;
    issued: number;
  }>(
    "SELECT p.offer, p.pattern, p.created_at, (SELECT count(*) FROM coupon_codes c WHERE c.offer = p.offer) AS total, (SELECT count(*) FROM coupon_codes c WHERE c.offer = p.offer AND c.issued_key IS NOT NULL) AS issued FROM coupon_pools p WHERE p.offer = ?",
  ),
  listPools: p<{ offer: string }>("SELECT offer FROM coupon_pools ORDER BY offer"),
});
