/** Dry run: what the journey would have done over a range of stored events (engine simulation). */
import { useState } from "react";
import type { Journey } from "../../../engine/schema";
import { api } from "../api/client";
import type { NodeStats, SimulationReport } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import type { Translate } from "../i18n/translate";
import { labelOf } from "../ops/explain";
import { Empty, Modal, Spinner, errorText, useAsync } from "../ui/common";
import { audienceLine, audienceNote, formatFires } from "./publish/format";
import { MessagePreview } from "./inspector/TemplatePicker";
import { DryRunResults } from "../results/DryRunResults";

const day = (d: Date): string => d.toISOString().slice(0, 10);

export function DryRunDialog({
  journeyId,
  doc,
  onClose,
  onShowOnCanvas,
}: {
  journeyId: string;
  doc: Journey;
  onClose: () => void;
  onShowOnCanvas: (counts: Record<string, NodeStats>) => void;
}) {
  const { t, lang, formatDate, formatNumber } = useI18n();
  // An audience trigger picks customers from stored profiles, which a replay of events cannot show: the
  // audience matching now is previewed beside the replay.
  const hasAudience = doc.nodes.some((n) => n.type === "trigger" && n.data.kind === "audience");
  const audience = useAsync(
    () => (hasAudience ? api.publishCheck(journeyId) : Promise.resolve(null)),
    [journeyId, hasAudience],
  );
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const [limit, setLimit] = useState(1000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<SimulationReport | null>(null);

  const run = (): void => {
    setBusy(true);
    setError(null);
    api
      .dryRun(journeyId, {
        doc,
        from: new Date(`${from}T00:00:00Z`).toISOString(),
        to: new Date(`${to}T23:59:59Z`).toISOString(),
        limitCustomers: limit,
      })
      .then(
        (r) => {
          setReport(r);
          setBusy(false);
        },
        (e: unknown) => {
          setError(errorText(e, t));
          setBusy(false);
        },
      );
  };

  const counts = report?.journeys[0]?.counts ?? {};
  const outcomes = new Map<string, number>();
  for (const r of report?.runs ?? []) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  const toStats = (): Record<string, NodeStats> =>
    Object.fromEntries(
      Object.entries(counts).map(([id, c]) => [
        id,
        {
          entered: c.entered ?? c.executed ?? 0,
          executed: c.executed,
          failed: c.failed,
          ports: c.ports ?? {},
        },
      ]),
    );

  return (
    <Modal
      title={t("dry.title")}
      onClose={onClose}
      wide
      testId="dryrun-dialog"
      footer={
        <>
          {error && <span className="form-error inline">{error}</span>}
          {report && (
            <button className="btn" onClick={() => onShowOnCanvas(toStats())}>
              {t("dry.showOnCanvas")}
            </button>
          )}
          <button className="btn btn-primary" onClick={run} disabled={busy} data-testid="dryrun-run">
            {busy && <Spinner small />}
            {t("dry.run")}
          </button>
        </>
      }
    >
      <p className="muted">{t("dry.text")}</p>
      {(audience.data?.triggers ?? [])
        .filter((c) => c.kind === "audience")
        .map((c) => (
          <div className="dry-audience" key={c.nodeId} data-testid="dryrun-audience">
            <div className="field-label">{t("dry.audience")}</div>
            <b>{audienceLine(c, t, formatNumber)}</b>
            {audienceNote(c, t, formatNumber) && (
              <div className="muted small">{audienceNote(c, t, formatNumber)}</div>
            )}
            <div className="muted small">{t("dry.audienceText")}</div>
            <ul>
              {c.sample.map((id) => (
                <li key={id} className="mono">
                  {id}
                </li>
              ))}
              {(c.customers ?? 0) > c.sample.length && (
                <li>{t("dry.audienceMore", { n: formatNumber((c.customers ?? 0) - c.sample.length) })}</li>
              )}
            </ul>
            {c.nextFires.length > 0 && (
              <div className="muted small">
                {t("publishCheck.nextFires", { timezone: c.timezone ?? "UTC" })}:{" "}
                {formatFires(c.nextFires.slice(0, 3), c.timezone ?? "UTC", lang).join(" · ")}
              </div>
            )}
            <div className="muted small">{t("dry.audienceReplay")}</div>
          </div>
        ))}
      <div className="row-inline">
        <label className="field">
          <span>{t("dry.from")}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t("dry.to")}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="field">
          <span>{t("dry.limit")}</span>
          <input type="number" min={1} value={limit} onChange={(e) => setLimit(Number(e.target.value))} />
        </label>
      </div>
      {report && (
        <div className="dry-result" data-testid="dryrun-result">
          <div className="kpis kpis-sm">
            <div className="kpi">
              <div className="kpi-label">{t("dry.runs")}</div>
              <div className="kpi-value">{formatNumber(report.runs.length)}</div>
            </div>
            <div className="kpi">
              <div className="kpi-label">{t("dry.deliveries")}</div>
              <div className="kpi-value">{formatNumber(report.deliveries.length)}</div>
            </div>
            {[...outcomes].map(([o, n]) => (
              <div className="kpi" key={o}>
                <div className="kpi-label">{labelOf(t, ["outcome"], o)}</div>
                <div className="kpi-value">{formatNumber(n)}</div>
              </div>
            ))}
          </div>
          {Object.keys(counts).length === 0 ? (
            <Empty title={t("dry.nothing")} text={t("dry.nothingText")} />
          ) : (
            <table className="table table-compact">
              <thead>
                <tr>
                  <th>{t("dry.node")}</th>
                  <th>{t("dry.counts")}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(counts).map(([id, c]) => (
                  <tr key={id}>
                    <td className="mono">{id}</td>
                    <td>{countParts(c, t, formatNumber).join(" · ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.results?.[0] && <DryRunResults report={report.results[0]} />}
          {report.deliveries.length > 0 && (
            <>
              <h3 className="sub-head">{t("dry.samples")}</h3>
              <div className="samples">
                {report.deliveries.slice(0, 4).map((d, i) => (
                  <div className="sample" key={i}>
                    <div className="sample-head">
                      <b data-user-content>{d.customerId}</b> · {labelOf(t, ["channel"], d.action)}
                      {d.template ? ": " : ""}
                      {d.template && <span className="mono">{d.template}</span>} ·{" "}
                      <span className="muted">{formatDate(d.at)}</span>
                    </div>
                    {d.rendered ? (
                      <MessagePreview message={d.rendered} />
                    ) : (
                      <span className="muted">{t("dry.notRendered")}</span>
                    )}
                  </div>
                ))}
              </div>
            </>
          )}
        </div>
      )}
    </Modal>
  );
}

type NodeCounts = SimulationReport["journeys"][number]["counts"][string];

const COUNT_KEYS = ["entered", "executed", "waiting", "deferred", "failed"] as const;

/**
 * One node's simulated counts as words: the plain counts, then each port and each skip reason with its own
 * count (they are maps, not numbers: printing them as numbers showed "ports NaN").
 */
export function countParts(c: NodeCounts, t: Translate, formatNumber: (n: number) => string): string[] {
  const parts: string[] = [];
  for (const k of COUNT_KEYS) {
    const v = c[k];
    if (typeof v === "number" && Number.isFinite(v)) parts.push(`${t(`dryCount.${k}`)} ${formatNumber(v)}`);
  }
  for (const [port, n] of Object.entries(c.ports ?? {}))
    parts.push(`→ ${labelOf(t, ["port"], port)} ${formatNumber(n)}`);
  for (const [reason, n] of Object.entries(c.skipped ?? {}))
    parts.push(`${t("dryCount.skipped")} (${labelOf(t, ["reason"], reason)}) ${formatNumber(n)}`);
  return parts;
}
