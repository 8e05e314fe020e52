/** The canvas node: one component for every node type, saying what the node does at a glance. */
import { armName, percent } from "../results/verdict";
import { memo } from "react";
import { Handle, Position } from "@xyflow/react";
import type { NodeProps, NodeTypes } from "@xyflow/react";
import type { JourneyNode } from "../../../engine/schema";
import { renderIssue } from "../../../engine/schema/messages";
import { safePortsOf } from "../graph/rules";
import { summarize } from "../graph/summary";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/dict";
import type { FlowNode } from "../graph/convert";
import { useEditorEnv } from "./context";
import { NodeIcon } from "./icons";

const TYPE_KEY: Record<string, MessageKey> = {
  trigger: "node.trigger",
  condition: "node.condition",
  wait: "node.wait",
  split: "node.split",
  action: "node.action",
  exit: "node.exit",
};

const PORT_KEY: Record<string, MessageKey> = {
  yes: "port.yes",
  no: "port.no",
  matched: "port.matched",
  timeout: "port.timeout",
  next: "port.next",
  failed: "port.failed",
  holdout: "port.holdout",
  continue: "port.continue",
};

function JourneyNodeView({ id, type, data, selected }: NodeProps<FlowNode>) {
  const { t, lang, formatNumber } = useI18n();
  const env = useEditorEnv();
  const node = { id, type, data, position: { x: 0, y: 0 } } as JourneyNode;
  const summary = summarize(node, { t, lang, facts: env.facts, actions: env.actions });
  const ports = safePortsOf(node, env.actionPorts);
  const issues = env.issuesByNode.get(id);
  const stats = env.counts?.[id];
  const diff = env.diff?.get(id);
  const rates = env.armRates?.[id];
  const action =
    type === "action" ? env.actions.find((a) => a.type === (data as { action?: string }).action) : undefined;
  const kindLabel = action
    ? action.type.includes("/")
      ? t("node.customAction")
      : t("node.action")
    : t(TYPE_KEY[type] ?? "node.action");
  const showPortLabels = ports.length > 1 || (ports.length === 1 && ports[0] !== "next");
  const classes = [
    "jn",
    `jn-${type}`,
    action?.channel ? `jn-channel-${action.channel}` : "",
    selected ? "selected" : "",
    issues?.length ? "has-issue" : "",
    diff ? `diff-${diff}` : "",
  ].join(" ");
  return (
    <div className={classes} data-node-id={id} data-node-type={type}>
      {type !== "trigger" && <Handle type="target" position={Position.Top} className="jn-target" />}
      <div className="jn-head">
        <span className="jn-icon">
          <NodeIcon type={type} action={action} />
        </span>
        <span className="jn-kind">{kindLabel}</span>
        <span className="jn-id">{id}</span>
        {issues && issues.length > 0 && (
          <span className="jn-issue" title={issues.map((i) => renderIssue(i, lang)).join("\n")}>
            {issues.length}
          </span>
        )}
        {diff && diff !== "same" && <span className={`jn-diff jn-diff-${diff}`}>{t(`diff.${diff}`)}</span>}
      </div>
      <div className="jn-body">
        <div className="jn-title" data-testid="node-title">
          {summary.title}
        </div>
        {summary.lines.map((l, i) => (
          <div className="jn-line" key={i}>
            {l}
          </div>
        ))}
      </div>
      {stats && (
        <div className="jn-stats" data-testid="node-stats">
          <span title={t("live.entered")}>
            <b>{formatNumber(stats.entered ?? stats.executed ?? 0)}</b> {t("live.enteredShort")}
          </span>
          {(stats.waiting ?? 0) > 0 && (
            <span className="waiting" title={t("live.waiting")}>
              <b>{formatNumber(stats.waiting)}</b> {t("live.waitingShort")}
            </span>
          )}
          {(stats.failed ?? 0) > 0 && (
            <span className="failed">
              <b>{formatNumber(stats.failed)}</b> {t("live.failedShort")}
            </span>
          )}
        </div>
      )}
      {type === "split" && rates && rates.length > 0 && (
        <div className="jn-rates" data-testid="split-rates">
          {rates.map((r) => (
            <span key={r.arm} title={formatNumber(r.members)}>
              {armName(
                { kind: (data as { kind?: string }).kind === "holdout" ? "holdout" : "random" },
                r.arm,
                t,
              )}{" "}
              <b>{percent(r.rate)}</b>
            </span>
          ))}
        </div>
      )}
      {ports.length > 0 && (
        <div className={showPortLabels ? "jn-ports labeled" : "jn-ports"}>
          {ports.map((p, i) => {
            const left = `${((i + 1) / (ports.length + 1)) * 100}%`;
            const count = stats?.ports?.[p];
            return (
              <div className={`jn-port jn-port-${p}`} key={p} style={{ left }}>
                {showPortLabels && (
                  <span className="jn-port-label">
                    {PORT_KEY[p] ? t(PORT_KEY[p]) : p}
                    {count !== undefined && <b> {formatNumber(count)}</b>}
                  </span>
                )}
                <Handle
                  type="source"
                  id={p}
                  position={Position.Bottom}
                  className={`jn-source jn-source-${p}`}
                  data-port={p}
                />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

const View = memo(JourneyNodeView);

export const NODE_COMPONENTS = {
  trigger: View,
  condition: View,
  wait: View,
  split: View,
  action: View,
  exit: View,
} as unknown as NodeTypes;
