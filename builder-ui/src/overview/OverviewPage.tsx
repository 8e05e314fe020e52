/**
 * The lifecycle overview: the base by stage over time, the period's stage flows, the RFM grid (a cell opens
 * its customers), churn risk and CLV by stage, and the lifecycle KPIs beside their industry bands, each with
 * its definition (docs/overview.md). Everything comes from `GET /api/overview`.
 */
import { useCallback, useMemo, useState } from "react";
import type { OverviewKpi, OverviewResponse } from "../../../engine/schema";
import { api } from "../api/client";
import type { MessageKey } from "../i18n/dict";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/translate";
import { EChart } from "../results/EChart";
import { percent } from "../results/verdict";
import { Empty, ErrorState, Loading, useAsync } from "../ui/common";
import { href, navigate } from "../ui/router";
import { bandsByStageOption, flowOption, rfmOption, stageAreaOption } from "./overviewOptions";

const PERIODS = [30, 90] as const;

export default function OverviewPage() {
  const { t } = useI18n();
  const [days, setDays] = useState<number>(30);
  const report = useAsync(() => api.overview({ days }), [days]);
  if (report.error)
    return (
      <div className="page">
        <ErrorState error={report.error} onRetry={report.reload} />
      </div>
    );
  if (!report.data) return <Loading />;
  return (
    <div className="page overview" data-testid="overview-page">
      <div className="page-head">
        <div>
          <h1>{t("overview.title")}</h1>
          <p className="muted">
            {report.data.asOf ? t("overview.asOf", { day: report.data.asOf }) : t("overview.noSnapshot")}
          </p>
        </div>
        <label className="field field-inline">
          <span>{t("overview.period")}</span>
          <select
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            data-testid="overview-period"
          >
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {t("overview.lastDays", { n: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {report.data.asOf === null ? (
        <Empty title={t("overview.noSnapshot")} text={t("overview.noSnapshotText")} />
      ) : (
        <Charts r={report.data} />
      )}
      <Kpis r={report.data} />
    </div>
  );
}

function Charts({ r }: { r: OverviewResponse }) {
  const { t } = useI18n();
  const [by, setBy] = useState<"customers" | "value">("customers");
  const stage = useCallback((s: string) => label(t, "stage", s), [t]);
  const area = useMemo(() => stageAreaOption(r, stage), [r, stage]);
  const flows = useMemo(
    () => flowOption(r, stage, { from: t("overview.from"), to: t("overview.to") }),
    [r, stage, t],
  );
  const rfm = useMemo(
    () =>
      rfmOption(r, by, {
        recency: t("overview.recency"),
        frequency: t("overview.frequency"),
        measure: by === "customers" ? t("overview.byCustomers") : t("overview.byValue"),
      }),
    [r, by, t],
  );
  const risk = useMemo(
    () => bandsByStageOption(r.latest.risk_stage, "risk", stage, (b) => label(t, "risk", b)),
    [r, stage, t],
  );
  const clv = useMemo(
    () => bandsByStageOption(r.latest.clv_stage, "clv", stage, (b) => label(t, "overview.clv", b)),
    [r, stage, t],
  );
  // A cell's value is [f − 1, r − 1, measure, r, f]: open the customer list filtered to that cell.
  const openCell = useCallback((value: unknown) => {
    if (!Array.isArray(value) || value.length < 5) return;
    navigate({
      name: "customers",
      query: new URLSearchParams({ rfm: `${String(value[3])}-${String(value[4])}` }),
    });
  }, []);
  return (
    <>
      <div className="overview-grid">
        <section className="card">
          <h2 className="section-title">{t("overview.stagesOverTime")}</h2>
          <EChart option={area} height={280} testId="overview-stages" label={t("overview.stagesOverTime")} />
        </section>
        <section className="card">
          <h2 className="section-title">{t("overview.flows")}</h2>
          <p className="muted small">{t("overview.flowsHint")}</p>
          {r.latest.transition.length === 0 ? (
            <p className="muted">{t("overview.noFlows")}</p>
          ) : (
            <EChart option={flows} height={260} testId="overview-flows" label={t("overview.flows")} />
          )}
        </section>
        <section className="card">
          <div className="overview-card-head">
            <h2 className="section-title">{t("overview.rfmGrid")}</h2>
            <label className="field field-inline">
              <span>{t("overview.colourBy")}</span>
              <select
                value={by}
                onChange={(e) => setBy(e.target.value === "value" ? "value" : "customers")}
                data-testid="overview-rfm-by"
              >
                <option value="customers">{t("overview.byCustomers")}</option>
                <option value="value">{t("overview.byValue")}</option>
              </select>
            </label>
          </div>
          <p className="muted small">{t("overview.rfmHint")}</p>
          <EChart
            option={rfm}
            height={300}
            testId="overview-rfm"
            label={t("overview.rfmGrid")}
            onClick={openCell}
          />
          <RfmCellLinks r={r} />
        </section>
        <section className="card">
          <h2 className="section-title">{t("overview.riskByStage")}</h2>
          <p className="muted small">{t("overview.riskHint")}</p>
          <EChart option={risk} height={240} testId="overview-risk" label={t("overview.riskByStage")} />
          <h2 className="section-title">{t("overview.clvByStage")}</h2>
          <EChart option={clv} height={240} testId="overview-clv" label={t("overview.clvByStage")} />
        </section>
      </div>
    </>
  );
}

/** The grid's cells as links too (keyboard and screen readers; the canvas is not focusable). */
function RfmCellLinks({ r }: { r: OverviewResponse }) {
  const { t, formatNumber } = useI18n();
  const cells = [...r.latest.rfm_cell].sort((a, b) => b.customers - a.customers).slice(0, 6);
  if (cells.length === 0) return null;
  return (
    <p className="muted small overview-cells">
      {t("overview.largestCells")}{" "}
      {cells.map((c) => {
        const [rs, fs] = c.bucket.split("-");
        return (
          <a
            key={c.bucket}
            className="chip"
            href={href({ name: "customers", query: new URLSearchParams({ rfm: c.bucket }) })}
            data-testid={`overview-cell-${c.bucket}`}
          >
            {t("overview.cell", { r: rs ?? "", f: fs ?? "", n: formatNumber(c.customers) })}
          </a>
        );
      })}
    </p>
  );
}

function Kpis({ r }: { r: OverviewResponse }) {
  const { t } = useI18n();
  return (
    <section className="overview-kpis">
      <h2 className="section-title">{t("overview.kpis")}</h2>
      <p className="muted small" data-testid="overview-range" data-from={r.from}>
        {t("overview.kpisHint", { from: r.from.slice(0, 10), to: r.to.slice(0, 10) })}
      </p>
      <div className="overview-kpi-grid">
        {r.kpis.map((k) => (
          <KpiCard key={k.name} k={k} />
        ))}
      </div>
    </section>
  );
}

function KpiCard({ k }: { k: OverviewKpi }) {
  const { t, formatNumber } = useI18n();
  const where =
    k.rate === null || k.band === null
      ? null
      : k.rate < k.band.low
        ? "below"
        : k.rate > k.band.high
          ? "above"
          : "within";
  return (
    <div className="card overview-kpi" data-testid={`kpi-${k.name}`} data-where={where ?? ""}>
      <span className="kpi-label">{t(`overview.kpi.${k.name}` as MessageKey)}</span>
      <span className="kpi-value">{k.rate === null ? "—" : percent(k.rate)}</span>
      <span className="muted small">
        {k.denominator === 0
          ? t("overview.noData")
          : t("overview.ofTotal", { n: formatNumber(k.numerator), d: formatNumber(k.denominator) })}
      </span>
      <span className="small">
        {k.band ? (
          <>
            {t("results.bandIndustry")}{" "}
            <b>
              {percent(k.band.low)} – {percent(k.band.high)}
            </b>
            {where && <span className={`results-band-where ${where}`}> {t(`results.band_${where}`)}</span>}
          </>
        ) : (
          <span className="muted">{t("overview.noBand")}</span>
        )}
      </span>
      <p className="muted small overview-def">{t(`overview.def.${k.name}` as MessageKey)}</p>
      {k.journeys.length > 0 && (
        <p className="small">
          {t("overview.journeys")}{" "}
          {k.journeys.slice(0, 3).map((j) => (
            <a key={j.id} className="chip" href={href({ name: "results", id: j.id })}>
              {j.id} ({formatNumber(j.count)})
            </a>
          ))}
        </p>
      )}
    </div>
  );
}

function label(t: (k: MessageKey) => string, prefix: string, v: string): string {
  const key = `${prefix}.${v}`;
  return isMessageKey(key) ? t(key) : v;
}
