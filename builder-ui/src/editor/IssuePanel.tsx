/** The server's validation issues, listed under the canvas; clicking one focuses its node. */
import type { ValidationIssue } from "../../../engine/schema";
import { renderIssue } from "../../../engine/schema/messages";
import type { ValidateResult } from "../../../engine/schema";
import type { FlowNode } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import { Spinner } from "../ui/common";

export function IssuePanel({
  validation,
  validating,
  open,
  onToggle,
  onFocus,
  nodes,
}: {
  validation: ValidateResult | null;
  validating: boolean;
  open: boolean;
  onToggle: () => void;
  onFocus: (id: string) => void;
  nodes: readonly FlowNode[];
}) {
  const { t, lang } = useI18n();
  const issues = validation?.issues ?? [];
  const warnings = validation?.warnings ?? [];
  const ok = validation?.ok === true;
  const where = (i: ValidationIssue): string => {
    if (i.nodeId) {
      const n = nodes.find((x) => x.id === i.nodeId);
      return n ? `${t(`node.${n.type}`)} ${i.nodeId}` : i.nodeId;
    }
    if (i.edgeId) return `${t("issues.edge")} ${i.edgeId}`;
    return t("issues.journey");
  };
  return (
    <div
      className={`issue-panel ${open ? "open" : ""} ${ok ? "ok" : issues.length ? "bad" : ""}`}
      data-testid="issue-panel"
      data-issues={issues.length}
    >
      <button className="issue-bar" onClick={onToggle} aria-expanded={open}>
        {validating ? (
          <Spinner small />
        ) : (
          <span className={ok ? "dot dot-ok" : issues.length ? "dot dot-bad" : "dot"} />
        )}
        <span className="issue-summary" data-testid="issue-summary">
          {!validation
            ? t("issues.checking")
            : ok
              ? t("issues.clean")
              : t("issues.count", { n: issues.length })}
          {warnings.length > 0 && (
            <span className="muted"> · {t("issues.warnings", { n: warnings.length })}</span>
          )}
        </span>
        <span className="issue-chevron">{open ? "▾" : "▴"}</span>
      </button>
      {open && (
        <ul className="issue-list">
          {issues.length === 0 && warnings.length === 0 && <li className="muted">{t("issues.none")}</li>}
          {[
            ...issues.map((i) => ({ i, level: "error" })),
            ...warnings.map((i) => ({ i, level: "warning" })),
          ].map(({ i, level }, k) => (
            <li key={k} className={`issue issue-${level}`} data-node={i.nodeId} data-edge={i.edgeId}>
              <button disabled={!i.nodeId} onClick={() => i.nodeId && onFocus(i.nodeId)}>
                <span className="issue-where">{where(i)}</span>
                <span className="issue-msg">{renderIssue(i, lang)}</span>
                {i.path && <span className="issue-path mono">{i.path}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
