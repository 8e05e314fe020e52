/** The run log: every step the engine took, filterable as the API allows, exportable as CSV. */
import { useEffect, useMemo, useState } from "react";
import { STEP_OUTCOMES, STEP_REASONS } from "../../../engine/schema/run-log";
import { api, getToken } from "../api/client";
import { apiPath } from "../../../engine/schema";
import type { StepRow } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { Empty, ErrorState, Loading, Spinner, errorText, useAsync } from "../ui/common";
import { href } from "../ui/router";
import { ExplainList, OutcomeTag, explainOf, formatLate, labelOf } from "./explain";

const FILTER_KEYS = ["journeyId", "nodeId", "customerId", "outcome", "reason", "from", "to"] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;

export function RunLog({ query }: { query: URLSearchParams }) {
  const { t, formatDate } = useI18n();
  const initial = useMemo(
    () => Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ""])) as Filters,
    [query],
  );
  const [filters, setFilters] = useState<Filters>(initial);
  const [applied, setApplied] = useState<Filters>(initial);
  const [items, setItems] = useState<StepRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const journeys = useAsync(() => api.journeys(), []);
  const names = useMemo(() => new Map((journeys.data ?? []).map((j) => [j.id, j.name])), [journeys.data]);

  const toQuery = (f: Filters): Record<string, string> => {
    const q: Record<string, string> = {};
    for (const k of FILTER_KEYS) {
      const v = f[k].trim();
      if (!v) continue;
      q[k] = k === "from" || k === "to" ? new Date(v).toISOString() : v;
    }
    return q;
  };
  const page = useAsync(() => api.steps({ ...toQuery(applied), limit: 50 }), [applied]);
  useEffect(() => {
    if (page.data) {
      setItems(page.data.items);
      setCursor(page.data.nextCursor);
    }
  }, [page.data]);

  const loadMore = (): void => {
    if (!cursor) return;
    setMore(true);
    api.steps({ ...toQuery(applied), limit: 50, cursor }).then(
      (p) => {
        setItems((x) => [...x, ...p.items]);
        setCursor(p.nextCursor);
        setMore(false);
      },
      () => setMore(false),
    );
  };
  const [csvError, setCsvError] = useState<string | null>(null);
  const exportCsv = (): void => {
    const qs = new URLSearchParams({ ...toQuery(applied), format: "csv", limit: "10000" });
    fetch(`${apiPath("steps")}?${qs.toString()}`, {
      headers: { authorization: `Bearer ${getToken() ?? ""}` },
    })
      .then(async (r) => {
        if (!r.ok) throw new Error(`${r.status}`);
        const blob = await r.blob();
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "rekindle-steps.csv";
        a.click();
        URL.revokeObjectURL(a.href);
      })
      .catch((e: unknown) => setCsvError(errorText(e, t)));
  };
  const set = (k: keyof Filters, v: string): void => setFilters((f) => ({ ...f, [k]: v }));
  const apply = (): void => {
    setApplied(filters);
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    window.history.replaceState(null, "", href({ name: "runs", query: q }));
  };

  return (
    <div className="page page-wide">
      <div className="page-head">
        <div>
          <h1>{t("runs.title")}</h1>
          <p className="muted">{t("runs.subtitle")}</p>
        </div>
        <button className="btn" onClick={exportCsv}>
          {t("runs.exportCsv")}
        </button>
      </div>
      {csvError && <div className="form-error">{csvError}</div>}
      <form
        className="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
        data-testid="run-filters"
      >
        <label className="field">
          <span>{t("runs.journey")}</span>
          <select
            value={filters.journeyId}
            onChange={(e) => set("journeyId", e.target.value)}
            name="journeyId"
          >
            <option value="">{t("runs.allJourneys")}</option>
            {journeys.data?.map((j) => (
              <option key={j.id} value={j.id}>
                {j.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("runs.node")}</span>
          <input
            value={filters.nodeId}
            onChange={(e) => set("nodeId", e.target.value)}
            placeholder="c1"
            name="nodeId"
            className="mono"
          />
        </label>
        <label className="field">
          <span>{t("runs.customer")}</span>
          <input
            value={filters.customerId}
            onChange={(e) => set("customerId", e.target.value)}
            placeholder="c-1001"
            name="customerId"
            className="mono"
          />
        </label>
        <label className="field">
          <span>{t("runs.outcome")}</span>
          <select value={filters.outcome} onChange={(e) => set("outcome", e.target.value)} name="outcome">
            <option value="">{t("runs.any")}</option>
            {STEP_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("runs.reason")}</span>
          <input
            value={filters.reason}
            onChange={(e) => set("reason", e.target.value)}
            placeholder="capped"
            name="reason"
            className="mono"
            list="run-log-reasons"
          />
          <datalist id="run-log-reasons">
            {STEP_REASONS.map((r) => (
              <option key={r} value={r} label={t(`reason.${r}`)} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>{t("runs.from")}</span>
          <input type="datetime-local" value={filters.from} onChange={(e) => set("from", e.target.value)} />
        </label>
        <label className="field">
          <span>{t("runs.to")}</span>
          <input type="datetime-local" value={filters.to} onChange={(e) => set("to", e.target.value)} />
        </label>
        <div className="filters-actions">
          <button className="btn btn-primary" type="submit" data-testid="apply-filters">
            {t("runs.apply")}
          </button>
          <button
            className="btn btn-ghost"
            type="button"
            onClick={() => {
              const empty = Object.fromEntries(FILTER_KEYS.map((k) => [k, ""])) as Filters;
              setFilters(empty);
              setApplied(empty);
            }}
          >
            {t("runs.reset")}
          </button>
        </div>
      </form>
      <div className="card card-flush">
        {page.loading && items.length === 0 ? (
          <Loading />
        ) : page.error ? (
          <ErrorState error={page.error} onRetry={page.reload} />
        ) : items.length === 0 ? (
          <Empty title={t("runs.empty")} text={t("runs.emptyText")} />
        ) : (
          <table className="table table-compact" data-testid="run-table">
            <thead>
              <tr>
                <th>{t("runs.colTime")}</th>
                <th>{t("runs.colJourney")}</th>
                <th>{t("runs.colCustomer")}</th>
                <th>{t("runs.colStep")}</th>
                <th>{t("runs.colOutcome")}</th>
                <th>{t("runs.colPort")}</th>
                <th>{t("runs.colLate")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s, i) => {
                const explain = explainOf(s);
                const late = formatLate(s.lateMs ?? null, t);
                return [
                  <tr
                    key={`r${i}`}
                    className={explain || s.detail ? "clickable" : ""}
                    onClick={() => setOpen(open === i ? null : i)}
                  >
                    <td className="nowrap">{formatDate(s.at)}</td>
                    <td>{names.get(s.journeyId ?? "") ?? s.journeyId}</td>
                    <td>
                      <a
                        href={href({ name: "customer", id: s.customerId ?? "" })}
                        onClick={(e) => e.stopPropagation()}
                        className="mono"
                        data-testid="customer-link"
                      >
                        {s.customerId}
                      </a>
                    </td>
                    <td>
                      <span className="mono">{s.nodeId}</span>{" "}
                      <span className="muted">{s.nodeType ? labelOf(t, ["node"], s.nodeType) : ""}</span>
                    </td>
                    <td>
                      <OutcomeTag outcome={s.outcome} reason={s.reason} />
                    </td>
                    <td>{s.port ? labelOf(t, ["port"], s.port) : ""}</td>
                    <td className={late ? "late" : "muted"}>{late ?? "—"}</td>
                  </tr>,
                  open === i ? (
                    <tr key={`d${i}`} className="detail-row">
                      <td colSpan={7}>
                        {explain ? (
                          <ExplainList leaves={explain} />
                        ) : (
                          <pre className="mono small">{JSON.stringify(s.detail, null, 2)}</pre>
                        )}
                      </td>
                    </tr>
                  ) : null,
                ];
              })}
            </tbody>
          </table>
        )}
        {cursor && (
          <div className="table-foot">
            <button className="btn" onClick={loadMore} disabled={more}>
              {more && <Spinner small />}
              {t("runs.loadMore")}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
