/** `rekindle model score` and the orders options it shares with `model evaluate`. */
import type { Command } from "commander";
import { parseColumnsOption, parseHorizon, runModelScore } from "../engine/index";
import type { ModelFitWritable as Writable, OrdersInput } from "../engine/index";

export interface OrdersFlags {
  orders: string;
  format: string;
  columns?: string;
  horizon: string;
}

export function ordersInput(flags: OrdersFlags): OrdersInput {
  if (flags.format !== "auto" && flags.format !== "csv" && flags.format !== "whitespace") {
    throw new Error(`bad --format ${JSON.stringify(flags.format)}; use auto, csv or whitespace`);
  }
  return {
    ordersFile: flags.orders,
    format: flags.format,
    columns: flags.columns ? parseColumnsOption(flags.columns) : undefined,
  };
}

/** The options `score` and `evaluate` share with `fit`, and the cut. */
export function withOrdersOptions(cmd: Command): Command {
  return cmd
    .requiredOption(
      "--orders <file>",
      "orders file: CSV with customer_id,date,revenue (or whitespace columns)",
    )
    .option("--format <format>", "auto, csv or whitespace", "auto")
    .option(
      "--columns <mapping>",
      "column mapping, e.g. customerId=1,date=3,revenue=5 (names or 1-based positions)",
    )
    .requiredOption("--as-of <date>", "the cut: YYYY-MM-DD (end of that UTC day) or an ISO timestamp")
    .option("--horizon <span>", "churn horizon, e.g. 90d or 12w", "90d");
}

/** Mounts `model score` on the `model` command. */
export function modelScoreCommand(
  model: Command,
  io: { stdout: Writable; stderr: Writable } = { stdout: process.stdout, stderr: process.stderr },
): void {
  withOrdersOptions(
    model
      .command("score")
      .description("train on the orders up to --as-of and write one scored row per customer to a CSV"),
  )
    .requiredOption("--out <file>", "the CSV to write")
    .action(async (flags: OrdersFlags & { asOf: string; out: string }) => {
      try {
        const out = await runModelScore(
          {
            ...ordersInput(flags),
            asOf: flags.asOf,
            horizonDays: parseHorizon(flags.horizon),
            out: flags.out,
          },
          io.stderr,
        );
        io.stdout.write(JSON.stringify(out) + "\n");
      } catch (e) {
        io.stderr.write(`rekindle model score: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
