/**
 * Reads a file of orders for the model fit: a CSV with a header (`customer_id`, `date`, `revenue`
 * work without any mapping; common aliases are recognised), or whitespace-separated columns like the
 * CDNOW files (header optional). A column mapping names columns by header name or by 1-based position.
 */
import { parse } from "csv-parse/sync";
import type { DatedOrder } from "./summary";

export interface ColumnMapping {
  customerId?: string | number;
  date?: string | number;
  revenue?: string | number;
}

export interface ReadOrdersOptions {
  /** "auto" (default): a comma, semicolon or tab in the first line means CSV, otherwise whitespace. */
  format?: "auto" | "csv" | "whitespace";
  columns?: ColumnMapping;
}

export interface BadRow {
  line: number;
  reason: string;
}

export interface ReadOrdersResult {
  orders: DatedOrder[];
  /** False when no revenue column was found: the spend model cannot be fitted. */
  hasRevenue: boolean;
  badRows: BadRow[];
  lines: number;
}

const ALIASES = {
  customerId: ["customer_id", "customerid", "customer", "userid", "user_id", "cust", "masterid", "id"],
  date: ["date", "order_date", "orderdate", "timestamp", "created_at", "time", "datetime", "invoicedate"],
  revenue: ["revenue", "amount", "value", "dollar_value", "sales", "total", "price", "order_value"],
} as const;

const DAY_MS = 86_400_000;

/**
 * A calendar day number (days since 1970-01-01) from `YYYYMMDD`, `YYYY-MM-DD` or an ISO timestamp
 * (its written date is used, so a late-evening order stays on the customer's own local day).
 * Returns undefined for anything else.
 */
export function parseDay(text: string): number | undefined {
  const s = text.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  m ??= /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  m ??= /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return Math.round(ms / DAY_MS);
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function resolveColumn(
  want: string | number | undefined,
  header: string[] | undefined,
  aliases: readonly string[],
): number | undefined {
  if (typeof want === "number") return want - 1;
  if (typeof want === "string" && /^\d+$/.test(want)) return Number(want) - 1;
  const norm = header?.map((h) => h.trim().toLowerCase());
  if (typeof want === "string") {
    const i = norm?.indexOf(want.trim().toLowerCase()) ?? -1;
    if (i < 0)
      throw new Error(
        `column ${JSON.stringify(want)} not found in the header (${header?.join(", ") ?? "none"})`,
      );
    return i;
  }
  if (!norm) return undefined;
  for (const a of aliases) {
    const i = norm.indexOf(a);
    if (i >= 0) return i;
  }
  return undefined;
}

/** Parses the text of an orders file. */
export function readOrdersText(text: string, opts: ReadOrdersOptions = {}): ReadOrdersResult {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const format =
    opts.format && opts.format !== "auto" ? opts.format : /[,;\t]/.test(firstLine) ? "csv" : "whitespace";
  let rows: string[][];
  if (format === "csv") {
    const delimiter = firstLine.includes(",") ? "," : firstLine.includes(";") ? ";" : "\t";
    const parsed: unknown = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
    });
    rows = parsed as string[][];
  } else {
    rows = text.split(/\r?\n/).map((l) => (l.trim() === "" ? [] : l.trim().split(/\s+/)));
  }
  // A header is a first row in which no cell reads as a date (every order row has one).
  const first = rows[0] ?? [];
  const hasHeader = first.length > 0 && first.every((c) => parseDay(c) === undefined);
  const header = hasHeader ? first : undefined;
  const cols = opts.columns ?? {};
  let idCol = resolveColumn(cols.customerId, header, ALIASES.customerId);
  let dateCol = resolveColumn(cols.date, header, ALIASES.date);
  let revCol = resolveColumn(cols.revenue, header, ALIASES.revenue);
  if (!header) {
    // Headerless (CDNOW): the id is the first column, the date the first 8-digit date column,
    // the value the last column.
    const sample = rows.find((r) => r.length > 0) ?? [];
    idCol ??= 0;
    dateCol ??= sample.findIndex((c, i) => i > 0 && parseDay(c) !== undefined);
    if (revCol === undefined && sample.length > 2 && sample.length - 1 !== dateCol)
      revCol = sample.length - 1;
  }
  if (idCol === undefined || idCol < 0)
    throw new Error("no customer id column (expected customer_id, or map one)");
  if (dateCol === undefined || dateCol < 0) throw new Error("no date column (expected date, or map one)");

  const orders: DatedOrder[] = [];
  const badRows: BadRow[] = [];
  for (let i = hasHeader ? 1 : 0; i < rows.length; i++) {
    const r = rows[i] as string[];
    if (r.length === 0 || (r.length === 1 && (r[0] ?? "").trim() === "")) continue;
    const line = i + 1;
    const id = r[idCol]?.trim();
    if (!id) {
      badRows.push({ line, reason: "missing customer id" });
      continue;
    }
    const dateText = r[dateCol] ?? "";
    const day = parseDay(dateText);
    if (day === undefined) {
      badRows.push({ line, reason: `bad date ${JSON.stringify(dateText)}` });
      continue;
    }
    let revenue: number | undefined;
    if (revCol !== undefined) {
      const t = (r[revCol] ?? "").trim();
      if (t !== "") {
        const v = Number(t);
        if (!Number.isFinite(v)) {
          badRows.push({ line, reason: `bad revenue ${JSON.stringify(t)}` });
          continue;
        }
        revenue = v;
      }
    }
    orders.push({ customerId: id, day, revenue });
  }
  return { orders, hasRevenue: revCol !== undefined, badRows, lines: rows.length };
}
