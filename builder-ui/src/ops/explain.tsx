/** Step details shared by the run log and the customer trace: condition explanations, lateness, reasons. */
import { str } from "../ui/str";
import type { StepRow } from "../../../engine/schema";
import { OPERATOR_SYMBOL } from "../graph/facts";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/dict";
import type { ExplainLeaf } from "../../../engine/schema";
import { isMessageKey } from "../i18n/translate";

const show = (v: unknown): string => (v === undefined ? "∅" : typeof v === "string" ? v : JSON.stringify(v));

export function formatLate(
  ms: number | null | undefined,
  t: (k: MessageKey, v?: Record<string, string | number>) => string,
): string | null {
  if (ms === null || ms === undefined || ms < 1000) return null;
  if (ms < 60_000) return t("trace.lateBy", { d: `${Math.round(ms / 1000)}s` });
  if (ms < 3_600_000) return t("trace.lateBy", { d: `${Math.round(ms / 60_000)}m` });
  return t("trace.lateBy", { d: `${(ms / 3_600_000).toFixed(1)}h` });
}

export function explainOf(step: StepRow): ExplainLeaf[] | null {
  const d = step.detail as { explain?: unknown } | null | undefined;
  const e = d?.explain ?? step.explain;
  return Array.isArray(e) ? (e as ExplainLeaf[]) : null;
}

export function ExplainList({ leaves }: { leaves: ExplainLeaf[] }) {
  const { t } = useI18n();
  return (
    <ul className="explain" data-testid="explain">
      {leaves.map((l, i) => {
        const name =
          l.fact === "eventCount"
            ? `${t("trace.countOf")} ${str(l.params?.event, "?")}`
            : `${l.fact}${l.path ? l.path.replace(/^\$/, "") : ""}`;
        return (
          <li key={i} className={l.result ? "pass" : "fail"}>
            <span className="explain-mark">{l.result ? "✓" : "✗"}</span>
            <span className="mono">{name}</span>
            <span className="explain-was">
              {t("trace.was")} <b>{show(l.value)}</b>
            </span>
            <span className="explain-op">
              {OPERATOR_SYMBOL[l.operator] ?? t(`op.${l.operator}`)} {show(l.expected)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

const OUTCOME_CLASS: Record<string, string> = {
  failed: "bad",
  capped: "warn",
  skipped: "warn",
  deferred: "warn",
  retry: "warn",
  waiting: "info",
  queued: "info",
  exited: "muted",
  converted: "good",
  delivered: "good",
  entered: "good",
};

export function OutcomeTag({
  outcome,
  reason,
}: {
  outcome?: string | undefined;
  reason?: string | null | undefined;
}) {
  const { t } = useI18n();
  return (
    <span
      className={`tag tag-${OUTCOME_CLASS[outcome ?? ""] ?? "plain"}`}
      data-outcome={outcome}
      title={reason ?? undefined}
    >
      {outcome ? labelOf(t, ["outcome", "runStatus"], outcome) : "—"}
      {reason ? " · " : ""}
      {reason ? (
        isMessageKey(`reason.${reason}`) ? (
          t(`reason.${reason}` as MessageKey)
        ) : (
          // A provider's own words (an error message): shown as it came, not the builder's to translate.
          <span data-user-content>{reason}</span>
        )
      ) : null}
    </span>
  );
}

/** The label of a closed-vocabulary value (an outcome, a port, a node type), or the value itself. */
export function labelOf(t: (k: MessageKey) => string, prefixes: readonly string[], value: string): string {
  for (const p of prefixes) if (isMessageKey(`${p}.${value}`)) return t(`${p}.${value}` as MessageKey);
  return value;
}
