import Database from "better-sqlite3";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WalCheckpointer } from "./checkpointer";
import { SqliteStore } from "./store";

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "rk-ckpt-"));
  dirs.push(dir);
  return join(dir, "db.sqlite");
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writeRows(db: Database.Database, n: number): void {
  db.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
  const ins = db.prepare("INSERT INTO t (v) VALUES (?)");
  const tx = db.transaction((k: number) => {
    for (let i = 0; i < k; i++) ins.run("x".repeat(200));
  });
  for (let i = 0; i < n; i += 100) tx(100);
}

async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const walPages = (db: Database.Database): number =>
  (db.pragma("wal_checkpoint(NOOP)") as { log: number }[])[0]!.log;

describe("WalCheckpointer", () => {
  it("moves the WAL into the database from its own thread, and the writer no longer checkpoints", async () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    const cp = WalCheckpointer.start(db, file, { intervalMs: 5, restartAbovePages: 64 });
    try {
      expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(256);
      writeRows(db, 5000);
      await until(async () => (await cp.stats()).checkpoints > 0);
      // With a tiny restart threshold the log keeps starting over, so it stays short under writes.
      for (let i = 0; i < 20; i++) {
        writeRows(db, 500);
        await new Promise((r) => setTimeout(r, 10));
      }
      const stats = await cp.stats();
      expect(stats.restarts).toBeGreaterThan(0);
      expect(walPages(db)).toBeLessThan(1000);
      // Everything written is readable from a fresh connection.
      const reader = new Database(file, { readonly: true });
      expect(reader.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 15_000 });
      reader.close();
    } finally {
      await cp.stop();
      db.close();
    }
    // The last connection to close checkpoints and removes the WAL: nothing was left behind.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = new Database(file, { readonly: true });
    expect(again.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 15_000 });
    again.close();
  });

  it("gives the writer SQLite's inline checkpoints back when the worker cannot run", async () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    // The worker opens with fileMustExist, so a wrong path makes it fail after start.
    const told: Error[] = [];
    const cp = WalCheckpointer.start(db, join(file, "..", "missing.sqlite"), {
      onError: (e) => told.push(e),
    });
    await until(() => cp.error !== null);
    expect(told).toEqual([cp.error]);
    expect(cp.error?.message).toMatch(/cannot open .*missing\.sqlite: unable to open/);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await expect(cp.stats()).rejects.toThrow();
    await cp.stop();
    db.close();
  });

  it("is on for file stores and off for in-memory ones or when asked", async () => {
    const file = tempFile();
    const store = SqliteStore.open(file);
    expect(store.checkpointer).not.toBeNull();
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(statSync(file).size).toBeGreaterThan(0);

    const inline = SqliteStore.open(tempFile(), { checkpoint: "inline" });
    expect(inline.checkpointer).toBeNull();
    expect(inline.db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await inline.close();

    const mem = SqliteStore.open(":memory:");
    expect(mem.checkpointer).toBeNull();
    await mem.close();
  });
});
