/** Totals above the live canvas, refreshed with the per-node counts. */
import type { JourneyStats } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { href } from "../ui/router";

const KEYS = ["entered", "active", "converted", "completed", "exited", "failed"] as const;

export function LivePanel({ stats, journeyId }: { stats: JourneyStats; journeyId: string }) {
  const { t, formatNumber } = useI18n();
  // Failed runs, plus deliveries no run waited for that failed for good (their runs went on).
  const runsFailed = stats.totals.failed ?? 0;
  const deliveriesFailed = stats.totals.failedDeliveries ?? 0;
  const failed = runsFailed + deliveriesFailed;
  const failedTitle = t("live.failedBreakdown", {
    runs: formatNumber(runsFailed),
    deliveries: formatNumber(deliveriesFailed),
  });
  return (
    <div className="live-panel" data-testid="live-panel">
      {KEYS.map((k) => (
        <div
          className={`live-kpi live-${k}`}
          key={k}
          data-kpi={k}
          title={k === "failed" ? failedTitle : undefined}
        >
          <span className="live-kpi-label">{t(`totals.${k}`)}</span>
          <span className="live-kpi-value">
            {formatNumber(k === "failed" ? failed : (stats.totals[k] ?? 0))}
          </span>
        </div>
      ))}
      <span className="live-refresh muted">
        <span className="pulse" /> {t("live.autoRefresh")}
      </span>
      <a className="btn btn-sm" href={href({ name: "runs", query: new URLSearchParams({ journeyId }) })}>
        {t("live.openRunLog")}
      </a>
    </div>
  );
}
