import type { Prepare } from "./prepare";

/** Per-channel suppressions (unsubscribes), written directly: an unsubscribe takes effect at once. */
export const consentStatements = (p: Prepare) => ({
  suppressedCustomers: p<{ customer_id: string }>("SELECT DISTINCT customer_id FROM suppressions"),
  suppressed: p<{ channel: string }>("SELECT channel FROM suppressions WHERE customer_id = ?"),
  addSuppression: p(
    "INSERT INTO suppressions (customer_id, channel, reason, source, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
  ),
  removeSuppression: p("DELETE FROM suppressions WHERE customer_id = ? AND channel = ?"),
  listSuppressions: p<{
    customer_id: string;
    channel: string;
    reason: string;
    source: string | null;
    created_at: number;
  }>("SELECT * FROM suppressions WHERE customer_id = ? ORDER BY channel"),
});
