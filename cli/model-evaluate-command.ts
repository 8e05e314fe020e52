/** `rekindle model evaluate`: the backtest, printed as tables or (with --json) as one JSON object. */
import type { Command } from "commander";
import { formatBacktest, parseHorizon, runModelEvaluate } from "../engine/index";
import type { ModelFitWritable as Writable } from "../engine/index";
import { ordersInput, withOrdersOptions } from "./model-score-command";
import type { OrdersFlags } from "./model-score-command";

export function modelEvaluateCommand(
  model: Command,
  io: { stdout: Writable; stderr: Writable } = { stdout: process.stdout, stderr: process.stderr },
): void {
  withOrdersOptions(
    model
      .command("evaluate")
      .description(
        "backtest: train up to --as-of, score, and compare with what happened in the next horizon",
      ),
  )
    .option("--json", "print the report as one JSON object", false)
    .action(async (flags: OrdersFlags & { asOf: string; json: boolean }) => {
      try {
        const r = await runModelEvaluate(
          { ...ordersInput(flags), asOf: flags.asOf, horizonDays: parseHorizon(flags.horizon) },
          io.stderr,
        );
        io.stdout.write(flags.json ? JSON.stringify(r) + "\n" : formatBacktest(r));
      } catch (e) {
        io.stderr.write(`rekindle model evaluate: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
