import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";

/** Who holds a database: written into `<database>.lock` beside it. */
export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** What holds it, e.g. `rekindle start --data ./data`. */
  command: string;
  /**
   * When the holder process started (Linux: clock ticks after boot, from /proc/<pid>/stat) and which boot
   * it ran in: a pid reused by another process, or a lock left from before a reboot, is told from a live
   * holder by these. Absent where /proc is not available, or in locks written before they existed.
   */
  pidStart?: string;
  bootId?: string;
}

export class DatabaseLockedError extends Error {
  readonly code = "database_locked";
  constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the database ${file} is in use by another engine: pid ${owner.pid} on ${owner.host} ` +
        `(${owner.command}, since ${owner.startedAt}). One engine per database: stop that process first` +
        (owner.host === hostname() ? "" : `, or if it is gone, remove ${file}.lock by hand`),
    );
    this.name = "DatabaseLockedError";
  }
}

/** The boot this machine is in (Linux), or undefined. */
export function currentBootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

/** When a process started, in clock ticks after boot (field 22 of /proc/<pid>/stat), or undefined. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces: count fields after its end.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's holder still runs: its pid is alive, in the same boot, and (where both are known) is
 * the same process that wrote the lock, not another one that was given the pid since.
 */
function holderAlive(owner: LockOwner): boolean {
  const boot = currentBootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  if (!alive(owner.pid)) return false;
  const start = processStart(owner.pid);
  return !(owner.pidStart && start && owner.pidStart !== start);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): { owner: LockOwner; raw: string } | null {
  try {
    const raw = readFileSync(path, "utf8");
    return { owner: JSON.parse(raw) as LockOwner, raw };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    // A torn or unreadable lock (a crash while writing it) says nothing about a live owner.
    return { owner: { pid: 0, host: hostname(), startedAt: "?", command: "?" }, raw: "" };
  }
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, string>);

/**
 * An exclusive claim on a database file: one engine per database, across processes. A lock left by a
 * process that is gone (same host, and its pid not running, or running another process since, or a lock
 * from an earlier boot) is taken over; any other refuses with who holds it.
 */
export class DatabaseLock {
  private constructor(
    private readonly path: string,
    private readonly mine: string,
  ) {}

  static acquire(file: string, command: string): DatabaseLock {
    const path = `${file}.lock`;
    const mine = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      startedAt: new Date().toISOString(),
      command,
      ...optional("pidStart", processStart(process.pid)),
      ...optional("bootId", currentBootId()),
    } satisfies LockOwner);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = openSync(path, "wx");
        writeSync(fd, mine);
        closeSync(fd);
        return new DatabaseLock(path, mine);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const held = readOwner(path);
      if (!held) continue;
      const { owner, raw } = held;
      if (owner.host !== hostname() || holderAlive(owner)) throw new DatabaseLockedError(file, owner);
      // Stale: move it aside under a name of our own, then check we moved the stale one and not a lock a
      // concurrent taker had just written; only then try to create ours (again exclusively).
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      const moved = readOwner(aside);
      if (moved && moved.raw !== raw) {
        renameSync(aside, path);
        throw new DatabaseLockedError(file, moved.owner);
      }
      unlinkSync(aside);
    }
    const owner = readOwner(path)?.owner;
    throw owner ? new DatabaseLockedError(file, owner) : new Error(`could not lock ${file}`);
  }

  /** Removes the lock if it is still this process's. */
  release(): void {
    try {
      if (readFileSync(this.path, "utf8") === this.mine) unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}
