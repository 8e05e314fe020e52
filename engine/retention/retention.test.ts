import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../store/sqlite/store";
import { DEFAULT_RETENTION, loadRetentionConfig, RetentionConfigError } from "./config";
import { runRetention } from "./run";

const DAY = 86_400_000;
const NOW = Date.UTC(2027, 0, 1);
const OLD = NOW - 400 * DAY; // past every default retention but the events'
const ANCIENT = NOW - 800 * DAY; // past the events' too
const dir = mkdtempSync(join(tmpdir(), "rk-retention-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A history with every kind of row retention must tell apart: old and prunable, old but still needed
 * (open runs, unconverted goal windows, undelivered or results-counted deliveries), and recent.
 */
function seeded(): SqliteStore {
  const store = SqliteStore.open(":memory:");
  const db = store.db;
  const run = db.prepare(
    "INSERT INTO runs (id, journey_id, version_id, customer_id, status, node_id, entered_at, ended_at) VALUES (?, 'j', 1, ?, ?, 'n', ?, ?)",
  );
  run.run(1, "ended", "completed", ANCIENT, ANCIENT + DAY);
  run.run(2, "waiting", "waiting", ANCIENT, null);
  run.run(3, "goal", "completed", ANCIENT, ANCIENT + DAY);
  const event = db.prepare(
    "INSERT INTO events (message_id, customer_id, type, name, properties, ts, received_at) VALUES (?, ?, 'track', 'x', '{}', ?, ?)",
  );
  event.run("e-ended", "ended", ANCIENT + 1, ANCIENT + 1); // pruned
  event.run("e-recent", "ended", NOW - DAY, NOW - DAY); // kept: recent
  event.run("e-open-run", "waiting", ANCIENT + 1, ANCIENT + 1); // kept: an open run entered before it
  event.run("e-in-window", "goal", ANCIENT + 1, ANCIENT + 1); // kept: an unconverted goal window
  db.prepare(
    "INSERT INTO result_entries (journey_id, entered_at, run_id, version_id, customer_id, goal_event, window_end) VALUES ('j', ?, 3, 1, 'goal', 'order_completed', ?)",
  ).run(ANCIENT, NOW + DAY);
  const step = db.prepare(
    "INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, outcome) VALUES (?, 'j', 1, ?, 'n', 'wait', 1, ?, ?, 'executed')",
  );
  step.run(1, "ended", 1, OLD); // pruned
  step.run(1, "ended", 2, NOW - DAY); // kept: recent
  step.run(2, "waiting", 1, OLD); // kept: open run
  const outbox = db.prepare(
    `INSERT INTO outbox (idempotency_key, run_id, journey_id, version_id, node_id, visit, customer_id, action, channel, payload, status, created_at, delivered_at, response, next_attempt_at)
     VALUES (?, ?, 'j', 1, 'n', 1, 'c', 'email', 'email', ?, ?, ?, ?, ?, ?)`,
  );
  const payload = JSON.stringify({ rendered: { subject: "Hi", html: "<p>big</p>".repeat(100) } });
  outbox.run("sent-old", 1, payload, "sent", OLD, OLD, '{"status":200}', null); // slimmed, row kept
  outbox.run("failed-old", 1, payload, "failed", OLD, null, null, null); // deleted
  outbox.run("pending-old", 1, payload, "pending", OLD, null, null, OLD); // kept: not delivered
  outbox.run("sent-open-run", 2, payload, "sent", OLD, OLD, null, null); // kept: its run is open
  outbox.run("sent-recent", 1, payload, "sent", NOW - DAY, NOW - DAY, null, null); // kept: recent
  return store;
}

const ids = (store: SqliteStore, sql: string): string[] =>
  store.db
    .prepare<[], { k: string }>(sql)
    .all()
    .map((r) => r.k);

describe("retention", () => {
  it("prunes old history and never anything active or needed by results", async () => {
    const store = seeded();
    const ledger = store.db.prepare("SELECT * FROM result_entries").all();
    const s = await runRetention(store, NOW, { ...DEFAULT_RETENTION, batchRows: 2 });
    expect(ids(store, "SELECT message_id AS k FROM events ORDER BY seq")).toEqual([
      "e-recent",
      "e-open-run",
      "e-in-window",
    ]);
    expect(ids(store, "SELECT run_id || ':' || seq AS k FROM steps ORDER BY id")).toEqual(["1:2", "2:1"]);
    expect(ids(store, "SELECT idempotency_key AS k FROM outbox ORDER BY id")).toEqual([
      "sent-old",
      "pending-old",
      "sent-open-run",
      "sent-recent",
    ]);
    const slim = store.db
      .prepare<[], { payload: string; response: string | null; status: string }>(
        "SELECT payload, response, status FROM outbox WHERE idempotency_key = 'sent-old'",
      )
      .get()!;
    expect(slim).toEqual({ payload: '{"slimmed":1}', response: null, status: "sent" });
    expect(store.db.prepare("SELECT * FROM result_entries").all()).toEqual(ledger);
    expect(s).toEqual({
      events: { examined: 4, deleted: 1, slimmed: 0 },
      steps: { examined: 3, deleted: 1, slimmed: 0 },
      outbox: { examined: 5, deleted: 1, slimmed: 1 },
    });
    // A second run finds nothing more to do (slimmed rows are not slimmed again).
    const again = await runRetention(store, NOW, DEFAULT_RETENTION);
    expect([again.events.deleted, again.steps.deleted, again.outbox.deleted, again.outbox.slimmed]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it("archives exactly the pruned rows to gzip NDJSON before deleting them", async () => {
    const store = seeded();
    const archiveDir = join(dir, "archive");
    await runRetention(store, NOW, { ...DEFAULT_RETENTION, archiveDir });
    const files = readdirSync(archiveDir).sort();
    expect(files).toEqual([
      "events-2027-01-01.ndjson.gz",
      "outbox-2027-01-01.ndjson.gz",
      "steps-2027-01-01.ndjson.gz",
    ]);
    const read = (f: string) =>
      gunzipSync(readFileSync(join(archiveDir, f)))
        .toString("utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(read(files[0]!).map((r) => r.message_id)).toEqual(["e-ended"]);
    expect(read(files[1]!).map((r) => [r.idempotency_key, r.status])).toEqual([
      ["sent-old", "sent"],
      ["failed-old", "failed"],
    ]);
    // The archive holds the full row as it was, payload included.
    expect(String(read(files[1]!)[0]!.payload)).toContain("rendered");
    expect(read(files[2]!)).toHaveLength(1);
  });

  it("deletes nothing when the archive cannot be written", async () => {
    const store = seeded();
    const before = ids(store, "SELECT message_id AS k FROM events");
    // A regular file where the archive's directory should be: every write fails.
    const blocked = join(dir, "not-a-directory");
    writeFileSync(blocked, "");
    await expect(
      runRetention(store, NOW, { ...DEFAULT_RETENTION, archiveDir: join(blocked, "archive") }),
    ).rejects.toThrow();
    expect(ids(store, "SELECT message_id AS k FROM events")).toEqual(before);
  });

  it("0 days keeps a kind forever", async () => {
    const store = seeded();
    const s = await runRetention(store, NOW, {
      ...DEFAULT_RETENTION,
      eventsDays: 0,
      stepsDays: 0,
      outboxDays: 0,
    });
    expect(s.events.examined + s.steps.examined + s.outbox.examined).toBe(0);
  });

  it("reads its settings from REKINDLE_RETENTION_*, naming a bad one", () => {
    expect(loadRetentionConfig({})).toEqual(DEFAULT_RETENTION);
    expect(
      loadRetentionConfig({
        REKINDLE_RETENTION_STEPS_DAYS: "30",
        REKINDLE_RETENTION_ARCHIVE_DIR: "/var/arch",
      }),
    ).toMatchObject({ stepsDays: 30, archiveDir: "/var/arch" });
    expect(() => loadRetentionConfig({ REKINDLE_RETENTION_EVENTS_DAYS: "soon" })).toThrow(
      new RetentionConfigError(
        'REKINDLE_RETENTION_EVENTS_DAYS must be a whole number of days from 0 (keep forever) to 36500; got "soon"',
      ),
    );
  });
});
