/**
 * The whole customer: stage and why, RFM, churn risk with its drivers, P(alive), CLV, signals, stage history,
 * tags, consent per channel, satisfaction and an event timeline. The journeys the customer is in, with their
 * trace, follow on the page (CustomerTrace).
 */
import type { CustomerDetail } from "../../../engine/schema";
import { api } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/translate";
import type { MessageKey } from "../i18n/dict";
import { useAsync } from "../ui/common";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const score = (v: unknown): string => (typeof v === "number" ? String(v) : "—");
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export function Customer360({ customer }: { customer: CustomerDetail }) {
  const { t, formatDate, formatNumber } = useI18n();
  const label = (prefix: string, v: string): string =>
    isMessageKey(`${prefix}.${v}`) ? t(`${prefix}.${v}` as MessageKey) : v;
  const events = useAsync(() => api.customerEvents(customer.id, 100), [customer.id]);
  const consent = useAsync(() => api.customerConsent(customer.id), [customer.id]);
  const fact = customer.fact ?? {};
  const state = customer.state ?? {};
  const traits = customer.traits;
  const name = typeof traits.name === "string" ? traits.name : customer.id;
  const stage = typeof fact.stage === "string" ? fact.stage : undefined;
  const rfm = isObj(fact.rfm) ? fact.rfm : {};
  const pct = (v: unknown): string => {
    const n = num(v);
    return n === null ? "—" : `${formatNumber(Math.round(n * 1000) / 10)}%`;
  };
  const money = (v: unknown): string => {
    const n = num(v);
    return n === null ? "—" : formatNumber(Math.round(n * 100) / 100);
  };
  const at = (v: unknown): string =>
    typeof v === "number"
      ? formatDate(new Date(v).toISOString())
      : typeof v === "string"
        ? formatDate(v)
        : "—";
  const tags = Array.isArray(traits.tags)
    ? traits.tags.filter((x): x is string => typeof x === "string")
    : [];
  const satisfaction = isObj(state.satisfaction) ? state.satisfaction : null;
  const kpis: [MessageKey, string][] = [
    ["c360.churnRisk", pct(fact.churnRisk)],
    ["c360.pAlive", pct(fact.pAlive)],
    ["c360.clv", money(fact.clv)],
    ["c360.orders", formatNumber(num(fact.ordersCount) ?? 0)],
    ["c360.spent", money(fact.totalSpent)],
  ];
  return (
    <>
      <div className="card customer-card" data-testid="customer-card">
        <div className="customer-head">
          <span className="avatar avatar-lg">{name.slice(0, 1).toUpperCase()}</span>
          <div>
            <h1 data-user-content>{name}</h1>
            <div className="muted mono">{customer.id}</div>
          </div>
          <div className="c360-chips c360-head-tags">
            {stage && (
              <span className={`tag tag-stage-${stage}`} data-testid="c360-stage">
                {label("stage", stage)}
              </span>
            )}
            {typeof rfm.segment === "string" && (
              <span className="tag" data-testid="c360-segment">
                {label("segment", rfm.segment)}
              </span>
            )}
          </div>
        </div>
        {stage && (
          <div className="muted small">
            {fact.stageSince !== undefined && fact.stageSince !== null && (
              <span>{t("c360.stageSince", { at: at(fact.stageSince) })} · </span>
            )}
            {/* The lifecycle model's own explanation, as it computed it. */}
            <span className="mono">{typeof fact.stageReason === "string" ? fact.stageReason : ""}</span>
          </div>
        )}
        <div className="c360-kpis" data-testid="c360-kpis">
          {kpis.map(([k, v]) => (
            <div className="kpi" key={k}>
              <div className="kpi-label">{t(k)}</div>
              <div className="kpi-value">{v}</div>
            </div>
          ))}
          <div className="kpi">
            <div className="kpi-label">{t("c360.rfm")}</div>
            <div className="kpi-value kpi-value-sm">
              {typeof rfm.r !== "number"
                ? "—"
                : t("c360.rfmScores", {
                    r: score(rfm.r),
                    f: score(rfm.f),
                    m: score(rfm.m),
                  })}
            </div>
          </div>
        </div>
      </div>
      <div className="c360-grid">
        <section className="card" data-testid="c360-drivers">
          <h3>{t("c360.drivers")}</h3>
          {list(fact.churnDrivers).length === 0 && <p className="muted small">{t("c360.noDrivers")}</p>}
          <ul className="c360-list">
            {list(fact.churnDrivers).map((d, i) => (
              <li key={i}>
                <span className="mono">{String(d.feature)}</span>{" "}
                {t(d.effect === "lowers" ? "c360.lowers" : "c360.raises")}
                {num(d.value) !== null && <span className="muted"> · {formatNumber(num(d.value))}</span>}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" data-testid="c360-signals">
          <h3>{t("c360.signals")}</h3>
          {list(state.signals).length === 0 ? (
            <p className="muted small">{t("c360.noSignals")}</p>
          ) : (
            <ul className="c360-list">
              {list(state.signals).map((s, i) => (
                <li key={i}>
                  {label("signal", String(s.reason))} <span className="muted">· {at(s.since)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" data-testid="c360-history">
          <h3>{t("c360.stageHistory")}</h3>
          {list(state.stageHistory).length === 0 ? (
            <p className="muted small">{t("c360.noHistory")}</p>
          ) : (
            <ul className="c360-list">
              {list(state.stageHistory)
                .slice(-8)
                .reverse()
                .map((h, i) => (
                  <li key={i}>
                    {label("stage", String(h.from))} → {label("stage", String(h.to))}{" "}
                    <span className="muted">· {at(h.at)}</span>
                  </li>
                ))}
            </ul>
          )}
        </section>
        <section className="card" data-testid="c360-tags">
          <h3>{t("c360.tags")}</h3>
          {tags.length === 0 ? (
            <p className="muted small">{t("c360.noTags")}</p>
          ) : (
            <div className="c360-chips" data-user-content>
              {tags.map((x) => (
                <span className="tag" key={x}>
                  {x}
                </span>
              ))}
            </div>
          )}
        </section>
        <section className="card" data-testid="c360-consent">
          <h3>{t("c360.consent")}</h3>
          <div className="c360-chips">
            {Object.entries(consent.data ?? {}).map(([channel, on]) => (
              <span key={channel} className={on ? "tag" : "tag tag-warn"}>
                {label("channel", channel)}: {t(on ? "c360.subscribed" : "c360.unsubscribed")}
              </span>
            ))}
          </div>
        </section>
        <section className="card" data-testid="c360-satisfaction">
          <h3>{t("c360.satisfaction")}</h3>
          {satisfaction ? (
            <p>
              <b>{formatNumber(num(satisfaction.score))}</b>{" "}
              <span className="muted">
                {String(satisfaction.scale).toUpperCase()} · {at(satisfaction.at)}
              </span>
            </p>
          ) : (
            <p className="muted small">{t("c360.noSatisfaction")}</p>
          )}
        </section>
      </div>
      <section className="card" data-testid="c360-timeline">
        <h3>{t("c360.timeline")}</h3>
        {!events.data?.length ? (
          <p className="muted small">{t("c360.noEvents")}</p>
        ) : (
          <ul className="c360-list c360-timeline">
            {events.data.map((e, i) => (
              <li key={i}>
                <span className="muted">{formatDate(e.timestamp)}</span>
                <span>
                  <span className="mono">{e.name}</span>{" "}
                  <span className="muted small mono">
                    {Object.keys(e.properties).length ? JSON.stringify(e.properties).slice(0, 120) : ""}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
