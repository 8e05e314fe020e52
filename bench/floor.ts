import { WalCheckpointer } from "../engine/store/sqlite/checkpointer";
import { openDatabase } from "../engine/store/sqlite/open";

/**
 * The raw floor: the least work a durable journey step needs — claim a batch of due runs, advance each,
 * append a run-log row, one transaction per batch — with raw prepared better-sqlite3 statements on the
 * engine's own tables and indexes, so the ratio measures the engine's overhead, not a different schema.
 * It checkpoints the WAL from a worker thread, as the engine's store does.
 */
export async function measureFloor(
  file: string,
  rows: number,
  batch = 1000,
): Promise<{ stepsPerSec: number; steps: number; ms: number }> {
  const db = openDatabase(file);
  const checkpointer = WalCheckpointer.start(db, file);
  const insert = db.prepare(
    "INSERT INTO runs (id, journey_id, version_id, customer_id, status, node_id, port, due_at, held, visits, ctx, entered_at, step_seq) VALUES (?, 'j', 1, ?, 'ready', 't1', 'next', 0, 0, '{\"t1\":1}', '{}', 0, 1)",
  );
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, `c${i}`);
  })();
  const claim = db.prepare(
    "UPDATE runs SET lease_until = @lease, lease_owner = 'floor' WHERE id IN (SELECT id FROM runs WHERE due_at <= @now AND held = 0 AND (lease_until IS NULL OR lease_until < @now) ORDER BY due_at LIMIT @limit) RETURNING id, customer_id, visits, ctx, step_seq",
  );
  const advance = db.prepare(
    "UPDATE runs SET status = 'waiting', node_id = 'w1', port = 'next', due_at = NULL, visits = ?, ctx = ?, step_seq = ?, lease_until = NULL, lease_owner = NULL WHERE id = ?",
  );
  const log = db.prepare(
    "INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, due_at, port, outcome) VALUES (?, 'j', 1, ?, 'w1', 'wait', 1, ?, ?, NULL, NULL, 'waiting')",
  );
  const step = db.transaction((now: number) => {
    const claimed = claim.all({ lease: now + 60_000, now, limit: batch }) as {
      id: number;
      customer_id: string;
      visits: string;
      ctx: string;
      step_seq: number;
    }[];
    for (const r of claimed) {
      const visits = JSON.parse(r.visits) as Record<string, number>;
      visits.w1 = (visits.w1 ?? 0) + 1;
      const seq = r.step_seq + 1;
      advance.run(JSON.stringify(visits), r.ctx, seq, r.id);
      log.run(r.id, r.customer_id, seq, now);
    }
    return claimed.length;
  });
  const t0 = performance.now();
  let steps = 0;
  for (;;) {
    const n = step(Date.now());
    if (n === 0) break;
    steps += n;
  }
  const ms = performance.now() - t0;
  await checkpointer.stop();
  db.close();
  return { stepsPerSec: (steps / ms) * 1000, steps, ms };
}
