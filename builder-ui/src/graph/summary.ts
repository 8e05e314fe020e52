/** What a node does, in one line a marketer can read at a glance: "Wait 72 h", "Churn risk ≥ 0.7". */
import { str } from "../ui/str";
import type { JourneyNode, LeafCondition, NestedCondition } from "../../../engine/schema";
import type { ActionType } from "../../../engine/schema";
import type { MessageKey } from "../i18n/dict";
import type { Lang, Translate } from "../i18n/translate";
import type { FactOption } from "./facts";
import { OPERATOR_SYMBOL, factLabel, valueText } from "./facts";

const UNIT_KEY: Record<string, MessageKey> = {
  s: "unit.s",
  m: "unit.m",
  h: "unit.h",
  d: "unit.d",
  w: "unit.w",
};

/** "72h" → "72 h" (en) / "72 小时" (zh); anything unparseable is shown as written. */
export function formatDurationText(text: unknown, t: Translate): string {
  if (typeof text !== "string") return "?";
  const m = /^(\d+)([smhdw])$/.exec(text);
  if (!m) return text;
  return `${m[1]} ${t(UNIT_KEY[m[2]!]!)}`;
}

export function leafText(
  leaf: LeafCondition,
  facts: readonly FactOption[],
  lang: Lang,
  t: Translate,
): string {
  const sym = OPERATOR_SYMBOL[leaf.operator];
  const op = sym ?? t(`op.${leaf.operator}` as MessageKey);
  const value = Array.isArray(leaf.value) ? `[${valueText(leaf.value)}]` : valueText(leaf.value) || "…";
  if (leaf.fact === "eventCount") {
    const p = (leaf.params ?? {}) as { event?: unknown; since?: unknown; within?: unknown };
    const scope =
      p.within !== undefined
        ? t("summary.within", { duration: formatDurationText(p.within, t) })
        : t("summary.sinceEntry");
    return t("summary.eventCount", { event: str(p.event, "?"), scope, op, value });
  }
  return `${factLabel(leaf, facts, lang)} ${op} ${value}`;
}

export function conditionLines(
  c: NestedCondition | undefined,
  facts: readonly FactOption[],
  lang: Lang,
  t: Translate,
  max = 3,
): string[] {
  if (!c || typeof c !== "object") return [t("summary.noConditions")];
  const lines: string[] = [];
  const walk = (n: NestedCondition, depth: number, joiner: string): void => {
    if ("all" in n || "any" in n) {
      const list = "all" in n ? n.all : n.any;
      const j = "all" in n ? t("cond.and") : t("cond.or");
      if (depth > 0 && list.length > 1) {
        lines.push(
          `${joiner}(${list.map((x) => ("fact" in x ? leafText(x, facts, lang, t) : "…")).join(` ${j} `)})`,
        );
        return;
      }
      list.forEach((x, i) => walk(x, depth + 1, i === 0 ? "" : `${j} `));
      return;
    }
    if ("not" in n) {
      lines.push(`${joiner}${t("cond.not")} (${"fact" in n.not ? leafText(n.not, facts, lang, t) : "…"})`);
      return;
    }
    lines.push(joiner + leafText(n, facts, lang, t));
  };
  walk(c, 0, "");
  if (lines.length === 0) return [t("summary.noConditions")];
  if (lines.length > max) return [...lines.slice(0, max), t("summary.more", { n: lines.length - max })];
  return lines;
}

const WEEKDAY_KEY: Record<string, MessageKey> = {
  mon: "day.mon",
  tue: "day.tue",
  wed: "day.wed",
  thu: "day.thu",
  fri: "day.fri",
  sat: "day.sat",
  sun: "day.sun",
};

export interface NodeSummary {
  title: string;
  lines: string[];
}

export function summarize(
  node: JourneyNode,
  ctx: { t: Translate; lang: Lang; facts: readonly FactOption[]; actions: readonly ActionType[] },
): NodeSummary {
  const { t, lang, facts } = ctx;
  const d = node.data as Record<string, unknown>;
  switch (node.type) {
    case "trigger":
      switch (d.kind) {
        case "event":
          return { title: t("summary.triggerEvent", { event: str(d.event, "?") }), lines: [] };
        case "audience":
          return {
            title: t("summary.triggerAudience", { schedule: str(d.schedule, "?") }),
            lines: conditionLines(d.conditions as NestedCondition, facts, lang, t, 2),
          };
        case "stage":
          return {
            title: t("summary.triggerStage", { stage: t(`stage.${String(d.to)}` as MessageKey) }),
            lines: [],
          };
        default:
          return { title: t("summary.triggerManual"), lines: [] };
      }
    case "condition":
      return {
        title: t("summary.condition"),
        lines: conditionLines(d.conditions as NestedCondition, facts, lang, t),
      };
    case "wait":
      if (d.kind === "until") {
        const days = Array.isArray(d.days)
          ? d.days.map((x) => t(WEEKDAY_KEY[String(x)] ?? "day.mon")).join(" ")
          : "";
        return {
          title: t("summary.waitUntil", { time: str(d.time, "?") }),
          lines: days ? [days] : [t("summary.everyDay")],
        };
      }
      if (d.kind === "event") {
        return {
          title: t("summary.waitEvent", { event: str(d.event, "?") }),
          lines: [t("summary.timeout", { duration: formatDurationText(d.timeout, t) })],
        };
      }
      return { title: t("summary.wait", { duration: formatDurationText(d.duration, t) }), lines: [] };
    case "split":
      if (d.kind === "holdout")
        return { title: t("summary.holdout", { percent: str(d.percent, "?") }), lines: [] };
      {
        const branches = Array.isArray(d.branches) ? (d.branches as { id: string; weight: number }[]) : [];
        const total = branches.reduce((s, b) => s + (Number(b.weight) || 0), 0);
        return {
          title: t("summary.split", { n: branches.length }),
          lines: [
            branches
              .map((b) => `${b.id} ${total > 0 ? Math.round(((Number(b.weight) || 0) / total) * 100) : 0}%`)
              .join(" · "),
          ],
        };
      }
    case "action": {
      const type = ctx.actions.find((a) => a.type === d.action);
      const name = type ? type.title[lang] : str(d.action, "?");
      const tpl = typeof d.template === "string" && d.template ? d.template : undefined;
      return { title: tpl ? `${name}: ${tpl}` : name, lines: tpl ? [] : paramsLine(d.params) };
    }
    case "exit":
      return { title: t("summary.exit"), lines: [] };
  }
}

function paramsLine(params: unknown): string[] {
  if (!params || typeof params !== "object") return [];
  const entries = Object.entries(params as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && v !== "" && typeof v !== "object",
  );
  if (entries.length === 0) return [];
  return [
    entries
      .slice(0, 2)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(" · "),
  ];
}
