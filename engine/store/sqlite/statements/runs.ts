import type { RunRecord } from "../codec";
import { RUN_MUTABLE_COLUMNS } from "../codec";
import type { Prepare } from "./prepare";
import { placeholders } from "./prepare";

export const RUN_COLUMNS = `id, journey_id, version_id, customer_id, entered_at, ${RUN_MUTABLE_COLUMNS.join(", ")}`;

/** Runs and their entries: written by commits, claimed by the scheduler under a lease, counted for views. */
export const runStatements = (p: Prepare) => ({
  insertRun: p(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (${placeholders(5 + RUN_MUTABLE_COLUMNS.length)})`),
  updateRun: p(
    `UPDATE runs SET ${RUN_MUTABLE_COLUMNS.map((c) => `${c} = ?`).join(", ")}, lease_until = NULL, lease_owner = NULL WHERE id = ?`,
  ),
  releaseRun: p("UPDATE runs SET lease_until = NULL, lease_owner = NULL WHERE id = ?"),
  upsertEntry: p(
    "INSERT INTO entries (journey_id, customer_id, last_entered_at, count) VALUES (@journeyId, @customerId, @lastEnteredAt, @count) ON CONFLICT (journey_id, customer_id) DO UPDATE SET last_entered_at = excluded.last_entered_at, count = excluded.count",
  ),
  claimRuns: p<RunRecord>(
    `UPDATE runs SET lease_until = @lease, lease_owner = @owner WHERE id IN (SELECT id FROM runs WHERE due_at <= @now AND held = 0 AND (lease_until IS NULL OR lease_until < @now) ORDER BY due_at LIMIT @limit) RETURNING ${RUN_COLUMNS}`,
  ),
  nextDue: p<{ due: number | null }>(
    "SELECT min(due_at) AS due FROM runs WHERE due_at IS NOT NULL AND held = 0",
  ),
  activeRuns: p<RunRecord>(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE customer_id IN (SELECT value FROM json_each(?)) AND status IN ('ready', 'waiting', 'acting')`,
  ),
  entries: p<{ journey_id: string; customer_id: string; last_entered_at: number; count: number }>(
    "SELECT e.* FROM entries e JOIN json_each(?) j ON e.journey_id = json_extract(j.value, '$[0]') AND e.customer_id = json_extract(j.value, '$[1]')",
  ),
  getRun: p<RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
  maxRunId: p<{ m: number | null }>("SELECT max(id) AS m FROM runs"),
  countRuns: p<{ status: string; node_id: string; n: number }>(
    "SELECT status, node_id, count(*) AS n FROM runs WHERE journey_id = ? GROUP BY status, node_id",
  ),
  countRunsByStatus: p<{ status: string; n: number }>(
    "SELECT status, count(*) AS n FROM runs GROUP BY status",
  ),
  releaseLeases: p("UPDATE runs SET lease_until = NULL, lease_owner = NULL WHERE lease_until IS NOT NULL"),
  holdRuns: p("UPDATE runs SET held = ? WHERE journey_id = ? AND status IN ('ready', 'waiting', 'acting')"),
});
