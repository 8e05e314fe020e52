import type { SqliteStore } from "./store";

/**
 * Copies every engine table of `from` into the (migrated, engine-empty) database file `to`, in one
 * transaction: work done in a private in-memory store (the demo's replay) lands in the file at once.
 */
export function copyEngineTables(from: SqliteStore, to: string): void {
  const db = from.db;
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all()
    .map((r) => r.name);
  db.prepare("ATTACH DATABASE ? AS dest").run(to);
  try {
    db.transaction(() => {
      for (const t of tables) db.exec(`INSERT OR REPLACE INTO dest."${t}" SELECT * FROM main."${t}"`);
    })();
  } finally {
    db.exec("DETACH DATABASE dest");
  }
}
