// The options and reports of a customers/orders import (see import.ts).

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
  /** Rows dated after this instant are skipped and counted in `afterAsOf` (history as of that date). */
  asOf?: number | undefined;
  /** Called with the latest timestamp of each chunk before it is ingested (the history clock follows it). */
  beforeChunk?: ((latestMs: number) => void) | undefined;
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
  /** Rows skipped because they are dated after the as-of instant. */
  afterAsOf?: number;
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

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}
