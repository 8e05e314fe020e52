/** What a journey achieved: headline conversion and revenue against its goal, then each split as an experiment. */
import { useState, type ReactNode } from "react";
import type { LibraryJourney, ResultsReport, VersionSummary } from "../../../engine/schema";
import { api, ApiError } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { Empty, ErrorState, Loading, useAsync } from "../ui/common";
import { href } from "../ui/router";
import { ExperimentCard } from "./ExperimentCard";
import { PlaybookBand } from "./PlaybookBand";
import { apiQuery, ResultsFilters, type ResultsQuery } from "./ResultsFilters";
import { percent } from "./verdict";

/** The seed play a journey was made from: the same id (the demo's), else the same name and goal. */
function playOf(
  library: readonly LibraryJourney[] | undefined,
  r: ResultsReport,
): LibraryJourney | undefined {
  const plays = (library ?? []).filter((l) => l.playbook);
  return (
    plays.find((l) => l.id === r.journeyId) ??
    plays.find(
      (l) =>
        l.doc.name === r.journey &&
        l.playbook!.goal.event === r.goal?.event &&
        l.playbook!.goal.within === r.goal?.within,
    )
  );
}

export default function ResultsPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [query, setQuery] = useState<ResultsQuery>({});
  const report = useAsync(() => api.results(id, apiQuery(query)), [id, query]);
  const versions = useAsync(() => api.versions(id).catch((): VersionSummary[] => []), [id]);
  const library = useAsync(() => api.library().catch((): LibraryJourney[] => []), []);
  if (report.error) {
    if (report.error instanceof ApiError && report.error.status === 404 && report.error.code !== "not_found")
      return (
        <div className="page">
          <Empty title={t("results.notFound")} />
        </div>
      );
    return (
      <div className="page">
        <ErrorState error={report.error} onRetry={report.reload} />
      </div>
    );
  }
  if (!report.data) return <Loading />;
  const play = playOf(library.data, report.data);
  return (
    <Results
      id={id}
      r={report.data}
      filters={<ResultsFilters versions={versions.data ?? []} query={query} onChange={setQuery} />}
      band={play?.playbook ? <PlaybookBand band={play.playbook} report={report.data} /> : null}
      loading={report.loading}
    />
  );
}

function Results({
  id,
  r,
  filters,
  band,
  loading,
}: {
  id: string;
  r: ResultsReport;
  filters: ReactNode;
  band: ReactNode;
  loading: boolean;
}) {
  const { t, formatNumber, formatDate } = useI18n();
  const tot = r.totals;
  return (
    <div className="page page-wide results" data-testid="results-page">
      <div className="page-head">
        <div>
          <a className="btn btn-ghost btn-sm" href={href({ name: "journeys" })}>
            ← {t("nav.journeys")}
          </a>
          <h1>
            {r.journey} · {t("results.title")}
          </h1>
          <p className="muted">
            {r.goal ? t("results.goal", { event: r.goal.event, within: r.goal.within }) : t("results.noGoal")}
            {" · "}
            {t("results.asOf", { time: formatDate(r.asOf) })}
          </p>
        </div>
        <div className="results-links">
          <a className="btn btn-sm" href={href({ name: "live", id })}>
            {t("editor.liveView")}
          </a>
          <a className="btn btn-sm" href={href({ name: "editor", id })}>
            {t("live.editDraft")}
          </a>
        </div>
      </div>

      {filters}
      <div className={loading ? "kpis results-reloading" : "kpis"} data-testid="results-headline">
        <Kpi
          label={t("results.conversion")}
          value={percent(tot.conversionRate)}
          hint={t("results.convertedOf", {
            converted: formatNumber(tot.converted),
            entered: formatNumber(tot.entered),
          })}
        />
        <Kpi
          label={t("results.maturedRate")}
          value={percent(tot.maturedConversionRate)}
          hint={t("results.maturedHint", {
            rate: percent(tot.maturedConversionRate),
            matured: formatNumber(tot.matured),
          })}
        />
        <Kpi label={t("results.revenue")} value={formatNumber(tot.revenue)} hint={t("results.revenueHint")} />
        <Kpi
          label={t("results.entries")}
          value={formatNumber(tot.entered)}
          hint={t("results.maturedOpen", {
            matured: formatNumber(tot.matured),
            open: formatNumber(tot.open),
          })}
          testId="matured-open"
        />
        <Kpi label={t("results.delivered")} value={formatNumber(tot.delivered)} />
      </div>
      {band}

      <h2 className="results-section">{t("results.experiments")}</h2>
      {r.experiments.length === 0 ? (
        <div className="card">
          <p className="muted">{t("results.noExperiments")}</p>
        </div>
      ) : (
        r.experiments.map((e) => <ExperimentCard key={e.nodeId} exp={e} />)
      )}
    </div>
  );
}

function Kpi({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint && <div className="results-kpi-hint muted">{hint}</div>}
    </div>
  );
}
