/** Which entries the results report covers: one published version or all, and an entry date range. */
import type { VersionSummary } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";

export interface ResultsQuery {
  version?: number;
  /** Entry dates (UTC days, YYYY-MM-DD), both inclusive. */
  from?: string;
  to?: string;
}

/** The API's half-open time range for inclusive UTC days; a range that ends before it starts is left out. */
export function apiQuery(q: ResultsQuery): { version?: number; from?: string; to?: string } {
  if (q.from && q.to && q.from > q.to) return apiQuery({ ...q, from: undefined, to: undefined });
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    ...(q.version !== undefined ? { version: q.version } : {}),
    ...(q.from ? { from: `${q.from}T00:00:00.000Z` } : {}),
    ...(q.to ? { to: next(q.to) } : {}),
  };
}

export function ResultsFilters({
  versions,
  query,
  onChange,
}: {
  versions: readonly VersionSummary[];
  query: ResultsQuery;
  onChange: (q: ResultsQuery) => void;
}) {
  const { t, formatDate } = useI18n();
  const set = (patch: Partial<ResultsQuery>) => {
    const next = { ...query, ...patch };
    for (const k of Object.keys(next) as (keyof ResultsQuery)[])
      if (next[k] === undefined || next[k] === "") delete next[k];
    onChange(next);
  };
  const badRange = query.from !== undefined && query.to !== undefined && query.from > query.to;
  return (
    <div className="results-filters row-inline" data-testid="results-filters">
      <label className="field">
        <span>{t("results.version")}</span>
        <select
          name="version"
          value={query.version ?? ""}
          onChange={(e) => set({ version: e.target.value === "" ? undefined : Number(e.target.value) })}
        >
          <option value="">{t("results.allVersions")}</option>
          {[...versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <option key={v.id} value={v.version}>
                {t("results.versionItem", { version: v.version, date: formatDate(v.publishedAt) })}
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        <span>{t("results.from")}</span>
        <input
          name="from"
          type="date"
          value={query.from ?? ""}
          onChange={(e) => set({ from: e.target.value })}
        />
      </label>
      <label className="field">
        <span>{t("results.to")}</span>
        <input name="to" type="date" value={query.to ?? ""} onChange={(e) => set({ to: e.target.value })} />
      </label>
      {(query.version !== undefined || query.from || query.to) && (
        <button className="btn btn-ghost btn-sm" onClick={() => onChange({})} data-testid="results-clear">
          {t("results.clearFilters")}
        </button>
      )}
      {badRange && <span className="form-error inline">{t("results.badRange")}</span>}
    </div>
  );
}
