import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { DB_FILE, describeReport, parseMapping, runImportCommand } from "../../cli/import-command";
import { importFile, importFiles, parseAmount, parseInstant } from "../../engine/customer/import";
import type { CustomerProfile } from "../../engine/customer/types";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { eventTrigger, journey, waitFor } from "../engine/harness";
import { lifecycleModel } from "../../engine/customer/engine-model";

const dir = mkdtempSync(join(tmpdir(), "rekindle-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (name: string, text: string): string => {
  const f = join(dir, `${++n}-${name}`);
  writeFileSync(f, text);
  return f;
};

const NOW = Date.parse("2026-03-01T00:00:00Z");
let store: SqliteStore;
let engine: Engine;
beforeEach(async () => {
  store = SqliteStore.open(":memory:");
  engine = await Engine.open({
    model: lifecycleModel(),
    store,
    clock: new ManualClock(NOW),
    registry: defaultRegistry(),
  });
});
afterEach(async () => {
  await engine.close();
});

const count = (sql: string, ...args: unknown[]): number =>
  (store.db.prepare(sql).get(...args) as { n: number }).n;
const profile = async (id: string): Promise<CustomerProfile> =>
  (await store.getCustomers([id])).get(id)!.state as unknown as CustomerProfile;

describe("values", () => {
  it("reads dates in the usual layouts, as UTC when no zone is written", () => {
    const d = Date.UTC(2024, 0, 2);
    expect(parseInstant("20240102")).toBe(d);
    expect(parseInstant("2024-01-02")).toBe(d);
    expect(parseInstant("2024/1/2")).toBe(d);
    expect(parseInstant("2024-01-02 08:26")).toBe(d + 8 * 3_600_000 + 26 * 60_000);
    expect(parseInstant("1/2/2024 8:26")).toBe(d + 8 * 3_600_000 + 26 * 60_000);
    expect(parseInstant("2024-01-02T10:00:00+02:00")).toBe(d + 8 * 3_600_000);
    expect(parseInstant(d / 1000)).toBe(d);
    expect(parseInstant(d)).toBe(d);
    for (const bad of ["2024-02-30", "13/1/2024", "yesterday", "", "2024-01-02T25:00:00Z"])
      expect(parseInstant(bad)).toBeUndefined();
  });
  it("reads amounts with a currency sign or thousands commas, refuses others", () => {
    expect(parseAmount("12.50")).toBe(12.5);
    expect(parseAmount("-3")).toBe(-3);
    expect(parseAmount("$1,234.50")).toBe(1234.5);
    expect(parseAmount("¥88")).toBe(88);
    expect(parseAmount(7)).toBe(7);
    for (const bad of ["12,5", "abc", "1.2.3", "", "NaN"]) expect(parseAmount(bad)).toBeUndefined();
  });
  it("parses --map lists", () => {
    expect(parseMapping("customer_id=CustomerID,date=InvoiceDate, revenue=amount")).toEqual({
      customer_id: "CustomerID",
      date: "InvoiceDate",
      revenue: "amount",
    });
    expect(() => parseMapping("customer_id")).toThrow(/field=column/);
  });
});

describe("import", () => {
  it("loads a small CSV of orders with the default columns (known answer)", async () => {
    const orders = file(
      "orders.csv",
      [
        "customer_id,date,revenue,channel",
        "a,2025-01-10,20,web",
        "a,2025-01-10,5.5,web",
        "a,2025-03-01,30,store",
        "b,2025-02-01,-10,web",
        "b,2025-01-15,40,web",
        "",
      ].join("\n"),
    );
    const r = await importFiles(engine, { orders });
    expect(r.files[0]).toMatchObject({
      format: "csv",
      rows: 5,
      imported: 5,
      duplicates: 0,
      bad: 0,
      customers: 2,
    });
    expect(r.badRows).toEqual([]);
    const a = await profile("a");
    expect(a.ordersCount).toBe(3);
    expect(a.totalSpent).toBe(55.5);
    expect(a.days.filter((d) => d.orders > 0)).toHaveLength(2);
    expect(a.firstOrderAt).toBe(Date.parse("2025-01-10T00:00:00Z"));
    const b = await profile("b");
    expect(b).toMatchObject({ ordersCount: 1, refundsCount: 1, totalSpent: 30 });
    const [e] = (await store.listEvents("a", 100)).filter((x) => x.name === "order_completed");
    expect(e!.properties).toEqual({ revenue: 30, channel: "store" });
    expect(e!.messageId).toMatch(/^imp:/);
  });

  it("maps columns (Online Retail names) and loads a customers file with traits", async () => {
    const customers = file(
      "customers.csv",
      "CustomerID,Mail,name,city\n17850,a@example.com,Ann,Shanghai\n13047,,Bo,London\n",
    );
    const orders = file(
      "orders.csv",
      "InvoiceNo,CustomerID,InvoiceDate,amount\n536365,17850,12/1/2010 8:26,15.30\n536366,13047,12/1/2010 8:28,22\n",
    );
    const r = await importFiles(engine, {
      customers,
      orders,
      map: parseMapping("customer_id=CustomerID,date=InvoiceDate,revenue=amount,email=Mail"),
    });
    expect(r.files.map((f) => [f.kind, f.imported])).toEqual([
      ["customers", 2],
      ["orders", 2],
    ]);
    const rows = await store.getCustomers(["17850", "13047"]);
    expect(rows.get("17850")!.traits).toEqual({ email: "a@example.com", name: "Ann", city: "Shanghai" });
    expect(rows.get("13047")!.traits).toEqual({ name: "Bo", city: "London" });
    const [o] = (await store.listEvents("17850", 100)).filter((x) => x.name === "order_completed");
    expect(o!.timestamp).toBe(Date.parse("2010-12-01T08:26:00Z"));
    expect(o!.properties).toEqual({ InvoiceNo: 536365, revenue: 15.3 });
  });

  it("loads NDJSON with a mapping and dotted paths", async () => {
    const orders = file(
      "orders.ndjson",
      [
        '{"user":{"id":"u1"},"at":"2025-05-01T10:00:00Z","total":12.5,"sku":"X"}',
        '{"user":{"id":"u2"},"at":"2025-05-02T10:00:00Z","total":"7"}',
        '{"user":{"id":"u1"},"at":"2025-05-03T10:00:00Z"}',
      ].join("\n"),
    );
    const r = await importFiles(engine, {
      orders,
      map: { customer_id: "user.id", date: "at", revenue: "total" },
    });
    expect(r.files[0]).toMatchObject({ format: "ndjson", imported: 3, bad: 0, customers: 2 });
    const u1 = await profile("u1");
    expect(u1).toMatchObject({ ordersCount: 2, totalSpent: 12.5 });
    const evs = (await store.listEvents("u1", 100)).filter((x) => x.name === "order_completed");
    expect(evs.map((e) => e.properties)).toEqual([{}, { revenue: 12.5, sku: "X" }]);
  });

  it("reports bad rows with line and reason, and goes on", async () => {
    const orders = file(
      "bad.csv",
      [
        "customer_id,date,revenue",
        "a,2025-01-10,20",
        ",2025-01-10,20",
        "a,not-a-date,20",
        "a,2025-01-11,twenty",
        "a,2025-01-12",
        "a,2025-01-13,",
        "b,2025-01-14,9",
      ].join("\n"),
    );
    const r = await importFiles(engine, { orders });
    expect(r.badRows).toEqual([
      { file: expect.stringContaining("bad.csv") as string, line: 3, reason: "missing customer id" },
      { file: expect.stringContaining("bad.csv") as string, line: 4, reason: 'bad date "not-a-date"' },
      { file: expect.stringContaining("bad.csv") as string, line: 5, reason: 'bad revenue "twenty"' },
      { file: expect.stringContaining("bad.csv") as string, line: 6, reason: "expected 3 columns, found 2" },
      { file: expect.stringContaining("bad.csv") as string, line: 7, reason: "missing revenue" },
    ]);
    expect(r.files[0]).toMatchObject({ rows: 7, imported: 2, bad: 5 });
    expect(r.stopped).toBe(false);
    expect(describeReport(r).join("\n")).toMatch(
      /bad\.csv:4: bad date "not-a-date"[\s\S]*7 rows, 2 imported/,
    );
  });

  it("stops at the first bad row with onError stop; the rows before it are imported", async () => {
    const orders = file("stop.csv", "customer_id,date,revenue\na,2025-01-10,20\na,bad,1\nb,2025-01-14,9\n");
    const r = await importFiles(engine, { orders, onError: "stop" });
    expect(r.stopped).toBe(true);
    expect(r.badRows).toHaveLength(1);
    expect(r.files[0]).toMatchObject({ rows: 2, imported: 1, bad: 1 });
    expect(count("SELECT count(*) AS n FROM events WHERE name = 'order_completed'")).toBe(1);
  });

  it("re-importing imports nothing twice; identical rows in one file are distinct orders", async () => {
    const text = "customer_id,date,revenue\na,2025-01-10,20\na,2025-01-10,20\nb,2025-01-11,5\n";
    const orders = file("twice.csv", text);
    const first = await importFile(engine, orders, "orders", { chunkSize: 2 });
    expect(first).toMatchObject({ imported: 3, duplicates: 0 });
    const second = await importFile(engine, orders, "orders");
    expect(second).toMatchObject({ imported: 0, duplicates: 3 });
    // The same content elsewhere (another name, CRLF endings, a row appended) only adds the new row.
    const grown = file("grown.csv", `${text}b,2025-01-12,6\n`.replace(/\n/g, "\r\n"));
    expect(await importFile(engine, grown, "orders")).toMatchObject({ imported: 1, duplicates: 3 });
    expect(count("SELECT count(*) AS n FROM events WHERE name = 'order_completed'")).toBe(4);
    expect((await profile("a")).ordersCount).toBe(2);
  });

  it("reads headerless whitespace files (the CDNOW layout) by position", async () => {
    const orders = file(
      "cdnow.txt",
      "00001 19970101  1   11.77\r\n00002 19970112  1   12.00\r\n00002 19970112  5   77.00\r\n",
    );
    const r = await importFiles(engine, { orders });
    expect(r.files[0]).toMatchObject({ format: "whitespace", imported: 3, customers: 2 });
    expect(await profile("00002")).toMatchObject({ ordersCount: 2, totalSpent: 89 });
  });

  it("fails clearly on a mapping to a missing column", async () => {
    const orders = file("x.csv", "customer_id,date,revenue\na,2025-01-10,20\n");
    await expect(importFiles(engine, { orders, map: { revenue: "amount" } })).rejects.toThrow(
      /column "amount" \(for revenue\) not found/,
    );
  });
});

describe("import and live journeys", () => {
  // One journey entered by every order, one by the stage change a first order makes (prospect → new), and
  // one with a waiting run that an order would end.
  const live = async () => {
    const ids: string[] = [];
    for (const [name, trigger, settings] of [
      ["on order", eventTrigger("order_completed"), {}],
      ["welcome", { kind: "stage", to: "new" }, {}],
      ["win-back", eventTrigger("churn_risk"), { exitOn: [{ event: "order_completed" }] }],
    ] as const) {
      const doc = journey(
        [
          ["t1", "trigger", trigger],
          ["w1", "wait", waitFor("72h")],
        ],
        [["t1", "w1"]],
        settings,
        name,
      );
      const j = await engine.createJourney(doc, name.replace(/\W+/g, "-"));
      await engine.publish(j.id);
      ids.push(j.id);
    }
    await engine.ingest([
      {
        type: "track",
        userId: "a",
        event: "churn_risk",
        properties: {},
        timestamp: new Date(NOW).toISOString(),
      },
    ]);
    await drain();
    return ids;
  };
  const drain = async () => {
    while ((await engine.tick(1000)) > 0);
  };
  const runs = (): { journey_id: string; customer_id: string; status: string }[] =>
    store.db.prepare("SELECT journey_id, customer_id, status FROM runs ORDER BY id").all() as never;
  const orders = () =>
    file("orders.csv", ["customer_id,date,revenue", "a,2026-02-25,20", "b,2026-02-26,40", ""].join("\n"));

  it("history updates profiles and stages but enters, resumes and ends no run", async () => {
    const [, , winback] = await live();
    const before = runs();
    expect(before).toEqual([{ journey_id: winback, customer_id: "a", status: "waiting" }]);
    const r = await importFiles(engine, { orders: orders() });
    expect(r.files[0]).toMatchObject({ imported: 2, bad: 0 });
    await drain();
    expect(runs()).toEqual(before);
    // b's first order made it "new": the welcome journey's stage trigger would have fired for a live event.
    expect(await profile("b")).toMatchObject({ ordersCount: 1, stage: "new" });
    expect((await profile("a")).ordersCount).toBe(1);
  });

  it("with triggerJourneys the same file enters and ends runs as live events do", async () => {
    const [onOrder, welcome, winback] = await live();
    await importFiles(engine, { orders: orders(), triggerJourneys: true });
    await drain();
    const after = runs();
    expect(after).toContainEqual({ journey_id: winback, customer_id: "a", status: "exited" });
    for (const c of ["a", "b"]) {
      expect(after).toContainEqual({ journey_id: onOrder, customer_id: c, status: "waiting" });
      expect(after).toContainEqual({ journey_id: welcome, customer_id: c, status: "waiting" });
    }
  });
});

describe("rekindle import (command)", () => {
  it("imports into DIR/rekindle.db, reports JSON, is idempotent on a second run", async () => {
    const data = join(dir, "data");
    const orders = file("cmd.csv", "customer_id,date,revenue\na,2025-01-10,20\nb,bad,1\n");
    const flags = {
      orders,
      data,
      map: {},
      format: "auto" as const,
      onError: "continue" as const,
      chunk: 1000,
      orderEvent: "order_completed",
      progress: false,
      recompute: true,
    };
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
    expect(await runImportCommand(flags, io)).toBe(0);
    expect(existsSync(join(data, DB_FILE))).toBe(true);
    const report = JSON.parse(out.join("")) as { imported: number; recompute: { customers: number } };
    expect(report.imported).toBe(1);
    expect(report.recompute.customers).toBe(1);
    expect(err.join("")).toMatch(/cmd\.csv:3: bad date "bad"/);
    out.length = 0;
    expect(await runImportCommand({ ...flags, onError: "stop", recompute: false }, io)).toBe(1);
    expect(JSON.parse(out.join(""))).toMatchObject({ imported: 0, duplicates: 1, stopped: true });
  });
});

const CDNOW = join(import.meta.dirname, "..", "..", "..", "shared", "data", "cdnow", "CDNOW_master.txt");

describe.skipIf(!existsSync(CDNOW))("the CDNOW master file", () => {
  it("imports every order: 23,570 customers, 69,659 order events, 67,591 customer-days", async () => {
    const r = await importFile(engine, CDNOW, "orders", {
      map: { revenue: "dollar_value" },
      chunkSize: 25_000,
    });
    expect(r).toMatchObject({
      format: "whitespace",
      rows: 69_659,
      imported: 69_659,
      bad: 0,
      customers: 23_570,
    });
    expect(count("SELECT count(*) AS n FROM customers")).toBe(23_570);
    expect(count("SELECT count(*) AS n FROM events WHERE name = 'order_completed'")).toBe(69_659);
    // Customer-days (same-day orders merged) and the total value, from the stored profiles.
    let days = 0;
    let cents = 0;
    for (let after: string | null = null; ;) {
      const page = await store.scanCustomerStates(after, 5000);
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      for (const c of page) {
        const p = c.state as unknown as CustomerProfile;
        days += p.days.filter((d) => d.orders > 0).length;
        cents += Math.round(p.totalSpent * 100);
      }
    }
    expect(days).toBe(67_591);
    expect(cents).toBe(250_031_563);
  }, 60_000);
});
