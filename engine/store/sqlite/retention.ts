import type Database from "better-sqlite3";

/** What retention prunes: the three tables that grow with every event, step and delivery. */
export type RetentionKind = "events" | "steps" | "outbox";

export interface RetentionBatch {
  /** Rows looked at (the batch's bounded work). */
  examined: number;
  /** Rows deleted (handed to `archive` first). */
  deleted: number;
  /** Delivered outbox rows whose rendered payload and response were dropped, their row kept. */
  slimmed: number;
  /** The pass reached the end of the table; the next batch starts over from its beginning. */
  wrapped: boolean;
}

const OPEN = "('ready', 'waiting', 'acting')";

/**
 * Each candidate row with whether retention may take it. Nothing active or needed by results is ever
 * prunable: events of a customer inside an unconverted goal window or an open run that entered before
 * them; steps of open runs; outbox rows not yet delivered, or of open runs (their idempotency record).
 * Delivered (`sent`) rows are counted by the results report, so they are slimmed, never deleted.
 */
const CANDIDATES: Record<RetentionKind, string> = {
  events: `SELECT e.*, (e.ts < @before
      AND NOT EXISTS (SELECT 1 FROM result_entries r INDEXED BY result_entries_open
        WHERE r.customer_id = e.customer_id AND r.window_end > e.ts AND r.entered_at <= e.ts
          AND r.converted_at IS NULL AND r.goal_event IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM runs u WHERE u.customer_id = e.customer_id AND u.status IN ${OPEN}
        AND u.entered_at <= e.ts)) AS prunable
    FROM events e WHERE e.seq > @after ORDER BY e.seq LIMIT @scan`,
  steps: `SELECT s.*, (s.at < @before
      AND NOT EXISTS (SELECT 1 FROM runs u WHERE u.id = s.run_id AND u.status IN ${OPEN})) AS prunable
    FROM steps s WHERE s.id > @after ORDER BY s.id LIMIT @scan`,
  outbox: `SELECT o.*, (o.status IN ('sent', 'failed') AND coalesce(o.delivered_at, o.created_at) < @before
      AND json_extract(o.payload, '$.slimmed') IS NULL
      AND NOT EXISTS (SELECT 1 FROM runs u WHERE u.id = o.run_id AND u.status IN ${OPEN})) AS prunable
    FROM outbox o WHERE o.id > @after ORDER BY o.id LIMIT @scan`,
};
const KEY: Record<RetentionKind, string> = { events: "seq", steps: "id", outbox: "id" };

type Row = Record<string, unknown> & { prunable: number };

/**
 * Retention's SQL: one bounded batch at a time, resuming from a cursor kept in `meta`, so each batch costs
 * the same whatever the size of the stored history. A batch's select, archive and delete run in one
 * transaction: a row is archived exactly when it is deleted.
 */
export class RetentionSql {
  private readonly candidates;
  private readonly remove;
  private readonly slim;
  private readonly getCursor;
  private readonly setCursor;
  private readonly tx;

  constructor(private readonly db: Database.Database) {
    const each = <T>(f: (k: RetentionKind) => T) =>
      ({ events: f("events"), steps: f("steps"), outbox: f("outbox") }) as Record<RetentionKind, T>;
    this.candidates = each((k) => db.prepare<unknown[], Row>(CANDIDATES[k]));
    this.remove = each((k) =>
      db.prepare(`DELETE FROM ${k} WHERE ${KEY[k]} IN (SELECT value FROM json_each(?))`),
    );
    // Keeps what the results and survey counts read (status, template, channel, a survey link), drops
    // the rendered message and the provider's answer.
    this.slim = db.prepare(
      `UPDATE outbox SET response = NULL, payload = CASE
         WHEN json_extract(payload, '$.config.surveyUrl') IS NOT NULL
         THEN json_object('slimmed', 1, 'config', json_object('surveyUrl', json_extract(payload, '$.config.surveyUrl')))
         ELSE json_object('slimmed', 1) END
       WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.getCursor = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
    this.setCursor = db.prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
    this.tx = db.transaction(
      (
        kind: RetentionKind,
        before: number,
        scan: number,
        archive: (rows: Record<string, unknown>[]) => void,
      ): RetentionBatch => {
        const cursorKey = `retention.${kind}.after`;
        const after = Number(this.getCursor.get(cursorKey)?.value ?? 0);
        const rows = this.candidates[kind].all({ before, after, scan });
        const take = rows.filter((r) => r.prunable === 1).map(({ prunable: _p, ...r }) => r);
        const key = KEY[kind];
        const deleting = kind === "outbox" ? take.filter((r) => r.status !== "sent") : take;
        const slimming = kind === "outbox" ? take.filter((r) => r.status === "sent") : [];
        if (take.length) archive(take);
        if (deleting.length) this.remove[kind].run(JSON.stringify(deleting.map((r) => r[key])));
        if (slimming.length) this.slim.run(JSON.stringify(slimming.map((r) => r[key])));
        const wrapped = rows.length < scan;
        this.setCursor.run(cursorKey, String(wrapped ? 0 : Number(rows[rows.length - 1]![key])));
        return { examined: rows.length, deleted: deleting.length, slimmed: slimming.length, wrapped };
      },
    );
  }

  /**
   * Looks at the next `scan` rows of `kind` and prunes those older than `before` that nothing needs,
   * handing them to `archive` first (inside the transaction: if it throws, nothing is deleted).
   */
  batch(
    kind: RetentionKind,
    before: number,
    scan: number,
    archive: (rows: Record<string, unknown>[]) => void = () => {},
  ): RetentionBatch {
    return this.tx(kind, before, scan, archive);
  }
}
