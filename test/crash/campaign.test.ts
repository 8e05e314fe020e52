import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const KILLS = 22;
/** The dispatcher's concurrency in the worker: the most sends a kill may catch in flight. */
const CONCURRENCY = 8;
const dir = mkdtempSync(join(tmpdir(), "rk-campaign-"));
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

/** Receipts at the receivers: delivery key → the worker incarnations that delivered it, in order. */
const receipts = new Map<string, number[]>();
let epoch = 0;
let receivedThisEpoch = 0;
/**
 * Receipts are credited to the incarnation that opened the connection, not to the one running when
 * parsing ends: a message a killed worker had fully sent can finish parsing after the next worker
 * started, and must not look like that worker's own repeat.
 */
const receive = (key: string, sender: number): void => {
  if (sender === epoch) receivedThisEpoch++;
  const list = receipts.get(key);
  if (list) list.push(sender);
  else receipts.set(key, [sender]);
};
const senderOf = new WeakMap<object, number>();

async function startReceivers() {
  // Answers after a short delay, so sends are in flight when a kill lands.
  const http = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      receive(`hook:${String(req.headers["idempotency-key"])}`, senderOf.get(req.socket) ?? epoch);
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 15);
    });
  });
  http.on("connection", (socket) => senderOf.set(socket, epoch));
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onConnect(session, callback) {
      senderOf.set(session, epoch);
      callback();
    },
    onData(stream, session, callback) {
      const sender = senderOf.get(session) ?? epoch;
      simpleParser(stream)
        .then((mail) => {
          receive(`mail:${mail.messageId ?? "?"}`, sender);
          setTimeout(() => callback(), 15);
        })
        .catch((err: Error) => callback(err));
    },
  });
  // A killed worker resets its connections; that is the point of the test, not an error in it.
  smtp.on("error", () => undefined);
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  cleanup.push(
    () => new Promise<void>((r) => (http.closeAllConnections(), http.close(() => r()))),
    () => new Promise<void>((r) => smtp.close(() => r())),
  );
  return {
    hookUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
    smtpPort: (smtp.server.address() as AddressInfo).port,
  };
}

function worker(db: string, hookUrl: string, smtpPort: number, mode: "live" | "drain") {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "test/crash/campaign-worker.ts",
      db,
      hookUrl,
      String(smtpPort),
      String(CONCURRENCY),
      mode,
    ],
    { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
  );
  child.stdin.on("error", () => undefined); // writes racing a kill
  const acked: string[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  let drained = false;
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line === "ready") ready();
    if (line === "drained") drained = true;
    if (line.startsWith("ack ")) acked.push(...line.slice(4).split(","));
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, acked, isReady, exited, drained: () => drained };
}

const kill = (child: ChildProcess) =>
  new Promise<void>((r) => (child.once("exit", () => r()), child.kill("SIGKILL")));

describe("crash campaign: SIGKILLs under ingestion with webhook and SMTP deliveries", () => {
  it("loses no acknowledged event and repeats at most the sends in flight at each kill", async () => {
    const { hookUrl, smtpPort } = await startReceivers();
    const db = join(dir, "rekindle.db");
    const acked = new Set<string>();
    let next = 0;
    for (let k = 0; k < KILLS; k++) {
      epoch = k;
      const w = worker(db, hookUrl, smtpPort, "live");
      await w.isReady;
      // Continuous ingestion: a batch of customers every few ms until the kill, 150-450 ms in.
      // Capped per incarnation: enough to keep sends in flight, without a backlog that slows the drain.
      const epochEnd = next + 200;
      const feeding = setInterval(() => {
        if (next >= epochEnd) return;
        const ids = Array.from({ length: 4 }, () => `c${next++}`);
        w.child.stdin.write(`${JSON.stringify(ids)}\n`);
      }, 5);
      // Kill once ingestion is acknowledged and deliveries are reaching the receivers (progress, not a
      // clock: a loaded machine is only slower), at a random moment after that.
      receivedThisEpoch = 0;
      const started = Date.now();
      while ((w.acked.length < 8 || receivedThisEpoch < 4) && Date.now() - started < 60_000) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, Math.random() * 200));
      clearInterval(feeding);
      await kill(w.child);
      for (const id of w.acked) acked.add(id);
    }
    epoch = KILLS;
    const last = worker(db, hookUrl, smtpPort, "drain");
    expect(await last.exited).toBe(0);
    expect(last.drained()).toBe(true);

    const store = new Database(db, { readonly: true });
    const events = new Set(
      (
        store.prepare("SELECT message_id FROM events WHERE name = 'churn_signal'").all() as {
          message_id: string;
        }[]
      ).map((r) => r.message_id),
    );
    const outbox = store.prepare("SELECT idempotency_key, action, status FROM outbox").all() as {
      idempotency_key: string;
      action: string;
      status: string;
    }[];
    store.close();

    // No acknowledged event lost, and every one of them delivered on both channels.
    expect(acked.size).toBeGreaterThan(KILLS * 10);
    for (const id of acked) expect(events.has(`m-${id}`), id).toBe(true);
    expect(outbox.every((o) => o.status === "sent")).toBe(true);
    expect(outbox).toHaveLength(events.size * 2);
    const hooks = [...receipts.keys()].filter((k) => k.startsWith("hook:"));
    const mails = [...receipts.keys()].filter((k) => k.startsWith("mail:"));
    expect(hooks).toHaveLength(events.size);
    expect(mails).toHaveLength(events.size);

    // Repeats, counted at the receivers: a key delivered again after a kill was in flight at that kill.
    const perKill = Array.from({ length: KILLS }, () => 0);
    for (const epochs of receipts.values()) {
      for (let i = 0; i + 1 < epochs.length; i++) {
        // Never twice within one incarnation: only a kill repeats a send.
        expect(epochs[i + 1]).toBeGreaterThan(epochs[i]!);
        perKill[epochs[i]!]!++;
      }
    }
    const total = perKill.reduce((a, b) => a + b, 0);
    console.log(
      `crash campaign: ${KILLS} SIGKILLs, ${acked.size} acknowledged customers, ${events.size * 2} deliveries; ` +
        `repeats per kill ${JSON.stringify(perKill)} (max ${Math.max(...perKill)}, total ${total}); ` +
        `bound = dispatcher concurrency ${CONCURRENCY}`,
    );
    for (const n of perKill) expect(n).toBeLessThanOrEqual(CONCURRENCY);
  }, 900_000);
});
