/** Drag a step onto the canvas (or click it to drop it in the middle). */
import { useState } from "react";
import type { DragEvent } from "react";
import type { ActionType, TemplateSummary } from "../../../engine/schema";
import { defaultsFor, fieldsFromSchema } from "../forms/schemaForm";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/dict";
import { NodeIcon } from "./icons";

export interface PaletteItem {
  key: string;
  type: string;
  data: Record<string, unknown>;
  label: string;
  hint: string;
  action?: ActionType;
}

export const DRAG_MIME = "application/x-rekindle-node";

export function controlItems(t: (k: MessageKey) => string): PaletteItem[] {
  return [
    {
      key: "trigger",
      type: "trigger",
      data: { kind: "event", event: "churn_signal" },
      label: t("node.trigger"),
      hint: t("palette.triggerHint"),
    },
    {
      key: "condition",
      type: "condition",
      data: {
        conditions: {
          all: [{ fact: "customer", path: "$.churnRisk", operator: "greaterThanInclusive", value: 0.7 }],
        },
      },
      label: t("node.condition"),
      hint: t("palette.conditionHint"),
    },
    {
      key: "wait",
      type: "wait",
      data: { kind: "duration", duration: "1d" },
      label: t("node.wait"),
      hint: t("palette.waitHint"),
    },
    {
      key: "split",
      type: "split",
      data: {
        kind: "random",
        branches: [
          { id: "a", weight: 50 },
          { id: "b", weight: 50 },
        ],
      },
      label: t("node.split"),
      hint: t("palette.splitHint"),
    },
    { key: "exit", type: "exit", data: {}, label: t("node.exit"), hint: t("palette.exitHint") },
  ];
}

export function actionItem(
  a: ActionType,
  templates: readonly TemplateSummary[],
  pick: (x: ActionType["title"]) => string,
): PaletteItem {
  const params = defaultsFor(fieldsFromSchema(a.config));
  const data: Record<string, unknown> = { action: a.type };
  const channel = a.template?.channel ?? a.channel;
  if (a.template?.required && channel) {
    const tpl = templates.find((tp) => tp.channel === channel);
    if (tpl) data.template = tpl.name;
  }
  if (Object.keys(params).length) data.params = params;
  return {
    key: `action:${a.type}`,
    type: "action",
    data,
    label: pick(a.title),
    hint: a.description ? pick(a.description) : a.type,
    action: a,
  };
}

export function Palette({
  actions,
  templates,
  onAdd,
  disabled,
}: {
  actions: readonly ActionType[];
  templates: readonly TemplateSummary[];
  onAdd: (item: PaletteItem) => void;
  disabled: boolean;
}) {
  const { t, pick } = useI18n();
  const [q, setQ] = useState("");
  const match = (i: PaletteItem): boolean =>
    !q || `${i.label} ${i.hint} ${i.key}`.toLowerCase().includes(q.toLowerCase());
  const controls = controlItems(t).filter(match);
  const acts = actions.map((a) => actionItem(a, templates, pick)).filter(match);
  const builtIn = acts.filter((i) => !i.action?.type.includes("/"));
  const custom = acts.filter((i) => i.action?.type.includes("/"));
  const render = (i: PaletteItem) => (
    <div
      key={i.key}
      className={`palette-item jn-${i.type}`}
      draggable={!disabled}
      data-palette={i.key}
      title={i.hint}
      onDragStart={(e: DragEvent) => {
        e.dataTransfer.setData(DRAG_MIME, i.key);
        e.dataTransfer.effectAllowed = "move";
      }}
      onDoubleClick={() => !disabled && onAdd(i)}
    >
      <span className="palette-icon">
        <NodeIcon type={i.type} action={i.action} />
      </span>
      <span className="palette-text">
        <span className="palette-label">{i.label}</span>
        <span className="palette-hint">{i.hint}</span>
      </span>
      {!disabled && (
        <button
          className="palette-add"
          onClick={() => onAdd(i)}
          aria-label={t("palette.add")}
          title={t("palette.add")}
        >
          +
        </button>
      )}
    </div>
  );
  return (
    <aside className="palette" data-testid="palette">
      <input
        className="search palette-search"
        type="search"
        placeholder={t("palette.search")}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <div className="palette-scroll">
        {controls.length > 0 && <div className="palette-group">{t("palette.flow")}</div>}
        {controls.map(render)}
        {builtIn.length > 0 && <div className="palette-group">{t("palette.actions")}</div>}
        {builtIn.map(render)}
        {custom.length > 0 && <div className="palette-group">{t("palette.custom")}</div>}
        {custom.map(render)}
        {!disabled && <p className="palette-tip">{t("palette.tip")}</p>}
      </div>
    </aside>
  );
}
