import { riskBand } from "../schema/customer-list";
import type { CustomerList, CustomerListQuery, CustomerListRow } from "../schema/customer-list";
import type { CustomerStateModel } from "../runtime/customer-state-model";
import type { CustomerRow, Store } from "../store/types";

/** Customers examined per list request: a larger base is listed from its first ones, and says so. */
export const CUSTOMER_LIST_SCAN = 100_000;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** One customer as the list shows it: the `customer` fact's computed values, and the traits a row names. */
export function customerListRow(c: CustomerRow, fact: Record<string, unknown>): CustomerListRow {
  const rfm = (fact.rfm ?? {}) as Record<string, unknown>;
  const tags = Array.isArray(c.traits.tags)
    ? c.traits.tags.filter((t): t is string => typeof t === "string")
    : [];
  return {
    id: c.id,
    name: text(c.traits.name),
    email: text(c.traits.email),
    stage: text(fact.stage),
    segment: text(rfm.segment),
    churnRisk: num(fact.churnRisk),
    risk: riskBand(fact.churnRisk),
    pAlive: num(fact.pAlive),
    clv: num(fact.clv),
    totalSpent: num(fact.totalSpent),
    tags,
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

/** The fact's RFM recency × frequency cell, `r-f`, or null for a customer with no RFM scores. */
function rfmCell(fact: Record<string, unknown>): string | null {
  const rfm = (fact.rfm ?? {}) as Record<string, unknown>;
  return typeof rfm.r === "number" && typeof rfm.f === "number" ? `${rfm.r}-${rfm.f}` : null;
}

function matches(row: CustomerListRow, c: CustomerRow, q: CustomerListQuery, cell: string | null): boolean {
  if (q.rfm !== undefined && cell !== q.rfm) return false;
  if (q.stage !== undefined && row.stage !== q.stage) return false;
  if (q.segment !== undefined && row.segment !== q.segment) return false;
  if (q.risk !== undefined && row.risk !== q.risk) return false;
  if (q.tag !== undefined && !row.tags.includes(q.tag)) return false;
  if (q.q) {
    const needle = q.q.toLowerCase();
    const hay = [c.id, row.name, row.email, text(c.traits.phone)];
    if (!hay.some((h) => h !== null && h.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/**
 * The customer list: every customer (up to the scan cap) through the lifecycle model's `customer` fact, kept
 * when it matches the filters, sorted (missing values last, then by id), one page answered. Computed state
 * is not indexed, so filtering by it reads the base; it is a workbench view, not a hot path.
 */
export async function listCustomers(
  store: Store,
  model: Pick<CustomerStateModel, "fact">,
  q: CustomerListQuery,
  now: number,
  scanCap = CUSTOMER_LIST_SCAN,
): Promise<CustomerList & { rows: CustomerListRow[] }> {
  const rows: CustomerListRow[] = [];
  let scanned = 0;
  let after: string | null = null;
  while (scanned < scanCap) {
    const page: CustomerRow[] = await store.scanCustomers(after, Math.min(1000, scanCap - scanned));
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    scanned += page.length;
    for (const c of page) {
      const fact = model.fact(c, now);
      const row = customerListRow(c, fact);
      if (matches(row, c, q, rfmCell(fact))) rows.push(row);
    }
  }
  const total = await store.countCustomers();
  const sign = q.dir === "desc" ? -1 : 1;
  const key = q.sort;
  rows.sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const start = (q.page - 1) * q.pageSize;
  return {
    rows,
    items: rows.slice(start, start + q.pageSize),
    total: rows.length,
    page: q.page,
    pageSize: q.pageSize,
    scanned,
    complete: scanned >= total,
  };
}

const CSV_COLUMNS = [
  "id",
  "name",
  "email",
  "stage",
  "segment",
  "churnRisk",
  "risk",
  "pAlive",
  "clv",
  "totalSpent",
  "tags",
  "updatedAt",
] as const;
const cell = (v: string | number | string[] | null): string => {
  const s = v === null ? "" : Array.isArray(v) ? v.join(";") : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The filtered list as CSV: UTF-8 with a BOM, so Excel on a Chinese Windows reads the names right. */
export function customerListCsv(rows: readonly CustomerListRow[]): string {
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(","))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
