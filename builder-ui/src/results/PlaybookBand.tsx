/** A seed play's industry band beside the rate this journey measured (the playbook's figures, not ours). */
import type { PlaybookBand as Band, ResultsReport } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { percent } from "./verdict";

const range = (b: { low: number; high: number }) => `${percent(b.low)} – ${percent(b.high)}`;

export function PlaybookBand({ band, report }: { band: Band; report: ResultsReport }) {
  const { t, pick, formatNumber } = useI18n();
  // Matured entries once there are some: a window still open has not had its full chance to convert.
  const matured = report.totals.matured > 0;
  const rate = matured ? report.totals.maturedConversionRate : report.totals.conversionRate;
  const n = matured ? report.totals.matured : report.totals.entered;
  const where = rate < band.band.low ? "below" : rate > band.band.high ? "above" : "within";
  return (
    <div className="card results-band" data-testid="playbook-band" data-where={where}>
      <div className="results-band-metric">
        <span className="kpi-label">{pick(band.metric)}</span>
        <span className="kpi-value" data-testid="measured-rate">
          {percent(rate)}
        </span>
        <span className="muted">
          {t(matured ? "results.bandMeasuredMatured" : "results.bandMeasuredAll", { n: formatNumber(n) })}
        </span>
      </div>
      <div className="results-band-ref">
        <span>
          {t("results.bandIndustry")} <b data-testid="industry-band">{range(band.band)}</b>
        </span>
        {band.withTesting && (
          <span>
            {t("results.bandWithTesting")} <b>{range(band.withTesting)}</b>
          </span>
        )}
        <span className={`results-band-where ${where}`}>{t(`results.band_${where}`)}</span>
      </div>
    </div>
  );
}
