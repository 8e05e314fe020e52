import { useMemo, useState } from "react";
import { api } from "../api/client";
import type { JourneySummary, LibraryJourney } from "../../../engine/schema";
import { useSession } from "../session";
import { blankJourney } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import { href, navigate } from "../ui/router";
import {
  Empty,
  ErrorState,
  Loading,
  Modal,
  Spinner,
  StatusBadge,
  errorText,
  relativeTime,
  useAsync,
} from "../ui/common";

const FILTERS = ["all", "draft", "live", "paused", "archived"] as const;
type Filter = (typeof FILTERS)[number];

export function JourneyList() {
  const { t, lang, formatNumber, formatDate } = useI18n();
  const { allows } = useSession();
  const list = useAsync(() => api.journeys(), []);
  const [filter, setFilter] = useState<Filter>("all");
  const [query, setQuery] = useState("");
  const [creating, setCreating] = useState(false);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (list.data ?? [])
      .filter((j) => filter === "all" || j.status === filter)
      .filter((j) => !q || j.name.toLowerCase().includes(q))
      .sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? ""));
  }, [list.data, filter, query]);

  const totals = useMemo(() => {
    const all = list.data ?? [];
    return {
      live: all.filter((j) => j.status === "live").length,
      active: all.reduce((s, j) => s + (j.counts?.active ?? 0), 0),
      converted: all.reduce((s, j) => s + (j.counts?.converted ?? 0), 0),
      entered: all.reduce((s, j) => s + (j.counts?.entered ?? 0), 0),
    };
  }, [list.data]);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("journeys.title")}</h1>
          <p className="muted">{t("journeys.subtitle")}</p>
        </div>
        {allows("createJourney") && (
          <button className="btn btn-primary" onClick={() => setCreating(true)} data-testid="new-journey">
            + {t("journeys.new")}
          </button>
        )}
      </div>

      {list.data && list.data.length > 0 && (
        <div className="kpis">
          <Kpi label={t("journeys.kpiLive")} value={formatNumber(totals.live)} />
          <Kpi label={t("journeys.kpiEntered")} value={formatNumber(totals.entered)} />
          <Kpi label={t("journeys.kpiActive")} value={formatNumber(totals.active)} />
          <Kpi
            label={t("journeys.kpiConverted")}
            value={formatNumber(totals.converted)}
            hint={
              totals.entered > 0 ? `${((totals.converted / totals.entered) * 100).toFixed(1)}%` : undefined
            }
          />
        </div>
      )}

      <div className="toolbar">
        <div className="segmented">
          {FILTERS.map((f) => (
            <button key={f} className={filter === f ? "active" : ""} onClick={() => setFilter(f)}>
              {t(f === "all" ? "journeys.filterAll" : `status.${f}`)}
              {list.data && (
                <span className="count">
                  {f === "all" ? list.data.length : list.data.filter((j) => j.status === f).length}
                </span>
              )}
            </button>
          ))}
        </div>
        <input
          className="search"
          type="search"
          placeholder={t("journeys.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>

      <div className="card card-flush">
        {list.loading && !list.data ? (
          <Loading />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : rows.length === 0 ? (
          <Empty
            title={list.data?.length ? t("journeys.noMatch") : t("journeys.empty")}
            text={list.data?.length ? undefined : t("journeys.emptyText")}
            action={
              allows("createJourney") && !list.data?.length ? (
                <button className="btn btn-primary" onClick={() => setCreating(true)}>
                  + {t("journeys.new")}
                </button>
              ) : undefined
            }
          />
        ) : (
          <table className="table" data-testid="journey-table">
            <thead>
              <tr>
                <th>{t("journeys.colName")}</th>
                <th>{t("journeys.colStatus")}</th>
                <th className="num">{t("journeys.colVersion")}</th>
                <th className="num">{t("journeys.colEntered")}</th>
                <th className="num">{t("journeys.colActive")}</th>
                <th className="num">{t("journeys.colConverted")}</th>
                <th>{t("journeys.colUpdated")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((j) => (
                <Row key={j.id} j={j} lang={lang} formatNumber={formatNumber} formatDate={formatDate} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && <CreateDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string | undefined }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">
        {value}
        {hint && <span className="kpi-hint">{hint}</span>}
      </div>
    </div>
  );
}

function Row({
  j,
  lang,
  formatNumber,
  formatDate,
}: {
  j: JourneySummary;
  lang: "en" | "zh";
  formatNumber: (n: number | null | undefined) => string;
  formatDate: (s: string) => string;
}) {
  const { t } = useI18n();
  const open = (): void => navigate({ name: "editor", id: j.id });
  const conv = j.counts && j.counts.entered > 0 ? (j.counts.converted / j.counts.entered) * 100 : null;
  return (
    <tr className="clickable" onClick={open} data-journey={j.name}>
      <td>
        <div className="cell-title">{j.name}</div>
      </td>
      <td>
        <StatusBadge status={j.status} />
      </td>
      <td className="num">{j.liveVersion ? `v${j.liveVersion}` : "—"}</td>
      <td className="num">{formatNumber(j.counts?.entered ?? 0)}</td>
      <td className="num">{formatNumber(j.counts?.active ?? 0)}</td>
      <td className="num">
        {formatNumber(j.counts?.converted ?? 0)}
        {conv !== null && <span className="sub"> · {conv.toFixed(1)}%</span>}
      </td>
      <td title={formatDate(j.updatedAt)}>{relativeTime(j.updatedAt, lang)}</td>
      <td className="row-actions" onClick={(e) => e.stopPropagation()}>
        {j.status !== "draft" && (
          <a className="btn btn-ghost btn-sm" href={`#/journeys/${encodeURIComponent(j.id)}/live`}>
            {t("journeys.liveView")}
          </a>
        )}
        {j.status !== "draft" && (
          <a
            className="btn btn-ghost btn-sm"
            href={href({ name: "results", id: j.id })}
            data-testid="open-results"
          >
            {t("results.open")}
          </a>
        )}
        <a className="btn btn-ghost btn-sm" href={`#/journeys/${encodeURIComponent(j.id)}`}>
          {t("journeys.open")}
        </a>
      </td>
    </tr>
  );
}

function CreateDialog({ onClose }: { onClose: () => void }) {
  const { t, pick } = useI18n();
  const library = useAsync(() => api.library(), []);
  const [name, setName] = useState("");
  const [choice, setChoice] = useState<string>("blank");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = (): void => {
    setBusy(true);
    setError(null);
    const item: LibraryJourney | undefined = library.data?.find((l) => l.id === choice);
    const body =
      choice === "blank"
        ? { doc: blankJourney(name.trim() || t("journeys.untitled")) }
        : item && name.trim()
          ? { doc: { ...item.doc, name: name.trim() } }
          : { template: choice };
    api.createJourney(body).then(
      (j) => navigate({ name: "editor", id: j.id }),
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err, t));
      },
    );
  };

  return (
    <Modal
      title={t("create.title")}
      onClose={onClose}
      wide
      testId="create-dialog"
      footer={
        <>
          {error && <span className="form-error inline">{error}</span>}
          <button className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button className="btn btn-primary" onClick={create} disabled={busy} data-testid="create-confirm">
            {busy && <Spinner small />}
            {t("create.submit")}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{t("create.name")}</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={
            choice === "blank"
              ? t("journeys.untitled")
              : pick(library.data?.find((l) => l.id === choice)?.name)
          }
          data-testid="create-name"
          autoFocus
        />
      </label>
      <div className="field-label">{t("create.startFrom")}</div>
      <div className="template-grid">
        <button
          className={choice === "blank" ? "tpl-card selected" : "tpl-card"}
          onClick={() => setChoice("blank")}
          data-testid="create-blank"
        >
          <div className="tpl-icon tpl-icon-blank">+</div>
          <div className="tpl-name">{t("create.blank")}</div>
          <div className="tpl-desc">{t("create.blankText")}</div>
        </button>
        {library.loading && <Loading />}
        {library.error !== undefined && <ErrorState error={library.error} onRetry={library.reload} />}
        {library.data?.map((l) => (
          <button
            key={l.id}
            className={choice === l.id ? "tpl-card selected" : "tpl-card"}
            onClick={() => setChoice(l.id)}
            data-library={l.id}
          >
            <div className="tpl-icon">{l.doc.nodes.length}</div>
            <div className="tpl-name">{pick(l.name)}</div>
            <div className="tpl-desc">{pick(l.description)}</div>
            <div className="tpl-meta">{t("create.steps", { n: l.doc.nodes.length })}</div>
          </button>
        ))}
      </div>
    </Modal>
  );
}
