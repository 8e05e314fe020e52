/** `rekindle import --as-of`: history is scored as of a date from the data, never by the wall clock. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DB_FILE, runImportCommand } from "../../cli/import-command";
import { parseAsOf } from "../../engine/customer/as-of";
import type { CustomerProfile } from "../../engine/customer/types";
import { SqliteStore } from "../../engine/store/sqlite/store";

const dir = mkdtempSync(join(tmpdir(), "rekindle-asof-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** a: orders every 20 days up to 1997-09-20; b: one order 1997-03-01; c: one order after the cut. */
const ORDERS = [
  "customer_id,date,revenue",
  ...["1997-07-22", "1997-08-11", "1997-08-31", "1997-09-20"].map((d) => `a,${d},20`),
  "b,1997-03-01,15",
  "c,1997-11-15,30",
].join("\n");

async function run(extra: { asOf?: string; triggerJourneys?: boolean }) {
  const data = join(dir, `d${++n}`);
  const orders = join(dir, `o${n}.csv`);
  writeFileSync(orders, ORDERS + "\n");
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportCommand(
    {
      orders,
      data,
      map: {},
      format: "auto",
      onError: "continue",
      chunk: 2,
      orderEvent: "order_completed",
      progress: false,
      recompute: false,
      ...extra,
    },
    { out: (s) => void out.push(s), err: (s) => void err.push(s) },
  );
  const store = SqliteStore.open(join(data, DB_FILE));
  const states = new Map<string, CustomerProfile>();
  for (const [id, c] of await store.getCustomers(["a", "b", "c"]))
    states.set(id, c.state as unknown as CustomerProfile);
  await store.close();
  return { code, report: JSON.parse(out.join("")) as Record<string, unknown>, err: err.join(""), states };
}

describe("the as-of clock", () => {
  it("parses a date as the end of that UTC day, a timestamp as written, and refuses garbage", () => {
    expect(parseAsOf("1997-09-30")).toBe(Date.parse("1997-09-30T23:59:59.999Z"));
    expect(parseAsOf("19970930")).toBe(Date.parse("1997-09-30T23:59:59.999Z"));
    expect(parseAsOf("2011-08-31T12:00:00+01:00")).toBe(Date.parse("2011-08-31T11:00:00Z"));
    expect(() => parseAsOf("1997-02-30")).toThrow(/bad as-of date "1997-02-30"/);
    expect(() => parseAsOf("yesterday")).toThrow(/use YYYY-MM-DD/);
  });

  it("--as-of scores the history at that date and skips later rows", async () => {
    const r = await run({ asOf: "1997-09-30" });
    expect(r.code).toBe(0);
    expect(r.report.asOf).toBe("1997-09-30T23:59:59.999Z");
    expect((r.report.files as { afterAsOf?: number }[])[0]!.afterAsOf).toBe(1);
    expect(r.states.has("c")).toBe(false);
    // a: last order 10 days before, own cycle 20 days → active; b: one order 213 days before → dormant.
    expect(r.states.get("a")!.stage).toBe("active");
    expect(r.states.get("b")!.stage).toBe("dormant");
    expect(r.states.get("b")!.stageReason).toBe("no order for 214 days > 120");
  });

  it("without --as-of, history is scored as of its own latest event (not the wall clock)", async () => {
    const r = await run({});
    expect(r.report.asOf).toBe("1997-11-15T00:00:00.000Z");
    expect(r.err).toMatch(/scoring every profile as of the latest event, 1997-11-15/);
    // a: 56 days after its last order (cycle 20 → dormant after 50); b: 259 days → dormant; c: new.
    expect(r.states.get("a")!.stage).toBe("dormant");
    expect(r.states.get("b")!.stage).toBe("dormant");
    expect(r.states.get("c")!.stage).toBe("new");
  });

  it("back-fills the overview's daily stage snapshots for the 180 days before the as-of date", async () => {
    const { report } = await run({ asOf: "1997-09-30" });
    // a and b (c's order falls after the cut and is skipped).
    expect(report.overviewBackfill).toEqual({ days: 180, customers: 2 });
    const store = SqliteStore.open(join(dir, `d${n}`, DB_FILE));
    const day = Date.parse("1997-09-29T00:00:00Z") / 86_400_000;
    const stages = await store.listSnapshots({ from: day, to: day, dimensions: ["stage"] });
    await store.close();
    // On 29 September a (an order every 20 days, the last on the 20th) is active and b (one order on
    // 1 March, 212 days before: over the 120-day dormancy threshold for one-order customers) is dormant.
    expect(
      Object.fromEntries(stages.filter((r) => r.customers > 0).map((r) => [r.bucket, r.customers])),
    ).toEqual({
      active: 1,
      dormant: 1,
    });
  });

  it("a bad --as-of is a clear error and opens no database", async () => {
    const r = await runImportCommand(
      {
        orders: join(dir, "none.csv"),
        data: join(dir, "never"),
        map: {},
        format: "auto",
        onError: "continue",
        chunk: 2,
        orderEvent: "order_completed",
        progress: false,
        recompute: false,
        asOf: "30/09/1997",
      },
      { out: () => undefined, err: (s) => expect(s).toMatch(/--as-of: bad as-of date "30\/09\/1997"/) },
    );
    expect(r).toBe(1);
  });
});
