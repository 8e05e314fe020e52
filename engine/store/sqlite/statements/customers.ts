import type { CustomerRecord } from "../codec";
import type { Prepare } from "./prepare";

/** Customer profiles: upserted by commits, read by id (cached by the store) and scanned in pages. */
export const customerStatements = (p: Prepare) => ({
  upsertCustomer: p(
    "INSERT INTO customers (id, traits, state, created_at, updated_at) VALUES (@id, @traits, @state, @created_at, @updated_at) ON CONFLICT (id) DO UPDATE SET traits = excluded.traits, state = excluded.state, updated_at = excluded.updated_at",
  ),
  customersByIds: p<CustomerRecord>("SELECT * FROM customers WHERE id IN (SELECT value FROM json_each(?))"),
  scanCustomers: p<CustomerRecord>("SELECT * FROM customers WHERE id > ? ORDER BY id LIMIT ?"),
  scanCustomerIds: p<{ id: string }>("SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?"),
  scanCustomerStates: p<{ id: string; state: string }>(
    "SELECT id, state FROM customers WHERE id > ? ORDER BY id LIMIT ?",
  ),
  countCustomers: p<{ n: number }>("SELECT count(*) AS n FROM customers"),
});
