import type Database from "better-sqlite3";

/** A typed prepared-statement maker over one connection (each statements file takes one). */
export const preparer =
  (db: Database.Database) =>
  <T = unknown>(sql: string) =>
    db.prepare<unknown[], T>(sql);

export type Prepare = ReturnType<typeof preparer>;

export const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
