/** One split as an experiment: the verdict, the arms' rates with intervals, conversions over time, the table. */
import { useMemo } from "react";
import type { ExperimentResult, ResultsWarningCode } from "../../../engine/schema";
import type { MessageKey } from "../i18n/dict";
import { useI18n } from "../i18n/i18n";
import { armRateOption, timelineOption } from "./chartOptions";
import { EChart } from "./EChart";
import { armName, percent, points, verdictText, verdicts } from "./verdict";

const WARNING_KEYS: Record<ResultsWarningCode, MessageKey | null> = {
  // The sample-ratio mismatch has its own verdict and banner.
  sample_ratio_mismatch: null,
  empty_arm: "results.warnEmptyArm",
  no_goal: "results.warnNoGoal",
};

export function ExperimentCard({ exp }: { exp: ExperimentResult }) {
  const { t, formatNumber } = useI18n();
  const names = useMemo(() => exp.arms.map((a) => armName(exp, a.id, t)), [exp, t]);
  const rateOption = useMemo(
    () => armRateOption(exp, names, { axis: t("results.rateAxis"), interval: t("results.interval") }),
    [exp, names, t],
  );
  const hasTimeline = exp.arms.some((a) => a.timeline.length > 0);
  const lineOption = useMemo(() => timelineOption(exp, names, t("results.conversionsAxis")), [exp, names, t]);
  const list = verdicts(exp);
  const srm = list.some((v) => v.kind === "srm");
  const comparisonOf = new Map(exp.comparisons.map((c) => [c.arm, c]));
  const warnings = exp.warnings.flatMap((w) => {
    const key = WARNING_KEYS[w.code];
    return key ? [t(key)] : [];
  });

  return (
    <section className="card results-exp" data-testid="experiment" data-node={exp.nodeId}>
      <div className="results-exp-head">
        <h3>
          {exp.kind === "holdout"
            ? t("results.holdoutComparison", { node: exp.nodeId })
            : t("results.experiment", { node: exp.nodeId })}
        </h3>
        {exp.winner && (
          <span className="results-winner" data-testid="winner">
            {t("results.winner", { arm: armName(exp, exp.winner, t) })}
          </span>
        )}
        {exp.promoted && (
          <span className="results-promoted">
            {t("results.promoted", { arm: armName(exp, exp.promoted, t) })}
          </span>
        )}
      </div>
      {srm && (
        <div className="results-srm" role="alert" data-testid="srm-warning">
          <b>{t("results.srmWarning")}</b>
        </div>
      )}
      <ul className="results-verdicts">
        {list.map((v, i) => (
          <li key={i} className={`verdict verdict-${v.kind}`} data-testid="verdict" data-kind={v.kind}>
            {verdictText(v, exp, t, formatNumber)}
          </li>
        ))}
      </ul>
      {warnings.length > 0 && (
        <ul className="results-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className={hasTimeline ? "results-charts" : "results-charts single"}>
        <figure>
          <figcaption>{t("results.armRates")}</figcaption>
          <EChart option={rateOption} height={260} testId="arm-chart" label={t("results.armRates")} />
        </figure>
        {hasTimeline && (
          <figure>
            <figcaption>{t("results.cumulative")}</figcaption>
            <EChart
              option={lineOption}
              height={260}
              testId="timeline-chart"
              label={t("results.cumulative")}
            />
          </figure>
        )}
      </div>
      <table className="table table-compact results-table" data-testid="arm-table">
        <thead>
          <tr>
            <th>{t("results.colArm")}</th>
            <th className="num">{t("results.colMembers")}</th>
            <th className="num">{t("results.colMatured")}</th>
            <th className="num">{t("results.colConverted")}</th>
            <th className="num">{t("results.colRate")}</th>
            <th className="num">{t("results.colCi")}</th>
            <th className="num">{t("results.colRevenue")}</th>
            <th className="num">{t("results.colLift")}</th>
            <th className="num">{t("results.colP")}</th>
          </tr>
        </thead>
        <tbody>
          {exp.arms.map((a, i) => {
            const c = comparisonOf.get(a.id);
            return (
              <tr key={a.id} data-arm={a.id}>
                <td>
                  {names[i]}
                  {a.id === exp.baseline && <span className="sub"> · {t("results.baseline")}</span>}
                </td>
                <td className="num">{formatNumber(a.members)}</td>
                <td className="num">{formatNumber(a.matured)}</td>
                <td className="num">{formatNumber(a.converted)}</td>
                <td className="num">{percent(a.rate)}</td>
                <td className="num" data-testid="rate-interval">
                  {percent(a.ci95[0])} – {percent(a.ci95[1])}
                </td>
                <td className="num">{a.revenuePerCustomer.toFixed(2)}</td>
                <td className="num" data-testid={c ? "lift" : undefined}>
                  {c ? `${points(c.absoluteLift)} (${points(c.ci95[0])} … ${points(c.ci95[1])})` : "—"}
                </td>
                <td className="num">{c ? c.adjustedPValue.toPrecision(2) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
