#!/usr/bin/env node
// A throwaway local PostgreSQL from Debian's `postgresql` package: an initdb cluster in a temporary folder,
// on a free loopback port with its unix socket in that folder, run as an unprivileged user when started as
// root (PostgreSQL refuses to run as root). Prints its URL and removes everything when stopped.
//
//   node scripts/pg-throwaway.mjs            start one, print its URL, stop on Ctrl-C
//   node scripts/pg-throwaway.mjs --ensure   only make sure the binaries are installed (CI)
//
// The test suite imports `startThrowawayPostgres` from here (test/support/postgres-global.ts). The cluster
// runs with fsync off: it is for tests and trials, and is deleted when it stops.
import { execFile, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const DEBIAN_ROOT = "/usr/lib/postgresql";

/** The newest Debian PostgreSQL bin folder, or null when none is installed. */
export function findPostgresBin() {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => existsSync(join(DEBIAN_ROOT, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(DEBIAN_ROOT, versions[0], "bin") : null;
}

/** Finds the binaries, installing Debian's `postgresql` with apt-get when missing; throws saying why not. */
export function ensurePostgresBin(log = (m) => console.error(m)) {
  const found = findPostgresBin();
  if (found) return found;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = root ? "" : "sudo ";
  log(`pg-throwaway: no PostgreSQL under ${DEBIAN_ROOT}; installing Debian's postgresql with apt-get`);
  try {
    execFileSync(
      "/bin/sh",
      [
        "-c",
        `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql`,
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
  } catch (err) {
    throw new Error(
      `PostgreSQL is needed (the PostgreSQL contract suite runs on it) but is not installed under ${DEBIAN_ROOT}, ` +
        `and installing Debian's postgresql failed: ${String(err)}. Install it with: apt-get install postgresql`,
    );
  }
  const bin = findPostgresBin();
  if (!bin) throw new Error(`apt-get installed postgresql but no initdb is under ${DEBIAN_ROOT}/*/bin`);
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The user the cluster runs as: ourselves, or (as root) Debian's `postgres` user, else `nobody`. */
function clusterUser() {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      return { name, uid, gid };
    } catch {
      // not on this machine; try the next
    }
  }
  throw new Error("pg-throwaway: running as root, but neither a `postgres` nor a `nobody` user exists");
}

function runAs(user, bin, args, opts = {}) {
  if (!user) return execFileSync(bin, args, { stdio: "pipe", ...opts });
  return execFileSync("runuser", ["-u", user.name, "--", bin, ...args], { stdio: "pipe", ...opts });
}

/**
 * Starts a throwaway cluster and creates `database` in it. Resolves to `{ url, host, port, dir, stop }`;
 * `stop()` shuts the server down (fast) and deletes its folder.
 */
export async function startThrowawayPostgres({ database = "rekindle", log = () => {} } = {}) {
  const bin = ensurePostgresBin(log);
  const user = clusterUser();
  const dir = mkdtempSync(join(tmpdir(), "rekindle-pg-"));
  const data = join(dir, "data");
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const cwd = dir; // runuser keeps the cwd, which the unprivileged user must be able to enter
  runAs(
    user,
    join(bin, "initdb"),
    ["-D", data, "-U", "rekindle", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
    { cwd },
  );
  const port = await freePort();
  const args = [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
  ];
  // The server logs to a file, not a pipe: a pipe nobody drains while this process waits would stall it.
  const logFile = join(dir, "postgres.log");
  const logFd = openSync(logFile, "a");
  if (user) chownSync(logFile, user.uid, user.gid);
  const child = user
    ? spawn("runuser", ["-u", user.name, "--", join(bin, "postgres"), ...args], {
        cwd,
        stdio: ["ignore", logFd, logFd],
      })
    : spawn(join(bin, "postgres"), args, { cwd, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const output = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  const exited = new Promise((resolve) => child.once("exit", resolve));

  /** `immediate` skips the shutdown checkpoint (tests: the folder is deleted anyway). */
  const stop = async ({ immediate = false } = {}) => {
    if (child.exitCode === null) {
      const mode = immediate ? "immediate" : "fast";
      const pgCtl = user
        ? ["runuser", ["-u", user.name, "--", join(bin, "pg_ctl"), "stop", "-D", data, "-m", mode, "-w"]]
        : [join(bin, "pg_ctl"), ["stop", "-D", data, "-m", mode, "-w"]];
      const stopped = await new Promise((resolve) =>
        execFile(pgCtl[0], pgCtl[1], { cwd }, (err) => resolve(!err)),
      );
      if (!stopped) child.kill("SIGINT");
      // Bounded: a server that will not go within 10 s is killed, so a test run never hangs on it.
      const timer = new Promise((resolve) => setTimeout(resolve, 10_000, "timeout"));
      if ((await Promise.race([exited, timer])) === "timeout") child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (let i = 0; ; i++) {
    try {
      runAs(user, join(bin, "pg_isready"), ["-h", dir, "-p", String(port), "-U", "rekindle"], { cwd });
      break;
    } catch {
      if (child.exitCode !== null || i > 300) {
        const log = output();
        await stop();
        throw new Error(`pg-throwaway: PostgreSQL did not start on port ${port}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  runAs(user, join(bin, "createdb"), ["-h", dir, "-p", String(port), "-U", "rekindle", database], { cwd });
  const url = `postgres://rekindle@127.0.0.1:${port}/${database}`;
  log(`pg-throwaway: PostgreSQL ${bin.split("/").at(-2)} in ${dir}, ${url}`);
  return { url, host: "127.0.0.1", port, dir, stop };
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  if (process.argv.includes("--ensure")) {
    try {
      console.log(`pg-throwaway: PostgreSQL binaries in ${ensurePostgresBin()}`);
    } catch (err) {
      console.error(String(err instanceof Error ? err.message : err));
      process.exit(1);
    }
  } else {
    const pg = await startThrowawayPostgres({ log: (m) => console.error(m) });
    console.log(pg.url);
    console.error("pg-throwaway: Ctrl-C stops it and deletes its folder");
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      void pg.stop().then(() => process.exit(0));
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
    process.on("SIGHUP", shutdown);
  }
}
