import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseColumnsOption, runModelFit } from "./fit-cli";
import { readOrdersText } from "./orders-file";
import { summarize } from "./summary";
import { createRng } from "./random";
import { simulateCustomer } from "./simulate";

const dir = mkdtempSync(join(tmpdir(), "rekindle-fit-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const sink = (): { write: (s: string) => boolean; text: () => string } => {
  let buf = "";
  return { write: (s: string) => ((buf += s), true), text: () => buf };
};

/** A CSV of simulated orders (dates from 2024-01-01), 1,500 customers, weekly-ish purchase rates. */
function simulatedCsv(opts: { revenue: "vary" | "constant" | "none" }): string {
  const rng = createRng(7);
  const lines = [opts.revenue === "none" ? "customer_id,date" : "customer_id,date,revenue"];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 1500; i++) {
    const first = Math.floor(rng.next() * 60);
    const c = simulateCustomer(rng, { r: 0.5, alpha: 20, a: 0.8, b: 3 }, 300 - first, {
      p: 5,
      q: 4,
      gamma: 60,
    });
    for (const [k, t] of [0, ...c.times].entries()) {
      const date = new Date(start + (first + Math.floor(t)) * 86_400_000).toISOString().slice(0, 10);
      const v = opts.revenue === "constant" ? "10.00" : (c.values[k] ?? 1).toFixed(2);
      lines.push(opts.revenue === "none" ? `u${i},${date}` : `u${i},${date},${v}`);
    }
  }
  return lines.join("\n") + "\n";
}

describe("rekindle model fit", () => {
  it("reads customer_id,date,revenue without a mapping and prints the contract's shape", async () => {
    const out = await runModelFit(
      { ordersFile: file("a.csv", simulatedCsv({ revenue: "vary" })), unit: "day" },
      sink(),
    );
    expect(Object.keys(out)).toEqual(["customers", "bgnbd", "gammaGamma"]);
    expect(Object.keys(out.bgnbd)).toEqual(["r", "alpha", "a", "b", "logLik"]);
    expect(Object.keys(out.gammaGamma!)).toEqual(["p", "q", "gamma", "logLik"]);
    expect(out.customers).toBe(1500);
    expect(out.bgnbd.r).toBeGreaterThan(0.3);
    expect(out.bgnbd.r).toBeLessThan(0.8);
    // α is in days here; in weeks it is 7 times smaller and the other parameters are the same.
    const weeks = await runModelFit({ ordersFile: join(dir, "a.csv"), unit: "week" }, sink());
    expect(weeks.bgnbd.alpha).toBeCloseTo(out.bgnbd.alpha / 7, 1);
    expect(weeks.bgnbd.r).toBeCloseTo(out.bgnbd.r, 3);
    expect(weeks.bgnbd.a).toBeCloseTo(out.bgnbd.a, 2);
  });

  it("Gamma-Gamma is null when revenue is missing or constant; BG/NBD is still fitted", async () => {
    const log = sink();
    const none = await runModelFit(
      { ordersFile: file("b.csv", simulatedCsv({ revenue: "none" })), unit: "week" },
      log,
    );
    expect(none.gammaGamma).toBeNull();
    expect(none.bgnbd.logLik).toBeLessThan(0);
    expect(log.text()).toMatch(/no revenue column/);
    const constant = await runModelFit(
      { ordersFile: file("c.csv", simulatedCsv({ revenue: "constant" })), unit: "week" },
      sink(),
    );
    expect(constant.gammaGamma).toBeNull();
    expect(constant.bgnbd).toEqual(none.bgnbd);
  });

  it("same-day orders are one transaction; the calibration end is inclusive; later first orders are left out", () => {
    const r = readOrdersText(
      "customer_id,date,revenue\na,2024-01-01,10\na,2024-01-01,5\na,2024-01-08,20\na,2024-01-15T23:30:00+08:00,7\nb,2024-01-20,3\n",
    );
    const s = summarize(r.orders, 15 + Date.UTC(2024, 0, 0) / 86_400_000, "day");
    expect(s).toEqual([{ customerId: "a", firstDay: 19723, x: 2, tx: 14, T: 14, m: 13.5, xHoldout: 0 }]);
    const w = summarize(r.orders, 19753, "week");
    expect(w.find((c) => c.customerId === "a")).toMatchObject({ x: 2, tx: 2, T: 30 / 7 });
  });

  it("reports bad rows and goes on; maps columns by name or position", () => {
    const r = readOrdersText(
      "user,when,amount\nu1,2024-02-30,5\nu1,2024-03-01,x\n,2024-03-01,1\nu1,2024-03-02,4\n",
      {
        columns: { customerId: "user", date: 2, revenue: "amount" },
      },
    );
    expect(r.orders).toEqual([{ customerId: "u1", day: 19784, revenue: 4 }]);
    expect(r.badRows).toEqual([
      { line: 2, reason: 'bad date "2024-02-30"' },
      { line: 3, reason: 'bad revenue "x"' },
      { line: 4, reason: "missing customer id" },
    ]);
    expect(parseColumnsOption("customerId=2,date=3,revenue=sales")).toEqual({
      customerId: 2,
      date: 3,
      revenue: "sales",
    });
    expect(() => parseColumnsOption("who=1")).toThrow(/bad --columns/);
  });
});
