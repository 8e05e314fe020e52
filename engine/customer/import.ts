// About 300 lines: the import loop itself; its types, values, readers and column mapping are in import-*.ts.
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
import { statSync } from "node:fs";
import { basename } from "node:path";
import type { Engine } from "../runtime/engine";
import type { InputEvent } from "../schema/events";
import { checkInputLimits, shortPath } from "../schema/input-limits";
import { DEFAULT_CONFIG } from "./config";
import { cellGetter } from "./import-columns";
import type { Cell, Getter } from "./import-columns";
import { csvReader, detectFormat, FatalRow, lineReader, readFirstLine } from "./import-readers";
import type { RawRow } from "./import-readers";
import { ImportError } from "./import-types";
import type { BadRow, FileReport, ImportFileOptions, ImportKind, ImportReport } from "./import-types";
import { coerce, isEmpty, parseAmount, parseInstant } from "./import-values";

export type * from "./import-types";

/** The marker of a row dated after the as-of instant: skipped and counted, not a bad row. */
const AFTER_AS_OF = "\u0000after-as-of";
export { ImportError } from "./import-types";
export { parseAmount, parseInstant } from "./import-values";

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
  let chunkLatest = -Infinity;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    opts.beforeChunk?.(chunkLatest);
    chunkLatest = -Infinity;
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
            if (opts.asOf !== undefined && t > opts.asOf) return AFTER_AS_OF;
            at = t;
          }
        }
        const timestamp = new Date(at).toISOString();
        const messageId = ids.next(row.content);
        const extra = opts.extraProperties === false && kind === "orders" ? {} : otherFields(row, cols);
        // The same bounds as ingestion: a row nested thousands deep must be a bad row, not a stack overflow.
        const tooBig = checkInputLimits(extra);
        if (tooBig) {
          const field = kind === "customers" ? "traits" : "properties";
          return `${tooBig.path.length ? `${field}.${shortPath(tooBig.path)}` : field}: ${tooBig.message}`;
        }
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
      if (reason === AFTER_AS_OF) {
        out.afterAsOf = (out.afterAsOf ?? 0) + 1;
        continue;
      }
      if (typeof reason === "string") {
        bad(row.line, reason);
        if (opts.onError === "stop") {
          out.stopped = true;
          break;
        }
        continue;
      }
      customers.add(String(reason.userId));
      chunkLatest = Math.max(chunkLatest, Date.parse(reason.timestamp));
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
