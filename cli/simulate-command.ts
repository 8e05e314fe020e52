import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { InvalidArgumentError, type Command } from "commander";
import {
  budgetFrom,
  CLI_SIMULATE_BUDGET,
  EventFileError,
  parseEventLines,
  simulate,
  SimulationInputError,
} from "../engine/index";
import { formatIssue } from "../engine/schema/issues";
import { langFrom } from "../engine/schema/messages";
import { InputFileError, readJsonFile } from "./read-journey";
import { builtinTemplates } from "./templates";

interface SimulateFlags {
  journey: string[];
  events: string;
  until?: string;
  out?: string;
  lang?: string;
  maxSteps?: number;
  maxSeconds?: number;
  maxOutputMb?: number;
}

const positive = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${flag} takes a positive whole number`);
  return n;
};

export function simulateCommand(program: Command): void {
  program
    .command("simulate")
    .description(
      "run journeys over an NDJSON event file in virtual time and write the report (nothing is sent)",
    )
    .requiredOption(
      "--journey <file>",
      "a journey document (repeat for several)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .requiredOption("--events <file>", "events, one JSON object per line (identify / track)")
    .option("--until <iso>", "stop at this time (default: the last event plus the longest wait)")
    .option("--out <file>", "write the report here instead of standard output")
    .option("--lang <lang>", "language of journey issues: en or zh (default: from LANG, else en)")
    .option(
      "--max-steps <n>",
      `stop after this many runs advanced and deliveries (default ${CLI_SIMULATE_BUDGET.maxSteps})`,
      positive("--max-steps"),
    )
    .option(
      "--max-seconds <n>",
      `stop after this long (default ${CLI_SIMULATE_BUDGET.maxMs / 1000})`,
      positive("--max-seconds"),
    )
    .option(
      "--max-output-mb <n>",
      `stop when the report grows past this (default ${CLI_SIMULATE_BUDGET.maxOutputBytes / 2 ** 20})`,
      positive("--max-output-mb"),
    )
    .action(async (flags: SimulateFlags) => {
      const lang = langFrom(flags.lang, process.env);
      try {
        const journeys = flags.journey.map((source) => ({ source, doc: readJsonFile(source) }));
        let text: string;
        try {
          text = readFileSync(flags.events, "utf8");
        } catch (e) {
          throw new InputFileError(
            flags.events,
            `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          );
        }
        const events = parseEventLines(text);
        let until: number | undefined;
        if (flags.until !== undefined) {
          until = Date.parse(flags.until);
          if (Number.isNaN(until))
            throw new Error(
              `--until: bad time ${JSON.stringify(flags.until)}; use ISO 8601, e.g. 2026-03-10T00:00:00Z`,
            );
        }
        const started = performance.now();
        const budget = budgetFrom(CLI_SIMULATE_BUDGET, {
          ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}),
          ...(flags.maxSeconds !== undefined ? { maxMs: flags.maxSeconds * 1000 } : {}),
          ...(flags.maxOutputMb !== undefined ? { maxOutputBytes: flags.maxOutputMb * 2 ** 20 } : {}),
        });
        const report = await simulate({
          journeys,
          events,
          ...(until !== undefined ? { until } : {}),
          templates: builtinTemplates(),
          limits: { budget, elapsedMs: () => performance.now() - started },
        });
        for (const w of report.warnings)
          process.stderr.write(`warning: ${w.journey}: ${formatIssue(w, lang)}\n`);
        const json = JSON.stringify(report, null, 2) + "\n";
        if (flags.out) writeFileSync(flags.out, json);
        else process.stdout.write(json);
      } catch (e) {
        if (e instanceof SimulationInputError) {
          process.stderr.write(
            `${e.journey}: invalid journey (${e.issues.length} issue${e.issues.length === 1 ? "" : "s"})\n`,
          );
          for (const issue of e.issues) process.stderr.write(`${e.journey}: ${formatIssue(issue, lang)}\n`);
        } else if (e instanceof EventFileError) {
          process.stderr.write(`${flags.events}:${e.line}: ${e.reason}\n`);
        } else {
          process.stderr.write(`${(e as Error).message}\n`);
        }
        process.exitCode = 1;
      }
    });
}
