import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import cliProgress from "cli-progress";
import {
  defaultRegistry,
  Engine,
  importFiles,
  backfillSnapshots,
  localDay,
  localZone,
  ImportError,
  lifecycleModel,
  openSqliteStore,
  ManualClock,
  parseAsOf,
  recomputeAll,
  refreshAll,
  restoreSnapshot,
  systemClock,
} from "../engine/index";
import type { ImportFormat, ImportReport, RecomputeResult } from "../engine/index";

/** The database file in a data directory: the same layout as `rekindle start --data DIR`. */
export const DB_FILE = "rekindle.db";

interface ImportFlags {
  orders?: string;
  customers?: string;
  data: string;
  map: Record<string, string>;
  format: ImportFormat;
  onError: "continue" | "stop";
  chunk: number;
  orderEvent: string;
  progress: boolean;
  recompute: boolean;
  triggerJourneys?: boolean;
  asOf?: string;
}

/** `--map customer_id=CustomerID,date=InvoiceDate,revenue=amount` (repeatable). */
export function parseMapping(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const out = { ...previous };
  for (const part of value.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1)
      throw new InvalidArgumentError(`mapping entries are field=column; got ${JSON.stringify(part)}`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive whole number");
  return n;
};

const MAX_BAD_ROWS_SHOWN = 50;

/** Human lines for standard error: bad rows (capped), then a summary line per file. */
export function describeReport(r: ImportReport): string[] {
  const lines: string[] = [];
  const shown = r.badRows.slice(0, MAX_BAD_ROWS_SHOWN);
  for (const b of shown) lines.push(`${b.file}:${b.line}: ${b.reason}`);
  const more = r.badRows.length - shown.length + r.badRowsOmitted;
  if (more > 0) lines.push(`… and ${more} more bad rows`);
  for (const f of r.files) {
    lines.push(
      `${f.file}: ${f.rows} rows, ${f.imported} imported, ${f.duplicates} already imported, ${f.bad} bad, ${f.customers} customers${f.noRevenue ? " (no revenue column: orders without revenue)" : ""}`,
    );
  }
  if (r.stopped) lines.push("stopped at the first bad row (--on-error stop); rows before it were imported");
  return lines;
}

/**
 * `rekindle import`: customers and orders from CSV, NDJSON or whitespace-separated files into the database
 * of a data directory. Prints a JSON report on standard output; progress and bad rows go to standard error.
 * Run it while the server is stopped (one engine per database).
 */
export function importCommand(program: Command): void {
  program
    .command("import")
    .description("import customers and orders (CSV, NDJSON or whitespace-separated) into a data directory")
    .argument("[orders]", "orders file (same as --orders)")
    .option("--orders <file>", "orders: customer_id, date, revenue (other columns become properties)")
    .option("--customers <file>", "customers: customer_id and trait columns")
    .option("--data <dir>", "data directory (SQLite database, as for `rekindle start`)", "./data")
    .option(
      "--map <field=column,...>",
      "column mapping, e.g. customer_id=CustomerID,date=InvoiceDate,revenue=amount (traits: email=Mail)",
      parseMapping,
      {},
    )
    .addOption(
      new Option("--format <format>", "file format")
        .choices(["auto", "csv", "ndjson", "whitespace"])
        .default("auto"),
    )
    .addOption(
      new Option("--on-error <mode>", "on a bad row: report it and go on, or stop")
        .choices(["continue", "stop"])
        .default("continue"),
    )
    .option("--chunk <n>", "events per transaction", positiveInt, 5000)
    .option("--order-event <name>", "event name of an order", "order_completed")
    .option("--no-progress", "no progress bar")
    .option("--recompute", "refit the model and refresh every profile afterwards (the nightly job)", false)
    .option(
      "--as-of <date>",
      "score the history as of this date (YYYY-MM-DD: the end of that UTC day; or an ISO timestamp); later rows are skipped. Default: the latest imported event's time (the wall clock with --trigger-journeys)",
    )
    .option(
      "--trigger-journeys",
      "let the imported events enter, resume and end live journey runs (default: history updates profiles only)",
      false,
    )
    .action(async (ordersArg: string | undefined, flags: ImportFlags) => {
      const orders = flags.orders ?? ordersArg;
      if (!orders && !flags.customers) {
        program.error(
          "error: give an orders file (--orders FILE) and/or a customers file (--customers FILE)",
        );
      }
      const code = await runImportCommand({ ...flags, orders });
      process.exitCode = code;
    });
}

/** The command's work, apart from argument parsing; returns the exit code. */
export async function runImportCommand(
  flags: Omit<ImportFlags, "orders"> & { orders?: string | undefined },
  io: { out?: (s: string) => void; err?: (s: string) => void } = {},
): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  // Checked before the database is opened: a directory or a device is a clear error, not an EISDIR crash.
  for (const file of [flags.orders, flags.customers]) {
    if (file === undefined) continue;
    const kind = statSync(file, { throwIfNoEntry: false });
    if (kind && !kind.isFile()) {
      err(
        `error: ${file} is ${kind.isDirectory() ? "a directory" : "not a regular file"}; give a CSV or NDJSON file\n`,
      );
      return 1;
    }
  }
  let asOf: number | undefined;
  if (flags.asOf !== undefined) {
    try {
      asOf = parseAsOf(flags.asOf);
    } catch (e) {
      err(`error: --as-of: ${(e as Error).message}\n`);
      return 1;
    }
  }
  // Time is data: history is scored as of --as-of, or as of its own latest event, never by the wall clock
  // (which would call every customer of an old file churned). A live feed (--trigger-journeys) runs on the
  // wall clock unless --as-of says otherwise.
  const history = asOf === undefined && !(flags.triggerJourneys ?? false);
  const clock = asOf !== undefined ? new ManualClock(asOf) : history ? new ManualClock(0) : systemClock;
  const store = openSqliteStore(join(resolve(flags.data), DB_FILE));
  const model = lifecycleModel();
  await restoreSnapshot(store, model);
  const engine = await Engine.open({ store, clock, registry: defaultRegistry(), model });
  const showBar = flags.progress && process.stderr.isTTY === true;
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: "{file} [{bar}] {percentage}% | {rows} rows | ETA {eta_formatted}",
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let barFile: string | undefined;
  try {
    const report = await importFiles(engine, {
      orders: flags.orders,
      customers: flags.customers,
      map: flags.map,
      format: flags.format,
      onError: flags.onError,
      chunkSize: flags.chunk,
      orderEvent: flags.orderEvent,
      triggerJourneys: flags.triggerJourneys ?? false,
      asOf,
      now: asOf ?? systemClock.now(),
      ...(history && clock instanceof ManualClock
        ? { beforeChunk: (ms: number) => clock.set(Math.max(clock.now(), ms)) }
        : {}),
      onProgress: (p) => {
        if (!bar) return;
        if (barFile !== p.file) {
          if (barFile !== undefined) bar.stop();
          barFile = p.file;
          bar.start(p.total, 0, { file: p.file, rows: 0 });
        }
        bar.update(Math.min(p.bytes, p.total), { file: p.file, rows: p.rows });
      },
    });
    bar?.stop();
    for (const l of describeReport(report)) err(`${l}\n`);
    let recompute: RecomputeResult | undefined;
    const scoredAt = new Date(engine.clock.now()).toISOString();
    if (flags.recompute && !report.stopped) {
      err(`recomputing as of ${scoredAt}: refit and refresh of every profile…\n`);
      recompute = await recomputeAll(engine, model);
    } else if (history && report.imported > 0) {
      // Each customer was evaluated at the latest event seen so far; bring them all to the same instant.
      err(`scoring every profile as of the latest event, ${scoredAt}…\n`);
      await refreshAll(engine, model);
    }
    // The overview's charts start with months of stage history, not with the first night after the import.
    let overview: { days: number; customers: number } | undefined;
    if (report.imported > 0 && !report.stopped) {
      err("back-filling the overview's daily stage snapshots (180 days)…\n");
      overview = await backfillSnapshots(store, {
        today: localDay(engine.clock.now(), localZone()),
        days: 180,
        config: model.config,
      });
    }
    out(
      `${JSON.stringify({
        ...report,
        ...(overview ? { overviewBackfill: overview } : {}),
        asOf: scoredAt,
        ...(recompute
          ? {
              recompute: {
                customers: recompute.customers,
                emitted: recompute.emitted,
                ms: recompute.totalMs,
                model: recompute.snapshot.model,
              },
            }
          : {}),
      })}\n`,
    );
    return report.stopped ? 1 : 0;
  } catch (e) {
    bar?.stop();
    if (e instanceof ImportError || (e as NodeJS.ErrnoException).code === "ENOENT") {
      err(`error: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await engine.close();
  }
}
