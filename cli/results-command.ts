import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { computeResults, EngineError, openSqliteStore, resultsCsv, systemClock } from "../engine/index";
import type { ResultsOptions } from "../engine/index";
import { DB_FILE } from "./import-command";

interface ResultsFlags {
  data: string;
  journey: string;
  version?: number;
  from?: number;
  to?: number;
  asOf?: number;
  csv?: boolean;
}

const time = (flag: string) => (v: string) => {
  // ISO 8601 with a date; a bare date is midnight UTC.
  const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms))
    throw new InvalidArgumentError(
      `${flag}: bad time ${JSON.stringify(v)}; use ISO 8601, e.g. 2026-03-10T00:00:00Z`,
    );
  return ms;
};
const version = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`--version must be a whole number from 1; got ${JSON.stringify(v)}`);
  return n;
};

/**
 * `rekindle results`: a journey's results report (spec §4) from a data directory, as JSON on standard output,
 * or with --csv one row per entry with its arms and conversion. It only reads, so it may run beside a live
 * server (SQLite readers do not block its writer).
 */
export function resultsCommand(program: Command): void {
  program
    .command("results")
    .description("print a journey's results report (spec §4) as JSON, or per-entry CSV with --csv")
    .requiredOption("--data <dir>", "the data directory (as for rekindle start)")
    .requiredOption("--journey <id>", "the journey id")
    .option("--version <n>", "one published version (default: all versions)", version)
    .option("--from <iso>", "entries at or after this time", time("--from"))
    .option("--to <iso>", "entries before this time", time("--to"))
    .option("--as-of <iso>", "the report's moment (default: now)", time("--as-of"))
    .option("--csv", "per-entry assignment and conversion as CSV instead of the JSON report")
    .action(async (flags: ResultsFlags) => {
      const file = join(resolve(flags.data), DB_FILE);
      if (!existsSync(file)) {
        process.stderr.write(`--data: no Rekindle database in ${flags.data} (expected ${file})\n`);
        process.exitCode = 1;
        return;
      }
      const store = openSqliteStore(file, { checkpoint: "inline" });
      try {
        const opts: ResultsOptions = {
          asOf: flags.asOf ?? systemClock.now(),
          ...(flags.version !== undefined ? { version: flags.version } : {}),
          ...(flags.from !== undefined ? { from: flags.from } : {}),
          ...(flags.to !== undefined ? { to: flags.to } : {}),
        };
        if (flags.csv) {
          for await (const chunk of resultsCsv(store, flags.journey, opts)) process.stdout.write(chunk);
        } else {
          const report = await computeResults(store, flags.journey, opts);
          process.stdout.write(JSON.stringify(report, null, 2) + "\n");
        }
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        process.stderr.write(`${e.message}\n`);
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
