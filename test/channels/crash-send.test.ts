import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../engine/channels";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { json, startSink } from "./sink";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "rk-crash-send-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function worker(db: string, url: string, mode: "start" | "resume") {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/channels/crash-send-worker.ts", db, url, mode],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines: string[] = [];
  const waiters: [string, () => void][] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const [want, done] of waiters.splice(0))
      if (line === want) done();
      else waiters.push([want, done]);
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const line = (want: string) =>
    lines.includes(want) ? Promise.resolve() : new Promise<void>((r) => waiters.push([want, r]));
  return { child, lines, line, exited };
}

const kill = (child: ChildProcess) =>
  new Promise<void>((r) => (child.once("exit", () => r()), child.kill("SIGKILL")));

describe("a crash between send and commit", () => {
  it("is retried after a restart with the same Idempotency-Key, and the outbox ends sent once", async () => {
    const sink = await startSink(json(200, { ok: true }));
    let inFlight!: () => void;
    const received = new Promise<void>((r) => (inFlight = r));
    // The first request is held open: the provider has it, the engine has not committed anything yet.
    sink.replies.push(() => inFlight());
    const db = join(dir, "engine.sqlite");
    const url = `${sink.url}/hook`;
    const first = worker(db, url, "start");
    await first.line("dispatching");
    await received;
    await kill(first.child);
    expect(first.lines).not.toContain("unexpected: dispatch returned");

    const mid = SqliteStore.open(db);
    const [pending] = await mid.listOutbox({});
    expect(pending).toMatchObject({ status: "sending", attempts: 1 });
    await mid.close();

    const second = worker(db, url, "resume");
    await second.line("done");
    expect(await second.exited).toBe(0);

    expect(sink.seen).toHaveLength(2);
    const keys = sink.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toBe(pending!.idempotencyKey);
    expect(keys[1]).toBe(keys[0]);
    for (const r of sink.seen) {
      expect(
        verifyWebhookSignature({
          secret: "whsec_crash_0123456789abcdef",
          header: r.headers["rekindle-signature"] as string,
          body: r.body,
        }),
      ).toBe(true);
    }
    const after = SqliteStore.open(db);
    const rows = await after.listOutbox({});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "sent", attempts: 2, idempotencyKey: pending!.idempotencyKey });
    const runs = await after.listRuns({});
    expect(runs.map((r) => r.outcome)).toEqual(["completed"]);
    await after.close();
    await sink.close();
  }, 60_000);
});
