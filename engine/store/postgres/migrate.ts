import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations");
/** Any number: one advisory lock key that serialises `migrate` across processes. */
const MIGRATION_LOCK = 7_104_202_601;

interface Journal {
  entries: { tag: string; when: number }[];
}
const journal = (): Journal =>
  JSON.parse(readFileSync(join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as Journal;

export class SchemaOutdatedError extends Error {
  override readonly name = "SchemaOutdatedError";
}

/** Applies the migrations this version ships, one process at a time (others wait on the lock, then skip). */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(drizzle({ client: c }), { migrationsFolder: MIGRATIONS });
  } finally {
    await c.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    c.release();
  }
}

/** How many of this version's migrations the database has, and how many there are. */
export async function schemaStatus(pool: pg.Pool): Promise<{ applied: number; latest: number }> {
  const entries = journal().entries;
  const exists = await pool.query<{ t: string | null }>(
    "SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t",
  );
  if (!exists.rows[0]?.t) return { applied: 0, latest: entries.length };
  const last = await pool.query<{ m: number | null }>(
    "SELECT max(created_at) AS m FROM drizzle.__drizzle_migrations",
  );
  const lastAt = last.rows[0]?.m ?? 0;
  return { applied: entries.filter((e) => e.when <= lastAt).length, latest: entries.length };
}

/** Refuses a database whose schema is older than this version's, naming the command that brings it up. */
export async function requireCurrentSchema(pool: pg.Pool, where: string): Promise<void> {
  const { applied, latest } = await schemaStatus(pool);
  if (applied < latest)
    throw new SchemaOutdatedError(
      applied === 0
        ? `the PostgreSQL database at ${where} has no Rekindle schema yet; run: rekindle migrate --database <url>`
        : `the PostgreSQL database at ${where} is at schema migration ${applied} of ${latest}; run: rekindle migrate --database <url>`,
    );
}
