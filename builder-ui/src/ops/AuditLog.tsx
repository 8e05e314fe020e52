/** The audit log: who changed what and when, with the change itself (a journey's diff, a user's fields). */
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { AuditEntry } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/dict";
import { Empty, ErrorState, Loading, useAsync } from "../ui/common";
import { href } from "../ui/router";

interface JourneyDiff {
  nodes: { added: string[]; removed: string[]; changed: string[]; moved: string[] };
  edges: { added: string[]; removed: string[] };
  settings: { changed: string[] };
}
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isDiff = (v: unknown): v is JourneyDiff =>
  isObj(v) && isObj(v.nodes) && isObj(v.edges) && isObj(v.settings);

export function AuditLog() {
  const { t, formatDate } = useI18n();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync(() => api.audit({ limit: 50 }), []);
  const journeys = useAsync(() => api.journeys(), []);
  const names = new Map((journeys.data ?? []).map((j) => [j.id, j.name]));
  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setCursor(first.data.nextCursor);
  }, [first.data]);

  return (
    <div className="page page-wide" data-testid="audit-page">
      <div className="page-head">
        <div>
          <h1>{t("audit.title")}</h1>
          <p className="muted">{t("audit.subtitle")}</p>
        </div>
      </div>
      <div className="card card-flush">
        {first.loading && items.length === 0 ? (
          <Loading />
        ) : first.error ? (
          <ErrorState error={first.error} onRetry={first.reload} />
        ) : items.length === 0 ? (
          <Empty title={t("audit.empty")} />
        ) : (
          <table className="table table-compact" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t("audit.colTime")}</th>
                <th>{t("audit.colUser")}</th>
                <th>{t("audit.colAction")}</th>
                <th>{t("audit.colTarget")}</th>
                <th>{t("audit.colChange")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-action={a.action}>
                  <td className="nowrap">{formatDate(a.at)}</td>
                  <td data-testid="audit-user">
                    {a.userId === null ? (
                      <span className="muted">{t("audit.system")}</span>
                    ) : (
                      <>
                        <div>{a.userName ?? a.userId}</div>
                        {a.userEmail && <div className="muted small">{a.userEmail}</div>}
                      </>
                    )}
                  </td>
                  <td>
                    <span className="tag" title={a.action}>
                      {actionLabel(a.action, t)}
                    </span>
                  </td>
                  <td>
                    {a.action.startsWith("journey.") && a.target && names.has(a.target) ? (
                      <a href={href({ name: "editor", id: a.target })}>{names.get(a.target)}</a>
                    ) : (
                      <span className="mono small">{a.target ?? ""}</span>
                    )}
                  </td>
                  <td>
                    <Change detail={a.detail} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor && (
          <div className="table-foot">
            <button
              className="btn"
              onClick={() =>
                void api.audit({ limit: 50, cursor }).then((p) => {
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

const ACTION_KEYS: Record<string, MessageKey> = {
  "auth.login": "auditAction.login",
  "journey.create": "auditAction.journeyCreate",
  "journey.draft": "auditAction.journeyDraft",
  "journey.publish": "auditAction.journeyPublish",
  "journey.pause": "auditAction.journeyPause",
  "journey.resume": "auditAction.journeyResume",
  "journey.archive": "auditAction.journeyArchive",
  "journey.enter": "auditAction.journeyEnter",
  "journey.audience_run": "auditAction.audienceRun",
  "journey.test_send": "auditAction.testSend",
  "user.create": "auditAction.userCreate",
  "user.update": "auditAction.userUpdate",
  "key.create": "auditAction.keyCreate",
  "key.revoke": "auditAction.keyRevoke",
  "delivery.retry": "auditAction.deliveryRetry",
  "delivery.retry_many": "auditAction.deliveryRetry",
  "run.retry": "auditAction.runRetry",
  "consent.unsubscribe": "auditAction.unsubscribe",
  "consent.resubscribe": "auditAction.resubscribe",
  "coupons.add": "auditAction.couponsAdd",
};

function actionLabel(action: string, t: (k: MessageKey) => string): string {
  const k = ACTION_KEYS[action];
  return k ? t(k) : action;
}

const FIELD_KEYS: Record<string, MessageKey> = {
  name: "auditField.name",
  version: "auditField.version",
  template: "auditField.template",
  customers: "auditField.customers",
  entered: "auditField.entered",
  keys: "auditField.keys",
  demo: "auditField.demo",
  email: "auditField.email",
  role: "auditField.role",
  nodeId: "auditField.nodeId",
  firstStart: "auditField.firstStart",
};

const DIFF_PARTS: [MessageKey, (d: JourneyDiff) => string[], string][] = [
  ["audit.nodesAdded", (d) => d.nodes.added, "add"],
  ["audit.nodesRemoved", (d) => d.nodes.removed, "del"],
  ["audit.nodesChanged", (d) => d.nodes.changed, "chg"],
  ["audit.nodesMoved", (d) => d.nodes.moved, "chg"],
  ["audit.edgesAdded", (d) => d.edges.added, "add"],
  ["audit.edgesRemoved", (d) => d.edges.removed, "del"],
  ["audit.settingsChanged", (d) => d.settings.changed, "chg"],
];

/** The change an entry records: a journey diff, fields from → to, or the detail's plain fields. */
function Change({ detail }: { detail: unknown }) {
  const { t } = useI18n();
  if (!isObj(detail)) return null;
  const { diff, changes, ...rest } = detail;
  // Ids the row already shows another way (the version number, the journey's name) are left out.
  const plain = Object.entries(rest).filter(([k, v]) => v !== null && v !== undefined && k !== "versionId");
  return (
    <div className="audit-change" data-testid="audit-change">
      {isDiff(diff) && <DiffLines diff={diff} t={t} />}
      {isObj(changes) &&
        Object.entries(changes).map(([field, c]) =>
          isObj(c) ? (
            <div key={field} className="diff-line diff-chg">
              <span className="mono">{field}</span>: <del>{String(c.from)}</del> → <ins>{String(c.to)}</ins>
            </div>
          ) : null,
        )}
      {!isObj(changes) &&
        plain.map(([k, v]) => (
          <div key={k} className="small">
            <span className="muted">{k in FIELD_KEYS ? t(FIELD_KEYS[k]!) : k}</span>{" "}
            <span className="mono">{typeof v === "string" ? v : JSON.stringify(v)}</span>
          </div>
        ))}
    </div>
  );
}

function DiffLines({ diff, t }: { diff: JourneyDiff; t: (k: MessageKey) => string }) {
  const lines = DIFF_PARTS.map(([label, pick, tone]) => ({ label, ids: pick(diff), tone })).filter(
    (l) => l.ids.length > 0,
  );
  if (lines.length === 0) return <div className="muted small">{t("audit.noChange")}</div>;
  return (
    <>
      {lines.map((l) => (
        <div key={l.label} className={`diff-line diff-${l.tone}`}>
          {t(l.label)}: <span className="mono">{l.ids.join(", ")}</span>
        </div>
      ))}
    </>
  );
}
