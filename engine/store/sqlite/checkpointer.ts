import type Database from "better-sqlite3";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface WalCheckpointerOptions {
  /** How often the worker copies the WAL back into the database file (a passive checkpoint). */
  intervalMs?: number;
  /**
   * WAL length in pages past which the worker forces a RESTART checkpoint, so the log starts over from its
   * beginning even under constant writes (a passive checkpoint alone never catches a busy writer).
   */
  restartAbovePages?: number;
  /** Told once if the worker fails (the writer has gone back to inline checkpoints by then). */
  onError?: (e: Error) => void;
}

export interface CheckpointStats {
  checkpoints: number;
  restarts: number;
  /** The longest WAL, in pages, a checkpoint found. */
  maxLogPages: number;
}

// Plain CommonJS evaluated in the worker: it must not depend on the TypeScript loader of the parent
// (tsx, vitest), so it takes better-sqlite3's resolved path in workerData.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.lib);
// Plain Errors: SqliteError loses its message on the way to the parent thread.
const fail = (what, e) => new Error(what + " " + workerData.file + ": " + (e && e.message));
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
} catch (e) {
  throw fail("cannot open", e);
}
const stats = { checkpoints: 0, restarts: 0, maxLogPages: 0 };
function checkpoint() {
  try {
    const r = db.pragma("wal_checkpoint(PASSIVE)")[0];
    stats.checkpoints++;
    if (r.log > stats.maxLogPages) stats.maxLogPages = r.log;
    if (r.log > workerData.restartAbovePages) {
      db.pragma("wal_checkpoint(RESTART)");
      stats.restarts++;
    }
  } catch (e) {
    throw fail("cannot checkpoint", e);
  }
}
let timer = setTimeout(function tick() {
  checkpoint();
  timer = setTimeout(tick, workerData.intervalMs);
}, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m === "stats") parentPort.postMessage({ stats });
  else if (m === "stop") {
    clearTimeout(timer);
    checkpoint();
    db.close();
    parentPort.close();
  }
});
`;

const INLINE_AUTOCHECKPOINT = 1000;

/**
 * Checkpoints a WAL database from a worker thread with its own connection. SQLite's default is to
 * checkpoint inside the commit that crosses 1000 WAL pages, on the writer's thread: measured on ingestion,
 * that copying took over a third of the event loop's time and made the latency tail. Here the writer only
 * appends to the WAL, and the copy runs on another core.
 *
 * The writer keeps an inline autocheckpoint four times further out as a safety net, and gets SQLite's
 * default back if the worker dies, so the WAL stays bounded either way.
 */
export class WalCheckpointer {
  private failed: Error | null = null;
  private stopping = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly worker: Worker,
    private readonly onError: ((e: Error) => void) | undefined,
  ) {
    worker.on("error", (e: unknown) =>
      this.fallBack(
        e instanceof Error
          ? e
          : new Error(
              `the checkpoint worker failed: ${(e as { message?: string })?.message ?? JSON.stringify(e)}`,
            ),
      ),
    );
    worker.on("exit", (code) => {
      if (!this.stopping) this.fallBack(new Error(`the checkpoint worker exited with code ${code}`));
    });
  }

  static start(db: Database.Database, file: string, opts: WalCheckpointerOptions = {}): WalCheckpointer {
    const restartAbovePages = opts.restartAbovePages ?? 16384;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        lib: createRequire(import.meta.url).resolve("better-sqlite3"),
        intervalMs: opts.intervalMs ?? 50,
        restartAbovePages,
      },
    });
    // The thread must not keep a process alive that forgot to close its store.
    worker.unref();
    db.pragma(`wal_autocheckpoint = ${restartAbovePages * 4}`);
    // After a restart the WAL file is cut back to this size instead of staying at its high-water mark.
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    return new WalCheckpointer(db, worker, opts.onError);
  }

  /** Why background checkpointing stopped, if it did (the database then checkpoints inline). */
  get error(): Error | null {
    return this.failed;
  }

  stats(): Promise<CheckpointStats> {
    return this.ask("stats").then((m) => m.stats!);
  }

  /** Runs a last checkpoint and closes the worker's connection. */
  async stop(): Promise<void> {
    if (this.stopping || this.failed) return;
    this.stopping = true;
    // Unreferenced, the worker would let the process end (or a top-level await fail) while we wait for it.
    this.worker.ref();
    const exited = new Promise((resolve) => this.worker.once("exit", resolve));
    this.worker.postMessage("stop");
    await exited;
  }

  private ask(what: "stats"): Promise<{ stats?: CheckpointStats }> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      const done = () => {
        this.worker.off("message", onMessage);
        this.worker.off("exit", onExit);
        if (!this.stopping) this.worker.unref();
      };
      const onMessage = (m: { stats?: CheckpointStats }) => {
        done();
        resolve(m);
      };
      const onExit = () => {
        done();
        reject(this.failed ?? new Error("the checkpoint worker has stopped"));
      };
      this.worker.on("message", onMessage);
      this.worker.on("exit", onExit);
      this.worker.ref();
      this.worker.postMessage(what);
    });
  }

  private fallBack(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT}`);
    this.onError?.(e);
  }
}
