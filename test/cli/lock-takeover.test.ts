import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentBootId,
  DatabaseLock,
  DatabaseLockedError,
  processStart,
} from "../../engine/store/sqlite/data-lock";

const dir = mkdtempSync(join(tmpdir(), "rk-lock-"));
let other: ChildProcess;
beforeAll(() => {
  // A live process that is not an engine: the pid a stale lock's holder may have handed on.
  other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
});
afterAll(() => {
  other.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function lockHeldBy(fields: Record<string, unknown>): string {
  const file = join(dir, `db${++n}.db`);
  const owner = {
    pid: other.pid,
    host: hostname(),
    startedAt: "2026-01-01T00:00:00Z",
    command: "rekindle start",
  };
  writeFileSync(`${file}.lock`, JSON.stringify({ ...owner, ...fields }));
  return file;
}

describe.skipIf(currentBootId() === undefined)(
  "a stale lock whose pid now belongs to another process",
  () => {
    it("records the holder's process start and boot", () => {
      const file = join(dir, "fresh.db");
      const lock = DatabaseLock.acquire(file, "test");
      expect(JSON.parse(readFileSync(`${file}.lock`, "utf8"))).toMatchObject({
        pid: process.pid,
        pidStart: processStart(process.pid),
        bootId: currentBootId(),
      });
      lock.release();
    });

    it("is taken over when the pid's process started at another time (pid reused)", () => {
      const file = lockHeldBy({ pidStart: "1", bootId: currentBootId() });
      const lock = DatabaseLock.acquire(file, "test");
      expect(JSON.parse(readFileSync(`${file}.lock`, "utf8"))).toMatchObject({ pid: process.pid });
      lock.release();
    });

    it("is taken over when it was written in an earlier boot", () => {
      const file = lockHeldBy({ pidStart: processStart(other.pid!), bootId: "an-earlier-boot" });
      DatabaseLock.acquire(file, "test").release();
    });

    it("still refuses while the very process that wrote it runs", () => {
      const file = lockHeldBy({ pidStart: processStart(other.pid!), bootId: currentBootId() });
      expect(() => DatabaseLock.acquire(file, "test")).toThrow(DatabaseLockedError);
      expect(JSON.parse(readFileSync(`${file}.lock`, "utf8"))).toMatchObject({ pid: other.pid });
    });

    it("refuses a live pid when the lock predates these fields (no way to tell)", () => {
      const file = lockHeldBy({});
      expect(() => DatabaseLock.acquire(file, "test")).toThrow(DatabaseLockedError);
    });
  },
);
