/**
 * `rekindle model score --orders FILE --as-of DATE [--horizon 90d] --out FILE.csv` (mounted in
 * cli/model-score-command.ts): trains every model on the orders up to the as-of date (nothing later is read)
 * and writes one row per customer with an order on or before it. `rekindle model evaluate`
 * (evaluate-cli.ts) is the same cut compared with what happened next.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseAsOf } from "../as-of";
import { profilesAtCut } from "../churn/orders-profiles";
import { scoreBase } from "../churn/score-base";
import { dayOf } from "../time";
import type { Writable } from "./fit-cli";
import { readOrdersText } from "./orders-file";
import type { ColumnMapping, ReadOrdersOptions, ReadOrdersResult } from "./orders-file";

export const SCORE_HEADER =
  "customer_id,churn_risk,p_alive,expected_orders,expected_value,clv,stage,rfm_segment,expected_spend,churn_drivers";

/** `90d`, `90` or `12w` → days. */
export function parseHorizon(text: string): number {
  const m = /^(\d+)\s*([dw]?)$/.exec(text.trim());
  const n = m ? Number(m[1]) * (m[2] === "w" ? 7 : 1) : NaN;
  if (!(n >= 1 && n <= 3650)) throw new Error(`bad --horizon ${JSON.stringify(text)}; use e.g. 90d or 12w`);
  return n;
}

export interface OrdersInput {
  ordersFile: string;
  format?: ReadOrdersOptions["format"];
  columns?: ColumnMapping | undefined;
}

/** Reads an orders file as `model fit` does, reporting skipped rows on standard error. */
export async function readOrdersFile(input: OrdersInput, stderr: Writable): Promise<ReadOrdersResult> {
  const text = await readFile(input.ordersFile, "utf8");
  const read = readOrdersText(text, {
    format: input.format ?? "auto",
    ...(input.columns ? { columns: input.columns } : {}),
  });
  stderr.write(`read ${read.orders.length} orders from ${input.ordersFile}\n`);
  if (read.badRows.length > 0) {
    stderr.write(`skipped ${read.badRows.length} bad rows\n`);
    for (const b of read.badRows.slice(0, 20)) stderr.write(`  line ${b.line}: ${b.reason}\n`);
  }
  if (read.orders.length === 0) throw new Error(`no orders in ${input.ordersFile}`);
  if (!read.hasRevenue) stderr.write("no revenue column: values and CLV use 0\n");
  return read;
}

const csvCell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const num = (v: number | undefined, digits: number): string =>
  v === undefined || !Number.isFinite(v) ? "" : String(Math.round(v * 10 ** digits) / 10 ** digits);

export interface ModelScoreOptions extends OrdersInput {
  asOf: string;
  horizonDays: number;
  out: string;
}

export interface ModelScoreSummary {
  customers: number;
  asOf: string;
  horizonDays: number;
  churnModel: { trainedAt: string; holdoutAuc: number } | { skipped: string };
  noDropout: boolean;
}

export async function runModelScore(opts: ModelScoreOptions, stderr: Writable): Promise<ModelScoreSummary> {
  const nowMs = parseAsOf(opts.asOf);
  const read = await readOrdersFile(opts, stderr);
  const cut = dayOf(nowMs);
  const { ids, profiles } = profilesAtCut(read.orders, cut);
  if (profiles.length === 0) throw new Error(`no customer has an order on or before ${opts.asOf}`);
  stderr.write(`scoring ${profiles.length} customers as of ${new Date(nowMs).toISOString()}…\n`);
  const s = scoreBase(profiles, nowMs, { horizonDays: opts.horizonDays });
  if (s.model?.nbdLimit) stderr.write("BG/NBD: no dropout detected; the NBD limit is used (P(alive) = 1)\n");
  if (!s.churn) stderr.write(`no churn model: ${s.churnSkipped ?? "too little history"}\n`);
  const lines = [SCORE_HEADER];
  s.rows.forEach((r, i) => {
    lines.push(
      [
        csvCell(ids[i]!),
        num(r.churnRisk, 4),
        num(r.pAlive, 4),
        num(r.expectedOrders, 4),
        num(r.expectedValue, 2),
        num(r.clv, 2),
        r.stage,
        csvCell(r.rfmSegment ?? ""),
        num(r.expectedSpend, 2),
        csvCell(r.drivers.map((d) => `${d.feature} ${d.effect}`).join("; ")),
      ].join(","),
    );
  });
  await writeFile(opts.out, lines.join("\n") + "\n");
  stderr.write(`wrote ${s.rows.length} rows to ${opts.out}\n`);
  return {
    customers: s.rows.length,
    asOf: new Date(nowMs).toISOString(),
    horizonDays: opts.horizonDays,
    churnModel: s.churn
      ? { trainedAt: s.churn.trainedAt, holdoutAuc: s.churn.holdoutAuc }
      : { skipped: s.churnSkipped ?? "too little history" },
    noDropout: s.model?.nbdLimit === true,
  };
}
