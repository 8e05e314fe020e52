/** The dry run's results (spec §4): what the draft would have achieved, and each split's arms with a verdict. */
import type { ResultsReport } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { armName, percent, verdictText, verdicts } from "./verdict";

export function DryRunResults({ report }: { report: ResultsReport }) {
  const { t, formatNumber } = useI18n();
  const tot = report.totals;
  return (
    <div className="dry-results" data-testid="dryrun-results">
      <h3 className="sub-head">{t("dry.results")}</h3>
      <p className="muted">
        {report.goal
          ? t("dry.resultsGoal", {
              rate: percent(tot.conversionRate),
              converted: formatNumber(tot.converted),
              entered: formatNumber(tot.entered),
              event: report.goal.event,
              within: report.goal.within,
            })
          : t("results.noGoal")}
      </p>
      {report.experiments.map((exp) => (
        <div key={exp.nodeId} className="dry-experiment" data-testid="dryrun-experiment">
          <b>
            {exp.kind === "holdout"
              ? t("results.holdoutComparison", { node: exp.nodeId })
              : t("results.experiment", { node: exp.nodeId })}
          </b>
          <div className="muted">
            {exp.arms
              .map(
                (a) =>
                  `${armName(exp, a.id, t)} ${percent(a.rate)} (${formatNumber(a.converted)}/${formatNumber(a.members)})`,
              )
              .join(" · ")}
          </div>
          <ul className="results-verdicts">
            {verdicts(exp).map((v, i) => (
              <li key={i} className={`verdict verdict-${v.kind}`}>
                {verdictText(v, exp, t, formatNumber)}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
