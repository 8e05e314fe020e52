import type { Prepare } from "./prepare";

/** The run log: appended by commits, counted per node for the read side's stats. */
export const stepStatements = (p: Prepare) => ({
  insertStep: p(
    "INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, due_at, port, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  ),
  countSteps: p<{ node_id: string; outcome: string; port: string | null; reason: string | null; n: number }>(
    "SELECT node_id, outcome, port, reason, count(*) AS n FROM steps WHERE journey_id = ? GROUP BY node_id, outcome, port, reason",
  ),
  countNodeVisits: p<{ node_id: string; n: number }>(
    "SELECT node_id, count(*) AS n FROM (SELECT DISTINCT node_id, run_id, visit FROM steps WHERE journey_id = ?) GROUP BY node_id",
  ),
  lastStepId: p<{ m: number | null }>("SELECT max(id) AS m FROM steps"),
});
