/**
 * `rekindle model fit --orders FILE [--calibration-end DATE] [--unit day|week]`: fits BG/NBD and
 * Gamma-Gamma by maximum likelihood and prints one JSON object on standard output; progress and logs
 * go to standard error.
 */
import type { Command } from "commander";
import { parseColumnsOption, runModelFit } from "../engine/index";
import type { ModelFitWritable as Writable } from "../engine/index";
import { modelEvaluateCommand } from "./model-evaluate-command";
import { modelScoreCommand } from "./model-score-command";

interface FitCliFlags {
  orders: string;
  calibrationEnd?: string;
  unit: string;
  format: string;
  columns?: string;
}

/** Mounts `model fit` on a commander program. */
export function modelCommand(
  program: Command,
  io: { stdout: Writable; stderr: Writable } = { stdout: process.stdout, stderr: process.stderr },
): Command {
  const model = program
    .command("model")
    .description("customer models (BG/NBD, Gamma-Gamma, churn): fit, score, evaluate");
  model
    .command("fit")
    .description("fit BG/NBD and Gamma-Gamma to an orders file; prints one JSON object")
    .requiredOption(
      "--orders <file>",
      "orders file: CSV with customer_id,date,revenue (or whitespace columns)",
    )
    .option("--calibration-end <date>", "last day of the calibration period, inclusive (YYYY-MM-DD)")
    .option("--unit <unit>", "time unit of the parameters: day or week", "day")
    .option("--format <format>", "auto, csv or whitespace", "auto")
    .option(
      "--columns <mapping>",
      "column mapping, e.g. customerId=1,date=3,revenue=5 (names or 1-based positions)",
    )
    .action(async (flags: FitCliFlags) => {
      try {
        if (flags.unit !== "day" && flags.unit !== "week")
          throw new Error(`bad --unit ${JSON.stringify(flags.unit)}; use day or week`);
        if (flags.format !== "auto" && flags.format !== "csv" && flags.format !== "whitespace") {
          throw new Error(`bad --format ${JSON.stringify(flags.format)}; use auto, csv or whitespace`);
        }
        const out = await runModelFit(
          {
            ordersFile: flags.orders,
            calibrationEnd: flags.calibrationEnd,
            unit: flags.unit,
            format: flags.format,
            columns: flags.columns ? parseColumnsOption(flags.columns) : undefined,
          },
          io.stderr,
        );
        io.stdout.write(JSON.stringify(out) + "\n");
      } catch (e) {
        io.stderr.write(`rekindle model fit: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
  modelScoreCommand(model, io);
  modelEvaluateCommand(model, io);
  return model;
}
