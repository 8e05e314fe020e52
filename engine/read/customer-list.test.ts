import { describe, expect, it } from "vitest";
import { riskBand } from "../schema/customer-list";
import { customerListQuerySchema } from "../schema/customer-list";
import { SqliteStore } from "../store/sqlite/store";
import { customerListCsv, listCustomers } from "./customer-list";

const row = (id: string, traits: Record<string, unknown>, state: Record<string, unknown>) => ({
  id,
  traits,
  state,
  createdAt: 0,
  updatedAt: 0,
});

describe("the customer list", () => {
  it("filters by an RFM recency × frequency cell (the overview's grid), refusing a malformed cell", async () => {
    const store = SqliteStore.open(":memory:");
    const fact = (c: { id: string; state: Record<string, unknown> }) => ({ id: c.id, ...c.state });
    await store.commit({
      customers: [
        row("a", {}, { rfm: { r: 5, f: 3, segment: "Loyal" } }),
        row("b", {}, { rfm: { r: 3, f: 5, segment: "Loyal" } }),
        row("c", {}, { rfm: { r: 5, f: 3, segment: "Loyal" } }),
        row("d", {}, { stage: "prospect" }),
      ],
    });
    const list = await listCustomers(store, { fact }, customerListQuerySchema.parse({ rfm: "5-3" }), 0);
    expect(list.rows.map((r) => r.id)).toEqual(["a", "c"]);
    const bad = customerListQuerySchema.safeParse({ rfm: "6-1" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["rfm"]);
    expect(bad.error?.issues[0]?.message).toMatch(/recency-frequency cell/);
  });

  it("bands churn risk at 0.3 and 0.6, and has no band without a number", () => {
    expect([0, 0.29, 0.3, 0.59, 0.6, 1].map(riskBand)).toEqual([
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
    ]);
    expect(riskBand(undefined)).toBeNull();
    expect(riskBand(Number.NaN)).toBeNull();
  });

  it("sorts with missing values last, pages, and writes CSV with a BOM, quoting what needs it", async () => {
    const store = SqliteStore.open(":memory:");
    const fact = (c: { id: string; state: Record<string, unknown> }) => ({ id: c.id, ...c.state });
    const customers = [
      row("a", { name: 'Li "Na", VIP', tags: ["vip", "zh"] }, { churnRisk: 0.7, stage: "dormant" }),
      row("b", { name: "王芳" }, { churnRisk: 0.1, stage: "active" }),
      row("c", {}, { stage: "prospect" }),
    ];
    await store.commit({ customers });
    const q = customerListQuerySchema.parse({ sort: "churnRisk", dir: "desc", pageSize: "2" });
    const list = await listCustomers(store, { fact }, q, 0);
    expect(list.rows.map((r) => [r.id, r.risk])).toEqual([
      ["a", "high"],
      ["b", "low"],
      ["c", null],
    ]);
    expect(list).toMatchObject({ total: 3, scanned: 3, complete: true });
    expect(list.items.map((r) => r.id)).toEqual(["a", "b"]);
    const high = await listCustomers(store, { fact }, customerListQuerySchema.parse({ risk: "high" }), 0);
    expect(high.items.map((r) => r.id)).toEqual(["a"]);
    const csv = customerListCsv(list.rows);
    expect(csv.startsWith("\uFEFFid,name,")).toBe(true);
    expect(csv).toContain('a,"Li ""Na"", VIP",,dormant,,0.7,high,,,,vip;zh,');
    await store.close();
  });
});
