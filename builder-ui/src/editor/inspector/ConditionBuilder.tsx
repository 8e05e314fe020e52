// Over 300 lines: the nested group editor and the leaf editor (field, operator, value per type) are one widget.
/** Nested all/any/none groups over the facts catalog; operators offered by the field's type. */
import type { LeafCondition, NestedCondition, Operator, TopLevelCondition } from "../../../../engine/schema";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/dict";
import type { FactOption } from "../../graph/facts";
import { leafFor, operatorsFor, optionFor, parseValue, valueText } from "../../graph/facts";
import { DurationInput } from "./fields";

type GroupMode = "all" | "any" | "none";

function groupParts(c: NestedCondition): { mode: GroupMode; list: NestedCondition[] } | null {
  if ("all" in c) return { mode: "all", list: c.all };
  if ("any" in c) return { mode: "any", list: c.any };
  if ("not" in c) {
    const inner = c.not;
    if ("any" in inner) return { mode: "none", list: inner.any };
    return { mode: "none", list: [inner] };
  }
  return null;
}

function makeGroup(mode: GroupMode, list: NestedCondition[]): TopLevelCondition {
  if (mode === "all") return { all: list };
  if (mode === "any") return { any: list };
  return { not: { any: list } };
}

export function ConditionBuilder({
  value,
  onChange,
  facts,
  testId,
}: {
  value: TopLevelCondition | undefined;
  onChange: (v: TopLevelCondition) => void;
  facts: readonly FactOption[];
  testId?: string;
}) {
  const root: TopLevelCondition =
    value && typeof value === "object" && groupParts(value) ? value : { all: [] };
  return (
    <div className="cond-builder" data-testid={testId}>
      <Group value={root} onChange={(v) => onChange(v as TopLevelCondition)} facts={facts} depth={0} />
    </div>
  );
}

function Group({
  value,
  onChange,
  onRemove,
  facts,
  depth,
}: {
  value: NestedCondition;
  onChange: (v: NestedCondition) => void;
  onRemove?: () => void;
  facts: readonly FactOption[];
  depth: number;
}) {
  const { t } = useI18n();
  const parts = groupParts(value) ?? { mode: "all" as GroupMode, list: [] };
  const set = (list: NestedCondition[], mode = parts.mode): void => onChange(makeGroup(mode, list));
  const firstFact = facts.find((f) => f.fact === "customer") ?? facts[0];
  return (
    <div className={`cond-group depth-${depth}`}>
      <div className="cond-group-head">
        <select
          value={parts.mode}
          onChange={(e) => set(parts.list, e.target.value as GroupMode)}
          aria-label={t("cond.match")}
          data-testid="cond-mode"
        >
          <option value="all">{t("cond.matchAll")}</option>
          <option value="any">{t("cond.matchAny")}</option>
          <option value="none">{t("cond.matchNone")}</option>
        </select>
        <span className="muted">{t("cond.ofTheFollowing")}</span>
        {onRemove && (
          <button
            className="icon-btn"
            onClick={onRemove}
            aria-label={t("cond.removeGroup")}
            title={t("cond.removeGroup")}
          >
            ×
          </button>
        )}
      </div>
      <div className="cond-list">
        {parts.list.length === 0 && <div className="cond-empty">{t("cond.empty")}</div>}
        {parts.list.map((c, i) => {
          const replace = (v: NestedCondition): void => set(parts.list.map((x, j) => (j === i ? v : x)));
          const remove = (): void => set(parts.list.filter((_, j) => j !== i));
          return (
            <div className="cond-item" key={i}>
              {i > 0 && (
                <div className="cond-joiner">
                  {parts.mode === "any"
                    ? t("cond.or")
                    : parts.mode === "none"
                      ? t("cond.nor")
                      : t("cond.and")}
                </div>
              )}
              {"fact" in c ? (
                <Leaf value={c} onChange={replace} onRemove={remove} facts={facts} />
              ) : (
                <Group value={c} onChange={replace} onRemove={remove} facts={facts} depth={depth + 1} />
              )}
            </div>
          );
        })}
      </div>
      <div className="cond-actions">
        <button
          className="btn btn-sm btn-ghost"
          onClick={() => firstFact && set([...parts.list, leafFor(firstFact)])}
          data-testid="cond-add"
        >
          + {t("cond.addCondition")}
        </button>
        {depth < 3 && (
          <button
            className="btn btn-sm btn-ghost"
            onClick={() => set([...parts.list, { any: firstFact ? [leafFor(firstFact)] : [] }])}
            data-testid="cond-add-group"
          >
            + {t("cond.addGroup")}
          </button>
        )}
      </div>
    </div>
  );
}

const GROUP_KEY: Record<string, MessageKey> = {
  customer: "cond.groupCustomer",
  traits: "cond.groupCustomer",
  journey: "cond.groupJourney",
  eventCount: "cond.groupEvents",
  event: "cond.groupEvents",
};

function typeLabel(opt: FactOption | undefined, t: (k: MessageKey) => string): string {
  if (!opt) return "";
  const base = t(`type.${opt.type}`);
  return opt.unit ? `${base} · ${opt.unit}` : base;
}

