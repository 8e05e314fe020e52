/**
 * PostgreSQL stores for the contract suite: one throwaway cluster per test file, one migrated template
 * database, and a fresh copy of it (CREATE DATABASE … TEMPLATE) for every store a test opens.
 */
import pg from "pg";
import { PostgresStore } from "../../engine/store/postgres/store";
import { testPostgres } from "../support/postgres";
import type { TestPostgres } from "../support/postgres";

export interface PostgresStores {
  open(): Promise<PostgresStore>;
  /** Another store (another process's) on an existing database. */
  openUrl(url: string): Promise<PostgresStore>;
  /** A new empty database's URL (migrated when `migrated`). */
  database(migrated?: boolean): Promise<string>;
  stop(): Promise<void>;
}

let counter = 0;

export async function postgresStores(): Promise<PostgresStores> {
  const server: TestPostgres = await testPostgres();
  const template = await server.database();
  (await PostgresStore.open(template)).close().catch(() => undefined);
  const opened: PostgresStore[] = [];
  const admin = new pg.Client({ connectionString: template.replace(/\/[^/]*$/, "/postgres") });
  await admin.connect();
  const templateName = template.slice(template.lastIndexOf("/") + 1);
  const fresh = async (from: string | null): Promise<string> => {
    const name = `c_${process.pid}_${++counter}`;
    await admin.query(`CREATE DATABASE ${name}${from ? ` TEMPLATE ${from}` : ""}`);
    return template.replace(/\/[^/]*$/, `/${name}`);
  };
  return {
    async open() {
      const store = await PostgresStore.open(await fresh(templateName), { migrate: false, poolSize: 4 });
      opened.push(store);
      return store;
    },
    async openUrl(url: string) {
      const store = await PostgresStore.open(url, { migrate: false, poolSize: 4 });
      opened.push(store);
      return store;
    },
    database: (migrated = false) => fresh(migrated ? templateName : null),
    async stop() {
      // A store a timed-out test left mid-transaction would keep its pool open forever: wait 5 s at most,
      // then stop the server under it.
      const closing = Promise.all(opened.map((s) => s.close().catch(() => undefined)));
      await Promise.race([closing, new Promise((r) => setTimeout(r, 5_000))]);
      await admin.end().catch(() => undefined);
      await server.stop();
    },
  };
}
