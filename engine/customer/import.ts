/**
 * Import of customers and orders from CSV, NDJSON or whitespace-separated files (the CDNOW layout), through
 * the engine's ingestion in chunks, so profiles, stages and signals follow as for live events.
 *
 * - Journeys are left alone by default: an import is history, and a customer whose 2019 order arrives today
 *   must not get today's welcome or win-back message. `triggerJourneys` lets the events enter, resume and
 *   end runs as live ones would (a feed of recent events, say).
 *
 * - Columns: `customer_id`, `date` and `revenue` by default (with common aliases: `CustomerID`,
 *   `InvoiceDate`, `amount`, `dollar_value`…); a mapping renames them (`customer_id=CustomerID`), by header
 *   name or 1-based position. In a customers file every other column is a trait (a mapping
 *   `email=EmailAddress` names the trait). Unmapped order columns go into the order's properties.
 * - Bad rows are reported with their line and reason; `onError: "stop"` stops at the first one (the rows
 *   before it are imported).
 * - Idempotent: each row's messageId is a hash of its content (and of how many identical rows came before
 *   it in the file), so importing the same file again imports nothing twice.
 */
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { isIsoWithZone, MAX_YEAR, MIN_YEAR } from "../schema/events";
import { parse } from "csv-parse";
import type { Engine } from "../runtime/engine";
import type { InputEvent } from "../schema/events";
import { DEFAULT_CONFIG } from "./config";

export type ImportFormat = "auto" | "csv" | "ndjson" | "whitespace";
export type ImportKind = "orders" | "customers";

export interface ImportFileOptions {
  /** Target field → source column (header name, NDJSON key or dotted path, or 1-based position). */
  map?: Record<string, string>;
  format?: ImportFormat;
  onError?: "continue" | "stop";
  /** Events per engine transaction (default 5000). */
  chunkSize?: number;
  /** The order event's name (default `order_completed`). */
  orderEvent?: string;
  /** Keep unmapped order columns as event properties (default true). */
  extraProperties?: boolean;
  /** Timestamp of identify events from a customers file without a date column (default: now). */
  now?: number;
  /** Let the imported events enter, resume and end journey runs as live events do (default false). */
  triggerJourneys?: boolean;
  /** Called as the file is read (bytes of `total`) and when it ends. */
  onProgress?: (p: { file: string; bytes: number; total: number; rows: number }) => void;
}

export interface BadRow {
  file: string;
  line: number;
  reason: string;
}

export interface FileReport {
  file: string;
  kind: ImportKind;
  format: Exclude<ImportFormat, "auto">;
  /** Data rows read (bad ones included). */
  rows: number;
  /** Events the engine accepted (new). */
  imported: number;
  /** Rows already imported before (same content). */
  duplicates: number;
  bad: number;
  /** Distinct customer ids in the file's good rows. */
  customers: number;
  /** True when the revenue column was not found (orders imported without revenue). */
  noRevenue?: boolean;
}

export interface ImportReport {
  files: FileReport[];
  imported: number;
  duplicates: number;
  badRows: BadRow[];
  /** Bad rows beyond those listed in `badRows` (the list is capped). */
  badRowsOmitted: number;
  /** True when `onError: "stop"` ended the import at a bad row. */
  stopped: boolean;
  ms: number;
}

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

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

// ---- values ----------------------------------------------------------------------------------

const ISO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? inRange(ms) : undefined;
}

/** Instants outside the years events take (1970–2100) are typos or sentinels such as 9999-12-31. */
function inRange(ms: number): number | undefined {
  const year = new Date(ms).getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? ms : undefined;
}

/**
 * An instant from a date cell: ISO 8601 with a zone; `YYYYMMDD`, `YYYY-MM-DD` or `YYYY/MM/DD` with an
 * optional `HH:MM[:SS]` (read as UTC); US `M/D/YYYY [H:MM[:SS]]`; or epoch seconds / milliseconds.
 */
export function parseInstant(v: unknown): number | undefined {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v <= 0) return undefined;
    return inRange(v > 1e11 ? v : v * 1000);
  }
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (ISO_ZONE.test(s)) {
    // isIsoWithZone checks each field: Date.parse alone rolls 2026-02-30 over to March 2.
    const ms = Date.parse(s);
    return Number.isNaN(ms) || !isIsoWithZone(s) ? undefined : inRange(ms);
  }
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return utc(+m[3]!, +m[1]!, +m[2]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (/^\d{9,13}$/.test(s)) return parseInstant(Number(s));
  return undefined;
}