function Leaf({
  value,
  onChange,
  onRemove,
  facts,
}: {
  value: LeafCondition;
  onChange: (v: LeafCondition) => void;
  onRemove: () => void;
  facts: readonly FactOption[];
}) {
  const { t, lang } = useI18n();
  const opt = optionFor(value, facts);
  const type = opt?.type ?? "any";
  const ops = operatorsFor(type);
  const groups = new Map<MessageKey, FactOption[]>();
  for (const f of facts) {
    const k = GROUP_KEY[f.fact] ?? "cond.groupCustomer";
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const params = (value.params ?? {}) as { event?: string; since?: string; within?: string };
  const isList = value.operator === "in" || value.operator === "notIn";
  return (
    <div className="cond-leaf" data-testid="cond-leaf">
      <div className="cond-row">
        <select
          className="cond-fact"
          value={opt?.id ?? ""}
          onChange={(e) => {
            const next = facts.find((f) => f.id === e.target.value);
            if (next) onChange(leafFor(next, value));
          }}
          aria-label={t("cond.field")}
          data-testid="cond-fact"
        >
          {!opt && <option value="">{value.path ?? value.fact}</option>}
          {[...groups].map(([g, list]) => (
            <optgroup key={g} label={t(g)}>
              {list.map((f) => (
                <option key={f.id} value={f.id} title={f.description?.[lang]}>
                  {f.label[lang]}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button
          className="icon-btn"
          onClick={onRemove}
          aria-label={t("cond.remove")}
          title={t("cond.remove")}
        >
          ×
        </button>
      </div>
      {opt && (
        <div className="cond-type">
          {typeLabel(opt, t)}
          {opt.description ? ` — ${opt.description[lang]}` : ""}
        </div>
      )}
      {opt?.custom && (
        <div className="cond-row">
          <span className="cond-prefix mono">{opt.custom === "traits" ? "traits." : "properties."}</span>
          <input
            className="mono"
            value={(value.path ?? "").replace(/^\$\.(traits|properties)\./, "")}
            placeholder={opt.custom === "traits" ? "city" : "revenue"}
            aria-label={t("cond.path")}
            onChange={(e) => {
              const name = e.target.value.trim();
              onChange({ ...value, path: `$.${opt.custom === "traits" ? "traits" : "properties"}.${name}` });
            }}
          />
        </div>
      )}
      {value.fact === "eventCount" && (
        <div className="cond-row cond-params">
          <input
            list="known-events"
            value={params.event ?? ""}
            placeholder={t("cond.eventName")}
            aria-label={t("cond.eventName")}
            onChange={(e) => onChange({ ...value, params: { ...params, event: e.target.value } })}
          />
          <select
            value={params.within !== undefined ? "within" : "entry"}
            onChange={(e) => {
              const { since: _s, within: _w, ...rest } = params;
              onChange({
                ...value,
                params:
                  e.target.value === "within" ? { ...rest, within: "30d" } : { ...rest, since: "entry" },
              });
            }}
            aria-label={t("cond.scope")}
          >
            <option value="entry">{t("cond.sinceEntry")}</option>
            <option value="within">{t("cond.inLast")}</option>
          </select>
          {params.within !== undefined && (
            <DurationInput
              value={params.within}
              onChange={(d) => onChange({ ...value, params: { ...params, within: d } })}
            />
          )}
        </div>
      )}
      <div className="cond-row">
        <select
          className="cond-op"
          value={value.operator}
          onChange={(e) => {
            const operator = e.target.value as Operator;
            const wasList = isList;
            const nowList = operator === "in" || operator === "notIn";
            let v = value.value;
            if (nowList && !wasList) v = v === "" || v === undefined ? [] : [v];
            if (!nowList && wasList) v = Array.isArray(v) ? (v[0] ?? "") : v;
            onChange({ ...value, operator, value: v });
          }}
          aria-label={t("cond.operator")}
          data-testid="cond-op"
        >
          {!ops.includes(value.operator) && (
            <option value={value.operator}>{t(`op.${value.operator}`)}</option>
          )}
          {ops.map((o) => (
            <option key={o} value={o}>
              {t(`op.${o}`)}
            </option>
          ))}
        </select>
        {type === "enum" && !isList ? (
          <select
            value={valueText(value.value)}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
            aria-label={t("cond.value")}
            data-testid="cond-value"
          >
            {(opt?.enum ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        ) : type === "boolean" ? (
          <select
            value={String(value.value)}
            onChange={(e) => onChange({ ...value, value: e.target.value === "true" })}
            aria-label={t("cond.value")}
            data-testid="cond-value"
          >
            <option value="true">{t("common.true")}</option>
            <option value="false">{t("common.false")}</option>
          </select>
        ) : (
          <ValueBox
            key={`${value.operator}-${type}`}
            initial={valueText(value.value)}
            numeric={type === "number" && !isList}
            placeholder={isList ? t("cond.listHint") : t("cond.value")}
            onCommit={(text) => onChange({ ...value, value: parseValue(text, type, value.operator) })}
          />
        )}
      </div>
    </div>
  );
}

function ValueBox({
  initial,
  numeric,
  placeholder,
  onCommit,
}: {
  initial: string;
  numeric: boolean;
  placeholder: string;
  onCommit: (text: string) => void;
}) {
  const { t } = useI18n();
  return (
    <input
      type={numeric ? "number" : "text"}
      step="any"
      defaultValue={initial}
      placeholder={placeholder}
      aria-label={t("cond.value")}
      data-testid="cond-value"
      onChange={(e) => onCommit(e.target.value)}
    />
  );
}
