// Over 300 lines: one small panel per node type (trigger, wait, split, action), each a function here
// sharing the inspector's kind tabs and field helpers.
/** The inspector for the selected node: one panel per control type, a generated form for actions. */
import { labelOf } from "../../ops/explain";
import { str } from "../../ui/str";
import { useMemo } from "react";
import type { JourneyNode, TopLevelCondition } from "../../../../engine/schema";
import { LIFECYCLE_STAGES, WEEKDAYS } from "../../../../engine/schema";
import type { ActionType } from "../../../../engine/schema";
import { defaultsFor, fieldsFromSchema } from "../../forms/schemaForm";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/dict";
import type { FactOption } from "../../graph/facts";
import { useEditorEnv } from "../context";
import { NodeIcon } from "../icons";
import { ConditionBuilder } from "./ConditionBuilder";
import { DurationInput, EventDatalist, Field, Section, TextInput, TimezoneSelect, Toggle } from "./fields";
import { SchemaForm } from "./SchemaForm";
import { TemplatePicker } from "./TemplatePicker";

type Data = Record<string, unknown>;

export interface NodeInspectorProps {
  node: JourneyNode;
  readOnly: boolean;
  onChange: (data: Data, renamePort?: [string, string]) => void;
  onDelete: () => void;
}

const TYPE_KEY: Record<string, MessageKey> = {
  trigger: "node.trigger",
  condition: "node.condition",
  wait: "node.wait",
  split: "node.split",
  action: "node.action",
  exit: "node.exit",
};
const HELP_KEY: Record<string, MessageKey> = {
  trigger: "help.trigger",
  condition: "help.condition",
  wait: "help.wait",
  split: "help.split",
  action: "help.action",
  exit: "help.exit",
};

export function NodeInspector({ node, readOnly, onChange, onDelete }: NodeInspectorProps) {
  const { t } = useI18n();
  const env = useEditorEnv();
  const data = node.data as Data;
  const set = (patch: Data): void => onChange({ ...data, ...patch });
  const action = node.type === "action" ? env.actions.find((a) => a.type === data.action) : undefined;
  return (
    <div className="inspector-body" data-testid="node-inspector" data-node={node.id}>
      <div className="insp-head">
        <span className={`insp-icon jn-${node.type}`}>
          <NodeIcon type={node.type} action={action} />
        </span>
        <div>
          <div className="insp-title">{t(TYPE_KEY[node.type] ?? "node.action")}</div>
          <div className="insp-sub mono">{node.id}</div>
        </div>
        {!readOnly && (
          <button className="btn btn-sm btn-danger-ghost" onClick={onDelete} data-testid="delete-node">
            {t("common.delete")}
          </button>
        )}
      </div>
      <p className="insp-help">{t(HELP_KEY[node.type] ?? "help.action")}</p>
      <fieldset disabled={readOnly} className="insp-fields">
        {node.type === "trigger" && <TriggerPanel data={data} set={set} onChange={onChange} />}
        {node.type === "condition" && (
          <Section title={t("insp.conditions")}>
            <ConditionBuilder
              value={data.conditions as TopLevelCondition}
              onChange={(c) => set({ conditions: c })}
              facts={env.facts}
              testId="condition-builder"
            />
          </Section>
        )}
        {node.type === "wait" && <WaitPanel data={data} set={set} onChange={onChange} />}
        {node.type === "split" && <SplitPanel data={data} set={set} onChange={onChange} />}
        {node.type === "action" && <ActionPanel data={data} set={set} onChange={onChange} />}
        {node.type === "exit" && <p className="muted small">{t("insp.exitText")}</p>}
      </fieldset>
      <EventDatalist />
    </div>
  );
}

interface PanelProps {
  data: Data;
  set: (patch: Data) => void;
  onChange: (data: Data, renamePort?: [string, string]) => void;
}