/** A money amount: a number, or a numeric string with an optional currency sign and thousands commas. */
export function parseAmount(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  let s = v.trim().replace(/^([-+]?)[$€£¥]\s*/, "$1");
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Numeric-looking cells become numbers (not ids with leading zeros); other values are kept. */
function coerce(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim();
  return /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(s) ? Number(s) : s;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "");

// ---- readers ----------------------------------------------------------------------------------

interface RawRow {
  line: number;
  /** Cells (CSV, whitespace) or the parsed object (NDJSON). */
  cells?: string[];
  obj?: Record<string, unknown>;
  /** The row's content, normalised, for its messageId. */
  content: string;
  error?: string;
}

/** Reads a file's data rows; `header` is set once a header row has been seen. */
interface Reader {
  rows: AsyncIterable<RawRow>;
  header: () => string[] | undefined;
}

function detectFormat(file: string, firstLine: string): Exclude<ImportFormat, "auto"> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl") || firstLine.trimStart().startsWith("{"))
    return "ndjson";
  if (/[,;\t]/.test(firstLine)) return "csv";
  return "whitespace";
}

async function readFirstLine(file: string): Promise<string> {
  const stream = createReadStream(file, { encoding: "utf8", start: 0, end: 64 * 1024 });
  let text = "";
  for await (const chunk of stream) {
    text += chunk as string;
    if (/\r?\n/.test(text)) break;
  }
  stream.destroy();
  return text.replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "";
}

const looksLikeHeader = (cells: readonly string[]): boolean =>
  cells.length > 0 && cells.every((c) => parseInstant(c) === undefined && parseAmount(c) === undefined);

function lineReader(file: string, onBytes: (n: number) => void, format: "ndjson" | "whitespace"): Reader {
  let header: string[] | undefined;
  async function* rows(): AsyncGenerator<RawRow> {
    const stream = createReadStream(file);
    stream.on("data", (b) => onBytes(b.length));
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    let line = 0;
    let first = true;
    for await (const raw of rl) {
      line++;
      const text = (line === 1 ? raw.replace(/^\uFEFF/, "") : raw).trim();
      if (text === "") continue;
      if (format === "ndjson") {
        let obj: unknown;
        try {
          obj = JSON.parse(text);
        } catch {
          yield { line, content: text, error: "not valid JSON" };
          continue;
        }
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
          yield { line, content: text, error: "not a JSON object" };
          continue;
        }
        yield { line, obj: obj as Record<string, unknown>, content: text };
        continue;
      }
      const cells = text.split(/\s+/);
      if (first) {
        first = false;
        // The header can only be the first non-empty line.
        if (looksLikeHeader(cells)) {
          header = cells;
          continue;
        }
      }
      yield { line, cells, content: cells.join("\u001f") };
    }
  }
  return { rows: rows(), header: () => header };
}

function csvReader(file: string, onBytes: (n: number) => void, firstLine: string): Reader {
  const delimiter = firstLine.includes(",") ? "," : firstLine.includes(";") ? ";" : "\t";
  let header: string[] | undefined;
  async function* rows(): AsyncGenerator<RawRow> {
    const stream = createReadStream(file);
    stream.on("data", (b) => onBytes(b.length));
    const parser = stream.pipe(
      parse({
        delimiter,
        bom: true,
        info: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
      }),
    );
    let first = true;
    try {
      for await (const item of parser) {
        const { record, info } = item as { record: string[]; info: { lines: number } };
        if (record.length === 1 && record[0]!.trim() === "") continue;
        if (first) {
          first = false;
          if (looksLikeHeader(record)) {
            header = record.map((h) => h.trim());
            continue;
          }
        }
        const line = info.lines;
        if (header && record.length !== header.length) {
          const extra = record.slice(header.length);
          if (record.length < header.length || extra.some((c) => c.trim() !== "")) {
            yield {
              line,
              content: record.join("\u001f"),
              error: `expected ${header.length} columns, found ${record.length}`,
            };
            continue;
          }
        }
        yield { line, cells: record, content: record.join("\u001f") };
      }
    } catch (err) {
      const line = (err as { lines?: number }).lines ?? 0;
      yield { line, content: "", error: `unreadable CSV: ${(err as Error).message}` };
      throw new FatalRow();
    }
  }
  return { rows: rows(), header: () => header };
}

/** A reader that cannot go on after a bad row (broken CSV quoting). */
class FatalRow extends Error {}

// ---- the import ---------------------------------------------------------------------------------

const BAD_ROWS_KEPT = 1000;

/** A per-file messageId source: content hash plus the occurrence of identical content before it. */
class RowIds {
  private readonly seen = new Map<string, number>();
  constructor(private readonly kind: ImportKind) {}
  next(content: string): string {
    const h = createHash("sha256").update(this.kind).update("\u0000").update(content).digest("base64url");
    const key = h.slice(0, 24);
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return n === 0 ? `imp:${key}` : `imp:${key}:${n}`;
  }
}

