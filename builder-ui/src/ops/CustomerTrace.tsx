// Over 300 lines: one page — the customer, then each run with its steps and deliveries.
/** "Where is this customer, and why": every run with its steps, condition explanations, waits and deliveries. */
import { useState } from "react";
import { api } from "../api/client";
import type { CustomerRun, Delivery, RenderedPreview, StepRow } from "../../../engine/schema";
import { useSession } from "../session";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/translate";
import type { MessageKey } from "../i18n/dict";
import { Empty, ErrorState, Loading, Spinner, errorText, useAsync } from "../ui/common";
import { href } from "../ui/router";
import { DeliveryStatusTag } from "./DeliveryStatusTag";
import { MessagePreview } from "../editor/inspector/TemplatePicker";
import { NodeIcon } from "../editor/icons";
import { ExplainList, OutcomeTag, explainOf, formatLate, labelOf } from "./explain";
import { Customer360 } from "./Customer360";

export function CustomerTrace({ id }: { id: string }) {
  const { t, formatDate } = useI18n();
  const customer = useAsync(() => api.customer(id), [id]);
  const runs = useAsync(() => api.customerRuns(id), [id]);
  const journeys = useAsync(() => api.journeys(), []);
  const names = new Map((journeys.data ?? []).map((j) => [j.id, j.name]));
  return (
    <div className="page">
      <a className="back-link" href={href({ name: "customers" })}>
        ← {t("nav.customers")}
      </a>
      {customer.loading ? (
        <Loading />
      ) : customer.error ? (
        <ErrorState error={customer.error} onRetry={customer.reload} />
      ) : (
        customer.data && <Customer360 customer={customer.data} />
      )}
      <h2 className="section-title">{t("trace.runs")}</h2>
      {runs.loading ? (
        <Loading />
      ) : runs.error ? (
        <ErrorState error={runs.error} onRetry={runs.reload} />
      ) : !runs.data?.length ? (
        <Empty title={t("trace.noRuns")} text={t("trace.noRunsText")} />
      ) : (
        <div className="runs" data-testid="trace">
          {runs.data.map((r) => (
            <RunCard
              key={String(r.id)}
              run={r}
              journeyName={names.get(r.journeyId) ?? r.journeyName ?? r.journeyId}
              formatDate={formatDate}
              onRetried={runs.reload}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function RunCard({
  run,
  journeyName,
  formatDate,
  onRetried,
}: {
  run: CustomerRun;
  journeyName: string;
  formatDate: (s: string | null | undefined) => string;
  onRetried: () => void;
}) {
  const { t } = useI18n();
  const { allows } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const status = run.outcome ?? run.status ?? "";
  const failed = status === "failed";
  const deliveriesByNode = new Map<string, Delivery[]>();
  for (const d of run.deliveries ?? [])
    deliveriesByNode.set(d.nodeId ?? "", [...(deliveriesByNode.get(d.nodeId ?? "") ?? []), d]);
  const retry = (): void => {
    setBusy(true);
    api.retryRun(run.id).then(
      () => {
        setBusy(false);
        onRetried();
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e, t));
      },
    );
  };
  const shownDeliveries = new Set<Delivery>();
  return (
    <div className="card run-card" data-testid="run-card">
      <div className="run-head">
        <div>
          <a className="run-journey" href={href({ name: "live", id: run.journeyId })}>
            {journeyName}
          </a>
          <span className="muted small">
            {" "}
            · {t("trace.run", { id: String(run.id) })}
            {run.version ? ` · v${run.version}` : ""}
          </span>
        </div>
        <div className="run-status">
          <OutcomeTag outcome={status} />
          {run.status === "waiting" && run.dueAt && (
            <span className="muted small">{t("trace.waitingUntil", { at: formatDate(run.dueAt) })}</span>
          )}
          {failed && allows("retryRun") && (
            <button className="btn btn-sm" onClick={retry} disabled={busy} data-testid="retry-run">
              {busy && <Spinner small />}
              {t("trace.retry")}
            </button>
          )}
        </div>
      </div>
      {error && <div className="form-error">{error}</div>}
      <div className="run-times muted small">
        {t("trace.entered", { at: formatDate(run.enteredAt) })}
        {run.endedAt ? ` · ${t("trace.ended", { at: formatDate(run.endedAt) })}` : ""}
      </div>
      <ol className="timeline">
        {run.steps.map((s, i) => {
          const ds =
            s.nodeType === "action" && s.nodeId
              ? (deliveriesByNode.get(s.nodeId) ?? []).filter((d) => !shownDeliveries.has(d))
              : [];
          ds.forEach((d) => shownDeliveries.add(d));
          return <TimelineStep key={i} step={s} deliveries={ds} formatDate={formatDate} />;
        })}
      </ol>
    </div>
  );
}

function TimelineStep({
  step,
  deliveries,
  formatDate,
}: {
  step: StepRow;
  deliveries: Delivery[];
  formatDate: (s: string | null | undefined) => string;
}) {
  const { t } = useI18n();
  const explain = explainOf(step);
  const late = formatLate(step.lateMs ?? null, t);
  const detail = (step.detail ?? {}) as Record<string, unknown>;
  return (
    <li
      className={`tl-step tl-${step.nodeType ?? "step"} tl-outcome-${step.outcome ?? ""}`}
      data-testid="trace-step"
    >
      <span className="tl-dot">
        <NodeIcon type={step.nodeType ?? "action"} />
      </span>
      <div className="tl-body">
        <div className="tl-head">
          <span className="mono tl-node">{step.nodeId}</span>
          <span className="tl-type">
            {step.nodeType && isMessageKey(`node.${step.nodeType}`)
              ? t(`node.${step.nodeType}` as MessageKey)
              : step.nodeType}
          </span>
          <OutcomeTag outcome={step.outcome} reason={step.reason} />
          {step.port && (
            <span className="tl-port">
              → <b>{labelOf(t, ["port"], step.port)}</b>
            </span>
          )}
          <span className="tl-time muted">{formatDate(step.at)}</span>
        </div>
        {typeof detail.until === "string" && (
          <div className="tl-note">{t("trace.until", { at: formatDate(detail.until) })}</div>
        )}
        {step.dueAt && (
          <div className="tl-note">
            {t("trace.due", { at: formatDate(step.dueAt) })}
            {late ? (
              <span className="late"> · {late}</span>
            ) : (
              <span className="ontime"> · {t("trace.onTime")}</span>
            )}
          </div>
        )}
        {explain && <ExplainList leaves={explain} />}
        {deliveries.map((d, i) => (
          <DeliveryView key={i} d={d} formatDate={formatDate} />
        ))}
      </div>
    </li>
  );
}

function DeliveryView({
  d,
  formatDate,
}: {
  d: Delivery;
  formatDate: (s: string | null | undefined) => string;
}) {
  const { t } = useI18n();
  const { allows } = useSession();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState(d.status);
  const [retried, setRetried] = useState(false);
  const [retryError, setRetryError] = useState<string | null>(null);
  const payload = (d.payload ?? {}) as { rendered?: RenderedPreview | null; address?: string | null };
  const rendered = d.rendered ?? payload.rendered ?? null;
  return (
    <div className="delivery" data-testid="delivery">
      <div className="delivery-head">
        <DeliveryStatusTag status={status} />
        <span>
          {String(d.action ?? "")}
          {d.template ? `: ${d.template}` : ""}
        </span>
        {payload.address && <span className="muted mono small">→ {payload.address}</span>}
        <span className="muted small">{formatDate(d.deliveredAt ?? d.createdAt ?? d.at)}</span>
        {rendered && (
          <button
            className="btn btn-sm btn-ghost"
            onClick={() => setOpen((o) => !o)}
            data-testid="show-message"
          >
            {open ? t("trace.hideMessage") : t("trace.showMessage")}
          </button>
        )}
        {status === "failed" && d.key && allows("retryDelivery") && (
          <button
            className="btn btn-sm"
            disabled={busy}
            data-testid="retry-delivery"
            onClick={() => {
              setBusy(true);
              setRetryError(null);
              api.retryDelivery(d.key!).then(
                (row) => {
                  setBusy(false);
                  setStatus(row.status);
                  setRetried(true);
                },
                (e: unknown) => {
                  setBusy(false);
                  setRetryError(errorText(e, t));
                },
              );
            }}
          >
            {t("trace.retry")}
          </button>
        )}
        {retried && (
          <span className="muted small" role="status">
            {t("trace.deliveryRetried")}
          </span>
        )}
      </div>
      {retryError && <div className="form-error">{retryError}</div>}
      {!retried && typeof d.error === "string" && d.error && <div className="form-error">{d.error}</div>}
      {open && rendered && <MessagePreview message={rendered} />}
    </div>
  );
}
