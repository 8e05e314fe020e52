// Readers of an import file's rows: CSV (csv-parse), NDJSON and whitespace-separated lines (the CDNOW layout).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import type { ImportFormat } from "./import-types";
import { parseAmount, parseInstant } from "./import-values";

export interface RawRow {
  line: number;
  /** Cells (CSV, whitespace) or the parsed object (NDJSON). */
  cells?: string[];
  obj?: Record<string, unknown>;
  /** The row's content, normalised, for its messageId. */
  content: string;
  error?: string;
}

/** Reads a file's data rows; `header` is set once a header row has been seen. */
export interface Reader {
  rows: AsyncIterable<RawRow>;
  header: () => string[] | undefined;
}

export function detectFormat(file: string, firstLine: string): Exclude<ImportFormat, "auto"> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl") || firstLine.trimStart().startsWith("{"))
    return "ndjson";
  if (/[,;\t]/.test(firstLine)) return "csv";
  return "whitespace";
}

export async function readFirstLine(file: string): Promise<string> {
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

export function lineReader(
  file: string,
  onBytes: (n: number) => void,
  format: "ndjson" | "whitespace",
): Reader {
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

export function csvReader(file: string, onBytes: (n: number) => void, firstLine: string): Reader {
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
export class FatalRow extends Error {}