type Cell = (row: RawRow) => unknown;

interface Getter {
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

function cellGetter(
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

/**
 * Imports one file into the engine. Customers files send `identify` events (traits), orders files send
 * `order_completed` track events.
 */
export async function importFile(
  engine: Engine,
  file: string,
  kind: ImportKind,
  opts: ImportFileOptions = {},
  report: { badRows: BadRow[]; badRowsOmitted: number } = { badRows: [], badRowsOmitted: 0 },
): Promise<FileReport & { stopped: boolean }> {
  const map = opts.map ?? {};
  const total = statSync(file).size;
  const firstLine = await readFirstLine(file);
  const format = !opts.format || opts.format === "auto" ? detectFormat(file, firstLine) : opts.format;
  let bytes = 0;
  let rowsRead = 0;
  const name = basename(file);
  const progress = (): void => opts.onProgress?.({ file: name, bytes, total, rows: rowsRead });
  const onBytes = (n: number): void => {
    bytes += n;
  };
  const reader = format === "csv" ? csvReader(file, onBytes, firstLine) : lineReader(file, onBytes, format);
  const ids = new RowIds(kind);
  const orderEvent = opts.orderEvent ?? DEFAULT_CONFIG.orderEvent;
  const chunkSize = Math.max(1, opts.chunkSize ?? 5000);
  const now = opts.now ?? engine.clock.now();
  const out: FileReport & { stopped: boolean } = {
    file,
    kind,
    format,
    rows: 0,
    imported: 0,
    duplicates: 0,
    bad: 0,
    customers: 0,
    stopped: false,
  };
  const customers = new Set<string>();
  let chunk: InputEvent[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const statuses = await engine.ingest(chunk, { journeys: opts.triggerJourneys ?? false });
    for (const s of statuses) {
      if (s === "accepted") out.imported++;
      else out.duplicates++;
    }
    chunk = [];
    progress();
  };
  const bad = (line: number, reason: string): void => {
    out.bad++;
    if (report.badRows.length < BAD_ROWS_KEPT) report.badRows.push({ file: name, line, reason });
    else report.badRowsOmitted++;
  };

  // Column getters, settled at the first data row (the header is known by then).
  let cols:
    | {
        id: Getter;
        date: Getter | undefined;
        revenue: Getter | undefined;
        used: Set<string>;
        traits: { name: string; get: Cell }[];
      }
    | undefined;
  const settle = (row: RawRow): NonNullable<typeof cols> => {
    const header = reader.header();
    const positional = !header && format !== "ndjson";
    const width = row.cells?.length ?? 0;
    let id = cellGetter("customer_id", map, header, format);
    // A customers file may lack the orders' date column that a shared mapping names.
    let date: Getter | undefined;
    try {
      date = cellGetter("date", map, header, format);
    } catch (e) {
      if (kind === "orders") throw e;
    }
    let revenue = kind === "orders" ? cellGetter("revenue", map, header, format) : undefined;
    if (positional) {
      // Headerless (CDNOW): id first, the first date-like column, the last column as the value.
      id ??= { get: (r) => r.cells![0], name: "1" };
      if (!date) {
        const i = row.cells!.findIndex((c, k) => k > 0 && parseInstant(c) !== undefined);
        if (i > 0) date = { get: (r) => r.cells![i], name: String(i + 1) };
      }
      if (kind === "orders" && !revenue && width > 2) {
        const dateIndex = row.cells!.findIndex((c, k) => k > 0 && parseInstant(c) !== undefined);
        if (dateIndex !== width - 1) revenue = { get: (r) => r.cells![width - 1], name: String(width) };
      }
    }
    if (!id) throw new ImportError(`${name}: no customer id column (expected customer_id, or map one)`);
    if (kind === "orders" && !date)
      throw new ImportError(`${name}: no date column (expected date, or map one)`);
    const used = new Set([id.name, date?.name, revenue?.name].filter((x): x is string => x !== undefined));
    // Traits (customers) and extra properties (orders): every other column, renamed by the mapping.
    const renamed = new Map<string, string>();
    for (const [target, source] of Object.entries(map)) {
      if (target === "customer_id" || target === "date" || target === "revenue") continue;
      renamed.set(source.toLowerCase(), target);
    }
    const traits: { name: string; get: Cell }[] = [];
    if (format === "ndjson") {
      // Resolved per row below.
    } else if (header) {
      header.forEach((h, i) => {
        if (used.has(h)) return;
        traits.push({ name: renamed.get(h.toLowerCase()) ?? h, get: (r) => r.cells![i] });
      });
    } else {
      for (let i = 0; i < width; i++) {
        const n = String(i + 1);
        if (used.has(n)) continue;
        const target = renamed.get(n);
        if (target !== undefined) traits.push({ name: target, get: (r) => r.cells![i] });
      }
    }
    return { id, date, revenue, used, traits };
  };

  const otherFields = (row: RawRow, c: NonNullable<typeof cols>): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    if (format === "ndjson") {
      const obj = row.obj!;
      const skip = new Set<string>();
      for (const g of [c.id, c.date, c.revenue]) {
        const k = g?.keyOf?.(row);
        if (k !== undefined) skip.add(k.split(".")[0]!);
      }
      const renamed = new Map<string, string>();
      for (const [target, source] of Object.entries(map)) renamed.set(source, target);
      for (const [k, v] of Object.entries(obj)) {
        if (skip.has(k) || isEmpty(v)) continue;
        o[renamed.get(k) ?? k] = v;
      }
      return o;
    }
    for (const t of c.traits) {
      const v = t.get(row);
      if (!isEmpty(v)) o[t.name] = coerce(v);
    }
    return o;
  };

  try {
    for await (const row of reader.rows) {
      out.rows++;
      rowsRead++;
      if ((rowsRead & 0x3ff) === 0) progress();
      if (row.error) {
        bad(row.line, row.error);
        if (opts.onError === "stop") {
          out.stopped = true;
          break;
        }
        continue;
      }
      cols ??= settle(row);
      const reason = ((): string | InputEvent => {
        const rawId = cols.id.get(row);
        const id = typeof rawId === "number" ? String(rawId) : typeof rawId === "string" ? rawId.trim() : "";
        if (id === "") return "missing customer id";
        if (id.length > 200) return "customer id longer than 200 characters";
        let at = now;
        if (cols.date) {
          const d = cols.date.get(row);
          if (isEmpty(d)) {
            if (kind === "orders") return "missing date";
          } else {
            const t = parseInstant(d);
            if (t === undefined) return `bad date ${JSON.stringify(d)}`;
            at = t;
          }
        }
        const timestamp = new Date(at).toISOString();
        const messageId = ids.next(row.content);
        const extra = opts.extraProperties === false && kind === "orders" ? {} : otherFields(row, cols);
        if (kind === "customers")
          return { type: "identify", userId: id, traits: extra, timestamp, messageId };
        const properties: Record<string, unknown> = { ...extra };
        if (cols.revenue) {
          const v = cols.revenue.get(row);
          if (v === undefined && format === "ndjson")
            return { type: "track", userId: id, event: orderEvent, properties, timestamp, messageId };
          if (isEmpty(v)) return "missing revenue";
          const amount = parseAmount(v);
          if (amount === undefined) return `bad revenue ${JSON.stringify(v)}`;
          properties.revenue = amount;
        }
        return { type: "track", userId: id, event: orderEvent, properties, timestamp, messageId };
      })();
      if (typeof reason === "string") {
        bad(row.line, reason);
        if (opts.onError === "stop") {
          out.stopped = true;
          break;
        }
        continue;
      }
      customers.add(String(reason.userId));
      chunk.push(reason);
      if (chunk.length >= chunkSize) await flush();
    }
  } catch (err) {
    if (!(err instanceof FatalRow)) throw err;
    out.stopped = opts.onError === "stop";
  }
  await flush();
  if (kind === "orders" && cols && !cols.revenue) out.noRevenue = true;
  out.customers = customers.size;
  bytes = total;
  progress();
  return out;
}

export interface ImportOptions extends ImportFileOptions {
  customers?: string | undefined;
  orders?: string | undefined;
}

/** Imports a customers file (first) and an orders file. */
export async function importFiles(engine: Engine, opts: ImportOptions): Promise<ImportReport> {
  const t0 = performance.now();
  const report: ImportReport = {
    files: [],
    imported: 0,
    duplicates: 0,
    badRows: [],
    badRowsOmitted: 0,
    stopped: false,
    ms: 0,
  };
  const jobs: [string, ImportKind][] = [];
  if (opts.customers) jobs.push([opts.customers, "customers"]);
  if (opts.orders) jobs.push([opts.orders, "orders"]);
  if (jobs.length === 0)
    throw new ImportError("nothing to import: give an orders file, a customers file or both");
  for (const [file, kind] of jobs) {
    const { stopped, ...r } = await importFile(engine, file, kind, opts, report);
    report.files.push(r);
    report.imported += r.imported;
    report.duplicates += r.duplicates;
    if (stopped) {
      report.stopped = true;
      break;
    }
  }
  report.ms = Math.round(performance.now() - t0);
  return report;
}
