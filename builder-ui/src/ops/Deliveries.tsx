// Over 300 lines: the deliveries page is one table with its filters, selection and bulk retry.
/** The outbox as ops sees it: every delivery with its status and error, failed first, retried one or many. */
import { useEffect, useMemo, useState } from "react";
import { OUTBOX_STATUSES } from "../../../engine/schema/statuses";
import { api } from "../api/client";
import type { Delivery, RetryResult } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { useSession } from "../session";
import { Empty, ErrorState, Loading, Spinner, errorText, useAsync, useInterval } from "../ui/common";
import { href } from "../ui/router";
import { DeliveryStatusTag } from "./DeliveryStatusTag";

/** Failed first: what ops comes here for. */
const STATUS_ORDER = ["failed", ...OUTBOX_STATUSES.filter((s) => s !== "failed")] as const;
const CHANNELS = ["email", "sms", "push", "wechat", "webhook"] as const;
const FILTER_KEYS = ["status", "journeyId", "channel", "customerId"] as const;
type Filters = Record<(typeof FILTER_KEYS)[number], string>;
const SETTLED = new Set(["sent", "failed"]);

export function Deliveries({ query }: { query: URLSearchParams }) {
  const { t, formatDate, formatNumber } = useI18n();
  const { allows } = useSession();
  const initial = useMemo(
    () =>
      Object.fromEntries(
        FILTER_KEYS.map((k) => [k, query.get(k) ?? (k === "status" ? "failed" : "")]),
      ) as Filters,
    [query],
  );
  const [filters, setFilters] = useState<Filters>(initial);
  const [applied, setApplied] = useState<Filters>(initial);
  const [items, setItems] = useState<Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<RetryResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Deliveries retried from this page whose outcome is not known yet: polled until sent or failed. */
  const [watching, setWatching] = useState<Set<string>>(new Set());
  const journeys = useAsync(() => api.journeys(), []);
  const names = useMemo(() => new Map((journeys.data ?? []).map((j) => [j.id, j.name])), [journeys.data]);

  const toQuery = (f: Filters): Record<string, string> =>
    Object.fromEntries(
      FILTER_KEYS.map((k): [string, string] => [k, f[k].trim()]).filter(([, v]) => v !== ""),
    );
  const page = useAsync(() => api.deliveries({ ...toQuery(applied), limit: 100 }), [applied]);
  useEffect(() => {
    if (!page.data) return;
    setItems(page.data.items);
    setCursor(page.data.nextCursor);
    setSelected(new Set());
  }, [page.data]);

  useInterval(
    () => {
      const keys = [...watching];
      void Promise.all(keys.map((k) => api.delivery(k).catch(() => null))).then((rows) => {
        const fresh = new Map(rows.filter((r): r is Delivery => r !== null).map((r) => [r.key!, r]));
        setItems((list) => list.map((d) => fresh.get(d.key!) ?? d));
        setWatching((w) => new Set([...w].filter((k) => !SETTLED.has(fresh.get(k)?.status ?? ""))));
      });
    },
    watching.size > 0 ? 1000 : null,
  );

  const retry = (keys: string[]): void => {
    setBusy(true);
    setError(null);
    api.retryDeliveries(keys).then(
      ({ results: r }) => {
        setBusy(false);
        setResults(r);
        setSelected(new Set());
        const ok = new Map(r.filter((x) => x.ok).map((x) => [x.key, x.status]));
        setItems((list) =>
          list.map((d) => (ok.has(d.key!) ? { ...d, status: ok.get(d.key!), error: null } : d)),
        );
        setWatching((w) => new Set([...w, ...ok.keys()]));
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e, t));
      },
    );
  };

  const set = (k: keyof Filters, v: string): void => setFilters((f) => ({ ...f, [k]: v }));
  const apply = (f: Filters): void => {
    setApplied(f);
    setResults(null);
    window.history.replaceState(
      null,
      "",
      href({ name: "deliveries", query: new URLSearchParams(toQuery(f)) }),
    );
  };
  const failedKeys = items.filter((d) => d.status === "failed").map((d) => d.key!);
  const toggle = (key: string): void =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const okCount = results?.filter((r) => r.ok).length ?? 0;
  const refused = results?.filter((r): r is Extract<RetryResult, { ok: false }> => !r.ok) ?? [];

  return (
    <div className="page page-wide" data-testid="deliveries-page">
      <div className="page-head">
        <div>
          <h1>{t("deliveries.title")}</h1>
          <p className="muted">{t("deliveries.subtitle")}</p>
        </div>
        <button className="btn" onClick={page.reload} data-testid="deliveries-refresh">
          {t("deliveries.refresh")}
        </button>
      </div>
      <form
        className="filters card"
        onSubmit={(e) => {
          e.preventDefault();
          apply(filters);
        }}
        data-testid="delivery-filters"
      >
        <label className="field">
          <span>{t("deliveries.status")}</span>
          <select value={filters.status} onChange={(e) => set("status", e.target.value)} name="status">
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {t(`delivery.${s}`)}
              </option>
            ))}
            <option value="">{t("runs.any")}</option>
          </select>
        </label>
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
          <span>{t("deliveries.channel")}</span>
          <select value={filters.channel} onChange={(e) => set("channel", e.target.value)} name="channel">
            <option value="">{t("runs.any")}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
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
        <div className="filters-actions">
          <button className="btn btn-primary" type="submit" data-testid="apply-filters">
            {t("runs.apply")}
          </button>
        </div>
      </form>
      {results && (
        <div
          className={refused.length ? "banner banner-warn" : "banner banner-ok"}
          role="status"
          data-testid="retry-result"
        >
          <div>{t("deliveries.retried", { n: formatNumber(okCount) })}</div>
          {refused.map((r) => (
            <div key={r.key} className="small">
              <span className="mono">{r.key}</span>: {r.error}
            </div>
          ))}
        </div>
      )}
      {error && <div className="form-error">{error}</div>}
      <div className="card card-flush">
        {allows("retryDeliveries") && failedKeys.length > 0 && (
          <div className="table-toolbar">
            <button
              className="btn btn-sm"
              type="button"
              onClick={() =>
                setSelected(selected.size === failedKeys.length ? new Set() : new Set(failedKeys))
              }
              data-testid="select-all-failed"
            >
              {selected.size === failedKeys.length
                ? t("deliveries.selectNone")
                : t("deliveries.selectAllFailed")}
            </button>
            <button
              className="btn btn-sm btn-primary"
              disabled={busy || selected.size === 0}
              onClick={() => retry([...selected])}
              data-testid="retry-selected"
            >
              {busy && <Spinner small />}
              {t("deliveries.retrySelected", { n: formatNumber(selected.size) })}
            </button>
          </div>
        )}
        {page.loading && items.length === 0 ? (
          <Loading />
        ) : page.error ? (
          <ErrorState error={page.error} onRetry={page.reload} />
        ) : items.length === 0 ? (
          <Empty title={t("deliveries.empty")} text={t("deliveries.emptyText")} />
        ) : (
          <table className="table table-compact" data-testid="delivery-table">
            <thead>
              <tr>
                <th aria-label={t("deliveries.select")} />
                <th>{t("deliveries.colCreated")}</th>
                <th>{t("deliveries.status")}</th>
                <th>{t("deliveries.channel")}</th>
                <th>{t("runs.colJourney")}</th>
                <th>{t("runs.colCustomer")}</th>
                <th>{t("runs.colStep")}</th>
                <th>{t("deliveries.colAttempts")}</th>
                <th>{t("deliveries.colError")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const key = d.key!;
                const failed = d.status === "failed";
                return (
                  <tr key={key} data-key={key} data-status={d.status}>
                    <td>
                      {failed && allows("retryDeliveries") && (
                        <input
                          type="checkbox"
                          checked={selected.has(key)}
                          onChange={() => toggle(key)}
                          aria-label={t("deliveries.select")}
                        />
                      )}
                    </td>
                    <td className="nowrap">{formatDate(d.createdAt)}</td>
                    <td>
                      <DeliveryStatusTag status={d.status} />
                      {watching.has(key) && <Spinner small />}
                    </td>
                    <td>{channelLabel(d, t)}</td>
                    <td>{names.get(d.journeyId ?? "") ?? d.journeyId}</td>
                    <td>
                      <a href={href({ name: "customer", id: d.customerId ?? "" })} className="mono">
                        {d.customerId}
                      </a>
                    </td>
                    <td className="mono">{d.nodeId}</td>
                    <td className="num">{formatNumber(d.attempts)}</td>
                    <td className="delivery-error">{typeof d.error === "string" ? d.error : ""}</td>
                    <td>
                      {failed && allows("retryDeliveries") && (
                        <button
                          className="btn btn-sm"
                          disabled={busy}
                          onClick={() => retry([key])}
                          data-testid="retry-one"
                        >
                          {t("trace.retry")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {cursor && (
          <div className="table-foot">
            <button
              className="btn"
              onClick={() =>
                void api.deliveries({ ...toQuery(applied), limit: 100, cursor }).then((p) => {
                  setItems((x) => [...x, ...p.items]);
                  setCursor(p.nextCursor);
                })
              }
            >
              {t("runs.loadMore")}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function channelLabel(d: Delivery, t: ReturnType<typeof useI18n>["t"]): string {
  const c = d.channel ?? d.action ?? "";
  return (CHANNELS as readonly string[]).includes(c) ? t(`channel.${c as (typeof CHANNELS)[number]}`) : c;
}
