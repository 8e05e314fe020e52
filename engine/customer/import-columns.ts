// Which column (or NDJSON key) feeds each target field: the mapping, else the default name, else an alias.
import { ImportError } from "./import-types";
import type { ImportFormat } from "./import-types";
import type { RawRow } from "./import-readers";

const ALIASES: Record<string, readonly string[]> = {
  customer_id: [
    "customer_id",
    "customerid",
    "customer",
    "user_id",
    "userid",
    "client_id",
    "masterid",
    "cust_id",
    "id",
  ],
  date: [
    "date",
    "timestamp",
    "order_date",
    "orderdate",
    "invoicedate",
    "invoice_date",
    "created_at",
    "datetime",
    "time",
  ],
  revenue: [
    "revenue",
    "amount",
    "value",
    "total",
    "dollar_value",
    "sales",
    "order_value",
    "price",
    "order_total",
  ],
};

/** Settles one field's source column: the mapping, else the default name, else an alias. */
function findColumn(
  target: string,
  map: Record<string, string>,
  header: readonly string[] | undefined,
): { index: number; name: string } | undefined {
  const want = map[target];
  const norm = header?.map((h) => h.trim().toLowerCase());
  if (want !== undefined) {
    if (/^\d+$/.test(want)) return { index: Number(want) - 1, name: header?.[Number(want) - 1] ?? want };
    const i = norm?.indexOf(want.trim().toLowerCase()) ?? -1;
    if (i < 0)
      throw new ImportError(
        `column ${JSON.stringify(want)} (for ${target}) not found; the header has ${header?.join(", ") ?? "no names"}`,
      );
    return { index: i, name: header![i]! };
  }
  if (!norm) return undefined;
  for (const a of ALIASES[target] ?? [target]) {
    const i = norm.indexOf(a);
    if (i >= 0) return { index: i, name: header![i]! };
  }
  return undefined;
}

export type Cell = (row: RawRow) => unknown;

export interface Getter {
  get: Cell;
  /** The column's name (header name or position), or for NDJSON the key a row used. */
  name: string;
  /** NDJSON: the top-level key this row's value came from. */
  keyOf?: (row: RawRow) => string | undefined;
}

/** NDJSON: the top-level key (or dotted path) of the first candidate the object has. */
function ndjsonKey(o: Record<string, unknown>, candidates: readonly string[]): string | undefined {
  for (const k of candidates) {
    if (Object.hasOwn(o, k)) return k;
    const lower = k.toLowerCase();
    const found = Object.keys(o).find((x) => x.toLowerCase() === lower);
    if (found !== undefined) return found;
    if (k.includes(".")) {
      let v: unknown = o;
      for (const part of k.split(".")) {
        if (typeof v !== "object" || v === null || !Object.hasOwn(v, part)) {
          v = undefined;
          break;
        }
        v = (v as Record<string, unknown>)[part];
      }
      if (v !== undefined) return k;
    }
  }
  return undefined;
}

function ndjsonValue(o: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(o, key)) return o[key];
  let v: unknown = o;
  for (const part of key.split(".")) v = (v as Record<string, unknown>)[part];
  return v;
}

export function cellGetter(
  target: string,
  map: Record<string, string>,
  header: readonly string[] | undefined,
  format: Exclude<ImportFormat, "auto">,
): Getter | undefined {
  if (format === "ndjson") {
    const path = map[target];
    const candidates = path !== undefined ? [path] : (ALIASES[target] ?? [target]);
    const keyOf = (row: RawRow): string | undefined => ndjsonKey(row.obj!, candidates);
    const get: Cell = (row) => {
      const k = keyOf(row);
      return k === undefined ? undefined : ndjsonValue(row.obj!, k);
    };
    return { get, name: path ?? target, keyOf };
  }
  const col = findColumn(target, map, header);
  if (!col) return undefined;
  return { get: (row) => row.cells![col.index], name: col.name };
}
