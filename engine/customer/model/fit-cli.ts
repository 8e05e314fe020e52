/**
 * What `rekindle model fit` runs (cli/model-command.ts): fits BG/NBD and Gamma-Gamma by maximum likelihood
 * to an orders file; progress and logs go to the given standard error.
 */
import { readFile } from "node:fs/promises";
import { fitBgNbd } from "./bgnbd";
import { fitGammaGamma } from "./gamma-gamma";
import { dayToIso, parseDay, readOrdersText } from "./orders-file";
import type { ColumnMapping, ReadOrdersOptions } from "./orders-file";
import { summarize } from "./summary";
import type { TimeUnit } from "./summary";

export interface ModelFitOptions {
  ordersFile: string;
  /** Last day of the calibration period, inclusive (`YYYY-MM-DD` or `YYYYMMDD`); default: the last order date. */
  calibrationEnd?: string | undefined;
  unit: TimeUnit;
  format?: ReadOrdersOptions["format"];
  columns?: ColumnMapping | undefined;
}

export interface ModelFitOutput {
  customers: number;
  bgnbd: {
    r: number;
    alpha: number;
    a: number;
    b: number;
    logLik: number;
    /**
     * Present when the optimum had no dropout (a → 0, b → ∞, a and b unidentified): the parameters above are
     * then the NBD limit (a = 0: P(alive) = 1 for everyone), and this says where the four-parameter search went.
     */
    noDropout?: { fallback: "nbd"; reached: { a: number; b: number; logLik: number } };
  };
  gammaGamma: { p: number; q: number; gamma: number; logLik: number } | null;
}

export interface Writable {
  write(chunk: string): unknown;
}

/** Reads the orders, builds the calibration summary, fits both models. Throws with a clear message on bad input. */
export async function runModelFit(opts: ModelFitOptions, stderr: Writable): Promise<ModelFitOutput> {
  const started = Date.now();
  const text = await readFile(opts.ordersFile, "utf8");
  const read = readOrdersText(text, {
    format: opts.format ?? "auto",
    ...(opts.columns ? { columns: opts.columns } : {}),
  });
  stderr.write(`read ${read.orders.length} orders from ${opts.ordersFile}\n`);
  if (read.badRows.length > 0) {
    stderr.write(`skipped ${read.badRows.length} bad rows\n`);
    for (const b of read.badRows.slice(0, 20)) stderr.write(`  line ${b.line}: ${b.reason}\n`);
  }
  if (read.orders.length === 0) throw new Error(`no orders in ${opts.ordersFile}`);
  let endDay: number;
  if (opts.calibrationEnd !== undefined) {
    const d = parseDay(opts.calibrationEnd);
    if (d === undefined)
      throw new Error(`bad --calibration-end ${JSON.stringify(opts.calibrationEnd)}; use YYYY-MM-DD`);
    endDay = d;
  } else {
    endDay = read.orders.reduce((m, o) => Math.max(m, o.day), -Infinity);
  }
  const summary = summarize(read.orders, endDay, opts.unit);
  if (summary.length === 0) throw new Error(`no customer has a first order on or before ${dayToIso(endDay)}`);
  const repeaters = summary.filter((s) => s.x > 0).length;
  stderr.write(
    `calibration to ${dayToIso(endDay)} (inclusive), unit ${opts.unit}: ${summary.length} customers, ${repeaters} with repeat purchases\n`,
  );
  stderr.write("fitting BG/NBD…\n");
  const bg = fitBgNbd(summary);
  stderr.write(
    `BG/NBD logLik ${bg.logLik.toFixed(3)} (${bg.evaluations} evaluations, ${bg.converged ? "converged" : "not converged"})\n`,
  );
  if (bg.boundary) {
    const r = bg.boundary.reached;
    stderr.write(
      `BG/NBD: no dropout detected (the optimum is on the boundary a → 0, b → ∞; reached a=${r.a.toExponential(3)}, b=${r.b.toExponential(3)}, logLik ${r.logLik.toFixed(3)}): using the NBD limit (a = 0, P(alive) = 1)\n`,
    );
  }

  let gammaGamma: ModelFitOutput["gammaGamma"] = null;
  const spend = summary.filter((s) => s.x > 0 && s.m > 0 && Number.isFinite(s.m));
  // "Does not vary" is about the order values in the file (same-day sums could differ even then).
  let first: number | undefined;
  let varies = false;
  for (const o of read.orders) {
    if (o.revenue === undefined) continue;
    first ??= o.revenue;
    if (Math.abs(o.revenue - first) > 1e-9 * Math.max(1, Math.abs(first))) {
      varies = true;
      break;
    }
  }
  varies &&= spend.length >= 2;
  if (!read.hasRevenue) stderr.write("no revenue column: Gamma-Gamma not fitted\n");
  else if (!varies) stderr.write("order values missing or constant: Gamma-Gamma not fitted\n");
  else {
    const dropped = summary.filter((s) => s.x > 0).length - spend.length;
    if (dropped > 0)
      stderr.write(
        `Gamma-Gamma: left out ${dropped} repeat customers with a missing or non-positive mean value\n`,
      );
    stderr.write("fitting Gamma-Gamma…\n");
    const gg = fitGammaGamma(spend);
    gammaGamma = { p: gg.p, q: gg.q, gamma: gg.gamma, logLik: gg.logLik };
    stderr.write(`Gamma-Gamma logLik ${gg.logLik.toFixed(3)} on ${gg.customers} customers\n`);
  }
  stderr.write(`done in ${Date.now() - started} ms\n`);
  return {
    customers: summary.length,
    bgnbd: {
      r: bg.r,
      alpha: bg.alpha,
      a: bg.a,
      b: bg.b,
      logLik: bg.logLik,
      ...(bg.boundary ? { noDropout: { fallback: "nbd" as const, reached: bg.boundary.reached } } : {}),
    },
    gammaGamma,
  };
}

/** `customerId=1,date=3,revenue=5` or `customerId=masterid,...` → a column mapping. */
export function parseColumnsOption(text: string): ColumnMapping {
  const out: ColumnMapping = {};
  for (const part of text.split(",")) {
    const [k, v] = part.split("=").map((s) => s.trim());
    if (!k || !v || (k !== "customerId" && k !== "date" && k !== "revenue")) {
      throw new Error(`bad --columns entry ${JSON.stringify(part)}; use customerId=…,date=…,revenue=…`);
    }
    out[k] = /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}
