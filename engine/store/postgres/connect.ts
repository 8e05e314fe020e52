import pg from "pg";

/**
 * Connection pools for the PostgreSQL store. bigint (times, ids) and numeric (sums) come back as numbers:
 * every value the store keeps in them is a millisecond time, an id or a count, all below 2^53.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format: "text") => {
    if (oid === 20 || oid === 1700) return (v: string): number => Number(v);
    return pg.types.getTypeParser(oid, format) as (v: string) => unknown;
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export class PostgresConnectError extends Error {
  override readonly name = "PostgresConnectError";
}

/** Where a URL points, without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || "localhost"}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "(an unparsable database URL)";
  }
}

export function createPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/** Connects once, so a wrong host, port or password fails here with a message naming the host and cause. */
export async function checkConnection(pool: pg.Pool, url: string): Promise<void> {
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    const cause = e instanceof Error ? e.message || e.name : String(e);
    const code = (e as { code?: unknown }).code;
    throw new PostgresConnectError(
      `cannot connect to PostgreSQL at ${describeUrl(url)}: ${cause}${typeof code === "string" ? ` (${code})` : ""}`,
      { cause: e },
    );
  }
}

/** Runs `fn` in one transaction on one pooled connection. */
export async function transaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await fn(c);
    await c.query("COMMIT");
    return out;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** A named (server-side prepared) statement: parsed and planned once per connection. */
export interface Statement {
  name: string;
  text: string;
}

let statementCount = 0;
export const prepared = (text: string): Statement => ({ name: `rk_${++statementCount}`, text });

export type Queryable = pg.Pool | pg.PoolClient;

export async function rows<T>(db: Queryable, s: Statement, values: unknown[] = []): Promise<T[]> {
  const r = await db.query<T & pg.QueryResultRow>({ name: s.name, text: s.text, values });
  return r.rows;
}
export async function one<T>(db: Queryable, s: Statement, values: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(db, s, values))[0];
}
export async function run(db: Queryable, s: Statement, values: unknown[] = []): Promise<number> {
  const r = await db.query({ name: s.name, text: s.text, values });
  return r.rowCount ?? 0;
}
