/**
 * A test send of one message step of the draft: rendered for a customer (or a sample profile) and sent now to
 * their address or to the one typed here, outside any run. The result line says where it went, or why not.
 */
import { useMemo, useState } from "react";
import type { ActionType, Journey } from "../../../../engine/schema";
import { api } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { Spinner, errorText } from "../../ui/common";
import type { Catalog } from "../catalog";

interface MessageStep {
  id: string;
  label: string;
}

/** The draft's action steps whose action sends a message (its catalog entry names a channel). */
export function messageSteps(
  doc: Journey,
  catalog: Catalog,
  title: (a: ActionType) => string,
): MessageStep[] {
  const actions = new Map(catalog.nodeTypes.actions.map((a) => [a.type, a]));
  return doc.nodes.flatMap((n) => {
    const action = n.type === "action" ? actions.get(n.data.action) : undefined;
    if (n.type !== "action" || !action?.channel) return [];
    const template = n.data.template ? ` · ${n.data.template}` : "";
    return [{ id: n.id, label: `${title(action)} · ${n.id}${template}` }];
  });
}

const newRequestId = (): string =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

export function TestSend({ journeyId, doc, catalog }: { journeyId: string; doc: Journey; catalog: Catalog }) {
  const { t, pick } = useI18n();
  const steps = useMemo(() => messageSteps(doc, catalog, (a) => pick(a.title)), [doc, catalog, pick]);
  const [nodeId, setNodeId] = useState(steps[0]?.id ?? "");
  const [customerId, setCustomerId] = useState("");
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  if (steps.length === 0) return <p className="muted small">{t("testSend.noSteps")}</p>;
  const send = (): void => {
    if (!customerId.trim() && !to.trim()) {
      setResult({ ok: false, text: t("testSend.needOne") });
      return;
    }
    setBusy(true);
    setResult(null);
    api
      .testSend(journeyId, {
        nodeId,
        ...(customerId.trim() ? { customerId: customerId.trim() } : {}),
        ...(to.trim() ? { to: to.trim() } : {}),
        requestId: newRequestId(),
      })
      .then(
        (r) => {
          setBusy(false);
          setResult(
            r.status === "sent"
              ? {
                  ok: true,
                  text: r.subject
                    ? t("testSend.sent", { to: r.to, subject: r.subject })
                    : t("testSend.sentNoSubject", { to: r.to }),
                }
              : { ok: false, text: t("testSend.failed", { reason: r.reason ?? r.status }) },
          );
        },
        (e: unknown) => {
          setBusy(false);
          setResult({ ok: false, text: errorText(e, t) });
        },
      );
  };
  return (
    <div className="test-send" data-testid="test-send">
      <h3 className="sub-head">{t("testSend.title")}</h3>
      <div className="test-send-fields">
        <label className="field">
          <span>{t("testSend.step")}</span>
          <select value={nodeId} onChange={(e) => setNodeId(e.target.value)} data-testid="test-send-step">
            {steps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("testSend.customer")}</span>
          <input
            value={customerId}
            onChange={(e) => setCustomerId(e.target.value)}
            placeholder={t("testSend.customerPlaceholder")}
            data-testid="test-send-customer"
          />
        </label>
        <label className="field">
          <span>{t("testSend.to")}</span>
          <input
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder={t("testSend.toPlaceholder")}
            data-testid="test-send-to"
          />
        </label>
      </div>
      <div className="test-send-foot">
        <button className="btn btn-sm" onClick={send} disabled={busy} data-testid="test-send-go">
          {busy && <Spinner small />}
          {t("testSend.send")}
        </button>
        {result && (
          <span
            className={result.ok ? "test-send-ok" : "form-error inline"}
            role="status"
            data-testid="test-send-result"
          >
            {result.text}
          </span>
        )}
      </div>
    </div>
  );
}
