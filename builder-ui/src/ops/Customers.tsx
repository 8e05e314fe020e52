/** The customer list: search, filter by stage, RFM segment, churn-risk band and tag, sort, page, export CSV. */
import { useState } from "react";
import { CUSTOMER_SORTS, LIFECYCLE_STAGES, RFM_SEGMENTS, RISK_BANDS, apiPath } from "../../../engine/schema";
import { api, getToken } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/translate";
import type { MessageKey } from "../i18n/dict";
import { Empty, ErrorState, Loading, errorText, relativeTime, useAsync } from "../ui/common";
import { navigate } from "../ui/router";

interface Filters {
  q: string;
  stage: string;
  segment: string;
  risk: string;
  tag: string;
  /** An RFM recency × frequency cell (`r-f`), set by a click on the overview's RFM grid. */
  rfm: string;
  sort: string;
  dir: string;
}
const NONE: Filters = { q: "", stage: "", segment: "", risk: "", tag: "", rfm: "", sort: "id", dir: "asc" };

/** Filters given in the page's address (`#/customers?rfm=5-3&stage=active`), the rest left open. */
function fromQuery(query: URLSearchParams | undefined): Filters {
  const f = { ...NONE };
  for (const k of Object.keys(NONE) as (keyof Filters)[]) {
    const v = query?.get(k);
    if (v) f[k] = v;
  }
  return f;
}
const PAGE_SIZE = 50;
const SORT_KEYS: Record<(typeof CUSTOMER_SORTS)[number], MessageKey> = {
  id: "customers.sortId",
  churnRisk: "customers.sortChurnRisk",
  clv: "customers.sortClv",
  pAlive: "customers.sortPAlive",
  totalSpent: "customers.sortTotalSpent",
  updatedAt: "customers.sortUpdatedAt",
};

