import type { EventRecord } from "../codec";
import type { Prepare } from "./prepare";

/** The event log: appended by ingestion, read for conditions (counts), the customer view and dry runs. */
export const eventStatements = (p: Prepare) => ({
  insertEvent: p(
    "INSERT INTO events (message_id, customer_id, type, name, properties, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
  ),
  knownMessageIds: p<{ message_id: string }>(
    "SELECT message_id FROM events WHERE message_id IN (SELECT value FROM json_each(?))",
  ),
  countEvents: p<{ n: number }>(
    "SELECT count(*) AS n FROM events WHERE customer_id = ? AND name = ? AND ts >= ? AND ts <= ?",
  ),
  listEvents: p<EventRecord>("SELECT * FROM events WHERE customer_id = ? ORDER BY ts DESC, seq DESC LIMIT ?"),
  customersActiveIn: p<{ customer_id: string }>(
    "SELECT DISTINCT customer_id FROM events WHERE ts >= ? AND ts < ? ORDER BY customer_id LIMIT ?",
  ),
  eventsNamed: p<EventRecord>(
    "SELECT * FROM events WHERE name = ? AND ts >= ? AND ts < ? ORDER BY ts DESC, seq DESC LIMIT ?",
  ),
  eventsOf: p<EventRecord>(
    "SELECT * FROM events WHERE ts >= ? AND ts < ? AND customer_id IN (SELECT value FROM json_each(?)) ORDER BY ts, seq LIMIT ?",
  ),
});
