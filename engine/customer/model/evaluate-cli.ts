/**
 * `rekindle model evaluate --orders FILE --as-of DATE [--horizon 90d] [--json]` (mounted in
 * cli/model-evaluate-command.ts): the whole backtest — cut
 * the orders at the date, train and score with the data up to it, compare with the following horizon —
 * printed as tables (churn AUC beside recency and the RFM total, calibration by decile, stage return
 * shares, CLV against past spend), or as one JSON object with `--json`.
 */
import { parseAsOf } from "../as-of";
import { backtest } from "../churn/backtest";
import type { BacktestReport } from "../churn/backtest";
import { dayOf } from "../time";
import type { Writable } from "./fit-cli";
import type { OrdersInput } from "./score-cli";
import { readOrdersFile } from "./score-cli";

export async function runModelEvaluate(
  opts: OrdersInput & { asOf: string; horizonDays: number },
  stderr: Writable,
): Promise<BacktestReport> {
  const nowMs = parseAsOf(opts.asOf);
  const read = await readOrdersFile(opts, stderr);
  const cut = dayOf(nowMs);
  const last = read.orders.reduce((m, o) => Math.max(m, o.day), -Infinity);
  if (last < cut + opts.horizonDays) {
    stderr.write(
      `warning: the orders end ${Math.max(0, last - cut)} days after the cut, before the ${opts.horizonDays}-day horizon does; outcomes are incomplete\n`,
    );
  }
  return backtest(read.orders, cut, opts.horizonDays);
}