function KindTabs<K extends string>({
  value,
  kinds,
  onPick,
  label,
}: {
  value: string;
  kinds: readonly K[];
  onPick: (k: K) => void;
  label: (k: K) => string;
}) {
  return (
    <div className="segmented segmented-block" role="tablist">
      {kinds.map((k) => (
        <button
          key={k}
          type="button"
          className={value === k ? "active" : ""}
          onClick={() => onPick(k)}
          data-kind={k}
        >
          {label(k)}
        </button>
      ))}
    </div>
  );
}

function TriggerPanel({ data, set, onChange }: PanelProps) {
  const { t } = useI18n();
  const env = useEditorEnv();
  const kind = str(data.kind, "event");
  const pick = (k: "event" | "audience" | "stage" | "manual"): void => {
    if (k === kind) return;
    if (k === "event") onChange({ kind: k, event: "churn_signal" });
    if (k === "audience")
      onChange({
        kind: k,
        schedule: "0 10 * * *",
        conditions: { all: [{ fact: "customer", path: "$.stage", operator: "equal", value: "dormant" }] },
      });
    if (k === "stage") onChange({ kind: k, to: "dormant" });
    if (k === "manual") onChange({ kind: k });
  };
  return (
    <>
      <Section title={t("insp.entersWhen")}>
        <KindTabs
          value={kind}
          kinds={["event", "audience", "stage", "manual"] as const}
          onPick={pick}
          label={(k) => t(`trigger.${k}`)}
        />
      </Section>
      {kind === "event" && (
        <>
          <Field label={t("insp.eventName")} hint={t("insp.eventHint")}>
            <TextInput
              value={str(data.event, "")}
              onChange={(v) => set({ event: v })}
              list="known-events"
              testId="trigger-event"
              mono
            />
          </Field>
          <EventFilter where={data.where} onChange={(where) => set({ where })} facts={env.facts} />
        </>
      )}
      {kind === "audience" && (
        <>
          <Field label={t("insp.schedule")} hint={t("insp.scheduleHint")}>
            <TextInput value={str(data.schedule, "")} onChange={(v) => set({ schedule: v })} mono />
          </Field>
          <div className="chips">
            {[
              ["0 10 * * *", "insp.daily10"],
              ["0 10 * * 1", "insp.weeklyMon"],
              ["0 9 1 * *", "insp.monthly"],
            ].map(([cron, key]) => (
              <button key={cron} type="button" className="chip" onClick={() => set({ schedule: cron })}>
                {t(key as MessageKey)}
              </button>
            ))}
          </div>
          <Field label={t("insp.scheduleTz")}>
            <TimezoneSelect
              value={data.timezone as string | undefined}
              onChange={(v) => set({ timezone: v })}
              allowEmpty
              emptyLabel={t("insp.journeyTz")}
            />
          </Field>
          <Section title={t("insp.audience")}>
            <ConditionBuilder
              value={data.conditions as TopLevelCondition}
              onChange={(c) => set({ conditions: c })}
              facts={env.facts}
            />
          </Section>
        </>
      )}
      {kind === "stage" && (
        <Field label={t("insp.stageTo")}>
          <select value={str(data.to, "")} onChange={(e) => set({ to: e.target.value })}>
            {LIFECYCLE_STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      )}
      {kind === "manual" && <p className="muted small">{t("insp.manualText")}</p>}
    </>
  );
}

function WaitPanel({ data, set, onChange }: PanelProps) {
  const { t } = useI18n();
  const env = useEditorEnv();
  const kind = str(data.kind, "duration");
  const pick = (k: "duration" | "until" | "event"): void => {
    if (k === kind) return;
    if (k === "duration") onChange({ kind: k, duration: "1d" });
    if (k === "until") onChange({ kind: k, time: "10:00" });
    if (k === "event") onChange({ kind: k, event: "order_completed", timeout: "3d" });
  };
  const days = Array.isArray(data.days) ? (data.days as string[]) : [];
  return (
    <div data-testid="wait-editor">
      <Section title={t("insp.waitFor")}>
        <KindTabs
          value={kind}
          kinds={["duration", "until", "event"] as const}
          onPick={pick}
          label={(k) => t(`wait.${k}`)}
        />
      </Section>
      {kind === "duration" && (
        <Field label={t("insp.duration")} hint={t("insp.durationHint")}>
          <DurationInput
            value={data.duration}
            onChange={(d) => set({ duration: d })}
            testId="wait-duration"
          />
        </Field>
      )}
      {kind === "until" && (
        <>
          <Field label={t("insp.localTime")} hint={t("insp.localTimeHint")}>
            <input type="time" value={str(data.time, "")} onChange={(e) => set({ time: e.target.value })} />
          </Field>
          <Field label={t("insp.onDays")}>
            <div className="weekdays">
              {WEEKDAYS.map((d) => {
                const on = days.includes(d);
                return (
                  <button
                    key={d}
                    type="button"
                    className={on ? "day on" : "day"}
                    aria-pressed={on}
                    onClick={() => {
                      const next = on
                        ? days.filter((x) => x !== d)
                        : WEEKDAYS.filter((w) => w === d || days.includes(w));
                      set({ days: next.length ? next : undefined });
                    }}
                  >
                    {t(`day.${d}`)}
                  </button>
                );
              })}
            </div>
            <small className="hint">{days.length ? "" : t("insp.anyDay")}</small>
          </Field>
          <Field label={t("insp.timezone")}>
            <TimezoneSelect
              value={data.timezone as string | undefined}
              onChange={(v) => set({ timezone: v })}
              allowEmpty
              emptyLabel={t("insp.customerTz")}
            />
          </Field>
        </>
      )}
      {kind === "event" && (
        <>
          <Field label={t("insp.eventName")}>
            <TextInput
              value={str(data.event, "")}
              onChange={(v) => set({ event: v })}
              list="known-events"
              mono
            />
          </Field>
          <Field label={t("insp.timeout")} hint={t("insp.timeoutHint")}>
            <DurationInput value={data.timeout} onChange={(d) => set({ timeout: d })} />
          </Field>
          <EventFilter where={data.where} onChange={(where) => set({ where })} facts={env.facts} />
        </>
      )}
    </div>
  );
}

function SplitPanel({ data, set, onChange }: PanelProps) {
  const { t } = useI18n();
  const kind = str(data.kind, "random");
  const branches = Array.isArray(data.branches) ? (data.branches as { id: string; weight: number }[]) : [];
  const total = branches.reduce((s, b) => s + (Number(b.weight) || 0), 0);
  return (
    <>
      <Section title={t("insp.splitKind")}>
        <KindTabs
          value={kind}
          kinds={["random", "holdout"] as const}
          onPick={(k) =>
            k !== kind &&
            onChange(
              k === "random"
                ? {
                    kind: k,
                    branches: [
                      { id: "a", weight: 50 },
                      { id: "b", weight: 50 },
                    ],
                  }
                : { kind: k, percent: 10 },
            )
          }
          label={(k) => t(`split.${k}`)}
        />
      </Section>
      {kind === "random" && (
        <Section title={t("insp.branches")}>
          <table className="mini-table">
            <thead>
              <tr>
                <th>{t("insp.branchId")}</th>
                <th>{t("insp.weight")}</th>
                <th>%</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {branches.map((b, i) => (
                <tr key={i}>
                  <td>
                    <input
                      className="mono"
                      value={b.id}
                      onChange={(e) =>
                        onChange(
                          {
                            ...data,
                            branches: branches.map((x, j) => (j === i ? { ...x, id: e.target.value } : x)),
                          },
                          [b.id, e.target.value],
                        )
                      }
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      value={b.weight}
                      onChange={(e) =>
                        set({
                          branches: branches.map((x, j) =>
                            j === i ? { ...x, weight: Number(e.target.value) } : x,
                          ),
                        })
                      }
                    />
                  </td>
                  <td className="num muted">
                    {total > 0 ? Math.round(((Number(b.weight) || 0) / total) * 100) : 0}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="icon-btn"
                      disabled={branches.length <= 1}
                      onClick={() => set({ branches: branches.filter((_, j) => j !== i) })}
                      aria-label={t("common.remove")}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => {
              const used = new Set(branches.map((b) => b.id));
              const id =
                "abcdefghijklmnopqrstuvwxyz".split("").find((c) => !used.has(c)) ?? `b${branches.length + 1}`;
              set({ branches: [...branches, { id, weight: 0 }] });
            }}
          >
            + {t("insp.addBranch")}
          </button>
        </Section>
      )}
      {kind === "holdout" && (
        <Field label={t("insp.holdoutPercent")} hint={t("insp.holdoutHint")}>
          <input
            type="number"
            min={0}
            max={100}
            value={Number(data.percent ?? 0)}
            onChange={(e) => set({ percent: Number(e.target.value) })}
          />
        </Field>
      )}
    </>
  );
}

function ActionPanel({ data, set, onChange }: PanelProps) {
  const { t, pick } = useI18n();
  const env = useEditorEnv();
  const action: ActionType | undefined = env.actions.find((a) => a.type === data.action);
  const fields = useMemo(() => (action ? fieldsFromSchema(action.config) : []), [action]);
  const takesTemplate =
    Boolean(action?.template) || Boolean(action?.channel) || typeof data.template === "string";
  return (
    <>
      <Field label={t("insp.actionType")} hint={action?.description ? pick(action.description) : undefined}>
        <select
          value={str(data.action, "")}
          onChange={(e) => {
            const next = env.actions.find((a) => a.type === e.target.value);
            const params = next ? defaultsFor(fieldsFromSchema(next.config)) : {};
            onChange({ action: e.target.value, ...(Object.keys(params).length ? { params } : {}) });
          }}
          data-testid="action-type"
        >
          {!action && <option value={str(data.action, "")}>{str(data.action, "")}</option>}
          {env.actions.map((a) => (
            <option key={a.type} value={a.type}>
              {pick(a.title)}
              {a.type.includes("/") ? ` · ${a.type}` : ""}
            </option>
          ))}
        </select>
      </Field>
      {takesTemplate && (
        <Section title={t("insp.message")}>
          <TemplatePicker
            value={typeof data.template === "string" ? data.template : undefined}
            channel={action?.template?.channel ?? action?.channel}
            templates={env.templates}
            required={action?.template?.required ?? false}
            onChange={(v) => set({ template: v })}
          />
        </Section>
      )}
      <Section title={t("insp.settings")}>
        <SchemaForm
          fields={fields}
          value={data.params && typeof data.params === "object" ? (data.params as Data) : {}}
          onChange={(p) => set({ params: Object.keys(p).length ? p : undefined })}
        />
      </Section>
      {action && (
        <p className="muted small">
          {t("insp.ports")}: {action.ports.map((p) => labelOf(t, ["port"], p)).join(", ")}
        </p>
      )}
    </>
  );
}

/** "Only when the event matches": the optional `where` of an event trigger or a wait-for-event. */
function EventFilter({
  where,
  onChange,
  facts,
}: {
  where: unknown;
  onChange: (where: TopLevelCondition | undefined) => void;
  facts: readonly FactOption[];
}) {
  const { t } = useI18n();
  return (
    <Section
      title={t("insp.onlyWhen")}
      aside={
        <Toggle
          checked={where !== undefined}
          onChange={(on) => onChange(on ? { all: [] } : undefined)}
          label={t("insp.filter")}
        />
      }
    >
      {where !== undefined && (
        <ConditionBuilder
          value={where as TopLevelCondition}
          onChange={(c) => onChange(c)}
          facts={facts.filter((f) => f.fact === "event")}
        />
      )}
    </Section>
  );
}
