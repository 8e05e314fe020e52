/**
 * PostgreSQL for tests: a throwaway cluster per test file (scripts/pg-throwaway.mjs), started only by files
 * that run on PostgreSQL, so other test runs pay nothing. `REKINDLE_TEST_PG_URL` names an existing server
 * instead. Without PostgreSQL binaries, and when apt-get cannot install them, the file fails loudly: the
 * PostgreSQL contract suite is never skipped in silence.
 */
import pg from "pg";
import { startThrowawayPostgres } from "../../scripts/pg-throwaway.mjs";

export interface TestPostgres {
  /** A fresh, empty database on the server, for one test. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

export async function testPostgres(): Promise<TestPostgres> {
  const given = process.env.REKINDLE_TEST_PG_URL;
  const server = given ? null : await startThrowawayPostgres({ database: "rekindle" });
  const adminUrl = given ?? server!.url;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  return {
    async database() {
      const name = `t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      await admin.end();
      await server?.stop({ immediate: true });
    },
  };
}
