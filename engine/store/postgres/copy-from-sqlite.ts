import type pg from "pg";
import { SqliteStore } from "../sqlite/store";
import { transaction } from "./connect";
import type { PostgresStore } from "./store";

/** Rows per INSERT: one json_populate_recordset statement per chunk. */
const CHUNK = 2_000;

export interface CopyReport {
  /** Rows per table, counted on both sides after the copy (they are equal, or the copy is rolled back). */
  tables: { table: string; rows: number }[];
}

export class CopyStoreError extends Error {
  override readonly name = "CopyStoreError";
}

/** Columns serial in PostgreSQL, whose sequences must continue after the copied ids. */
const SERIALS: [string, string][] = [
  ["events", "seq"],
  ["journey_versions", "id"],
  ["steps", "id"],
  ["outbox", "id"],
  ["coupon_codes", "id"],
  ["srv_audit", "id"],
];

/**
 * Copies an embedded installation (the SQLite file of `rekindle start --data DIR`) into a migrated, empty
 * PostgreSQL database in one transaction, then compares every table's row count on both sides; any
 * difference rolls the whole copy back. The SQLite file is locked like an engine's, so a live one is refused.
 */
export async function copySqliteToPostgres(file: string, target: PostgresStore): Promise<CopyReport> {
  const source = SqliteStore.open(file, { checkpoint: "inline" });
  try {
    source.lockForEngine("rekindle copy-store");
    void source.admin; // creates the server's tables when this installation never started a server
    const db = source.db;
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all()
      .map((r) => r.name);
    return await transaction(target.pool, async (c) => {
      const report: CopyReport = { tables: [] };
      for (const table of tables) {
        const kinds = await columnKinds(c, table);
        if (kinds.size === 0)
          throw new CopyStoreError(`the PostgreSQL schema has no table "${table}" (is it migrated?)`);
        const already = await count(c, table);
        if (already > 0)
          throw new CopyStoreError(
            `the PostgreSQL database is not empty: table "${table}" has ${already} rows; copy into a new database`,
          );
        const stmt = db.prepare<[], Record<string, unknown>>(`SELECT * FROM "${table}"`);
        let chunk: Record<string, unknown>[] = [];
        for (const row of stmt.iterate()) {
          chunk.push(row);
          if (chunk.length === CHUNK) {
            await insertChunk(c, table, kinds, chunk);
            chunk = [];
          }
        }
        if (chunk.length > 0) await insertChunk(c, table, kinds, chunk);
        const from = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${table}"`).get()!.n;
        const to = await count(c, table);
        if (from !== to)
          throw new CopyStoreError(
            `table "${table}": ${from} rows in SQLite but ${to} in PostgreSQL; nothing copied`,
          );
        report.tables.push({ table, rows: to });
      }
      for (const [table, column] of SERIALS)
        await c.query(
          `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), coalesce(max(${column}), 0) + 1, false) FROM ${table}`,
        );
      // Run ids continue after the copied ones (the first reservation starts at max(id) + 1).
      await c.query("DELETE FROM id_blocks WHERE name = 'runs'");
      return report;
    });
  } finally {
    await source.close();
  }
}

async function columnKinds(c: pg.PoolClient, table: string): Promise<Map<string, string>> {
  const r = await c.query<{ column_name: string; data_type: string }>(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    [table],
  );
  return new Map(r.rows.map((x) => [x.column_name, x.data_type]));
}

async function count(c: pg.PoolClient, table: string): Promise<number> {
  const r = await c.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`);
  return r.rows[0]!.n;
}

/**
 * One chunk as a JSON array through json_populate_recordset. JSON columns go in as the text SQLite stored
 * (spliced, not re-encoded, so key order is kept); 0/1 integers become booleans where PostgreSQL has them.
 */
async function insertChunk(
  c: pg.PoolClient,
  table: string,
  kinds: Map<string, string>,
  rows: Record<string, unknown>[],
): Promise<void> {
  const columns = Object.keys(rows[0]!);
  for (const col of columns)
    if (!kinds.has(col))
      throw new CopyStoreError(`the PostgreSQL table "${table}" has no column "${col}" (is it migrated?)`);
  const encode = (col: string, v: unknown): string => {
    if (v === null || v === undefined) return "null";
    const kind = kinds.get(col);
    if (kind === "json" && typeof v === "string") return v;
    if (kind === "boolean") return Number(v) !== 0 ? "true" : "false";
    return JSON.stringify(v);
  };
  const json = `[${rows.map((r) => `{${columns.map((col) => `${JSON.stringify(col)}:${encode(col, r[col])}`).join(",")}}`).join(",")}]`;
  const list = columns.map((col) => `"${col}"`).join(", ");
  await c.query(
    `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
    [json],
  );
}