export function Customers({ query }: { query?: URLSearchParams | undefined } = {}) {
  const { t, lang, formatNumber } = useI18n();
  const [filters, setFilters] = useState<Filters>(() => fromQuery(query));
  const [applied, setApplied] = useState<Filters>(() => fromQuery(query));
  const [page, setPage] = useState(1);
  const [csvError, setCsvError] = useState<string | null>(null);
  const list = useAsync(() => api.customerList({ ...applied, page, pageSize: PAGE_SIZE }), [applied, page]);
  const label = (prefix: string, v: string): string =>
    isMessageKey(`${prefix}.${v}`) ? t(`${prefix}.${v}` as MessageKey) : v;
  const set = (k: keyof Filters, v: string): void => setFilters((f) => ({ ...f, [k]: v }));
  const apply = (next: Filters = filters): void => {
    setApplied(next);
    setPage(1);
  };
  const exportCsv = (): void => {
    setCsvError(null);
    const qs = new URLSearchParams(Object.entries({ ...applied, format: "csv" }).filter(([, v]) => v));
    fetch(`${apiPath("customerList")}?${qs.toString()}`, {
      headers: { authorization: `Bearer ${getToken() ?? ""}` },
    })
      .then(async (r) => {
        if (!r.ok) throw new Error(`${r.status}`);
        const a = document.createElement("a");
        a.href = URL.createObjectURL(await r.blob());
        a.download = "rekindle-customers.csv";
        a.click();
        URL.revokeObjectURL(a.href);
      })
      .catch((e: unknown) => setCsvError(errorText(e, t)));
  };
  const select = (k: keyof Filters, labelKey: MessageKey, options: readonly string[], prefix: string) => (
    <label className="field field-inline">
      <span>{t(labelKey)}</span>
      <select
        value={filters[k]}
        onChange={(e) => {
          const next = { ...filters, [k]: e.target.value };
          setFilters(next);
          apply(next);
        }}
        data-testid={`customer-filter-${k}`}
      >
        <option value="">{t("customers.any")}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {label(prefix, o)}
          </option>
        ))}
      </select>
    </label>
  );
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("customers.title")}</h1>
          <p className="muted">{t("customers.subtitle")}</p>
        </div>
        <button className="btn" onClick={exportCsv} data-testid="customer-export">
          {t("customers.export")}
        </button>
      </div>
      <form
        className="toolbar customer-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <input
          className="search search-wide"
          type="search"
          placeholder={t("customers.search")}
          value={filters.q}
          onChange={(e) => set("q", e.target.value)}
          data-testid="customer-search"
        />
        {select("stage", "customers.filterStage", LIFECYCLE_STAGES, "stage")}
        {select("segment", "customers.filterSegment", RFM_SEGMENTS, "segment")}
        {select("risk", "customers.filterRisk", RISK_BANDS, "risk")}
        <label className="field field-inline">
          <span>{t("customers.filterTag")}</span>
          <input
            value={filters.tag}
            onChange={(e) => set("tag", e.target.value)}
            data-testid="customer-filter-tag"
          />
        </label>
        <label className="field field-inline">
          <span>{t("customers.sort")}</span>
          <select
            value={`${filters.sort}:${filters.dir}`}
            onChange={(e) => {
              const [sort = "id", dir = "asc"] = e.target.value.split(":");
              const next = { ...filters, sort, dir };
              setFilters(next);
              apply(next);
            }}
            data-testid="customer-sort"
          >
            {CUSTOMER_SORTS.flatMap((s) =>
              (["desc", "asc"] as const).map((d) => (
                <option key={`${s}:${d}`} value={`${s}:${d}`}>
                  {t(SORT_KEYS[s])} · {t(d === "desc" ? "customers.desc" : "customers.asc")}
                </option>
              )),
            )}
          </select>
        </label>
        <button className="btn" type="submit">
          {t("customers.find")}
        </button>
        {applied.rfm && (
          <span className="chip" data-testid="customer-filter-rfm">
            {t("customers.filterRfm", {
              r: applied.rfm.split("-")[0] ?? "",
              f: applied.rfm.split("-")[1] ?? "",
            })}
            <button
              type="button"
              className="chip-clear"
              aria-label={t("customers.clearRfm")}
              onClick={() => {
                const next = { ...filters, rfm: "" };
                setFilters(next);
                apply(next);
              }}
            >
              ×
            </button>
          </span>
        )}
      </form>
      {csvError && <div className="form-error">{csvError}</div>}
      <div className="card card-flush">
        {list.loading && !data ? (
          <Loading />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !data?.items.length ? (
          <Empty title={t("customers.empty")} text={t("customers.emptyText")} />
        ) : (
          <table className="table" data-testid="customer-table">
            <thead>
              <tr>
                <th>{t("customers.colId")}</th>
                <th>{t("customers.colName")}</th>
                <th>{t("customers.colStage")}</th>
                <th>{t("customers.colSegment")}</th>
                <th className="num">{t("customers.colRisk")}</th>
                <th className="num">{t("customers.colClv")}</th>
                <th>{t("customers.colTags")}</th>
                <th>{t("customers.colUpdated")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id} className="clickable" onClick={() => navigate({ name: "customer", id: c.id })}>
                  <td className="mono">{c.id}</td>
                  <td data-user-content>{c.name ?? "—"}</td>
                  <td>
                    {c.stage ? (
                      <span className={`tag tag-stage-${c.stage}`}>{label("stage", c.stage)}</span>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{c.segment ? label("segment", c.segment) : "—"}</td>
                  <td className="num">
                    {c.churnRisk === null ? "—" : `${formatNumber(Math.round(c.churnRisk * 100))}%`}
                    {c.risk && <span className={`risk risk-${c.risk}`}>{label("risk", c.risk)}</span>}
                  </td>
                  <td className="num">{c.clv === null ? "—" : formatNumber(Math.round(c.clv))}</td>
                  <td data-user-content>{c.tags.join(", ") || "—"}</td>
                  <td>{relativeTime(c.updatedAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {data && data.total > 0 && (
        <div className="pager" data-testid="customer-pager">
          <button className="btn btn-sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("customers.prev")}
          </button>
          <span className="muted">
            {t("customers.page", { page, pages, total: formatNumber(data.total) })}
            {!data.complete && ` ${t("customers.partial", { scanned: formatNumber(data.scanned) })}`}
          </span>
          <button
            className="btn btn-sm"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
            data-testid="customer-next"
          >
            {t("customers.next")}
          </button>
        </div>
      )}
    </div>
  );
}
