/** Journey settings: name, time zone, re-entry, exit events, goal, quiet hours, frequency cap. */
import type { JourneySettings } from "../../../../engine/schema";
import type { JourneyMeta } from "../../graph/convert";
import { useI18n } from "../../i18n/i18n";
import { DurationInput, EventDatalist, Field, Section, TextInput, TimezoneSelect, Toggle } from "./fields";

export function SettingsPanel({
  meta,
  onChange,
  readOnly,
}: {
  meta: JourneyMeta;
  onChange: (m: JourneyMeta) => void;
  readOnly: boolean;
}) {
  const { t } = useI18n();
  const s: JourneySettings = meta.settings ?? {};
  const set = (patch: Partial<JourneySettings>): void => {
    const next: Record<string, unknown> = { ...s, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    onChange({ ...meta, settings: next });
  };
  const reentry = s.reentry ?? { mode: "once" as const };
  const exitOn = s.exitOn ?? [];
  return (
    <div className="inspector-body" data-testid="settings-panel">
      <div className="insp-head">
        <div>
          <div className="insp-title">{t("settings.title")}</div>
          <div className="insp-sub">{t("settings.subtitle")}</div>
        </div>
      </div>
      <fieldset disabled={readOnly} className="insp-fields">
        <Field label={t("settings.name")}>
          <TextInput
            value={meta.name}
            onChange={(v) => onChange({ ...meta, name: v })}
            testId="journey-name"
          />
        </Field>
        <Field label={t("settings.timezone")} hint={t("settings.timezoneHint")}>
          <TimezoneSelect
            value={s.timezone}
            onChange={(v) => set({ timezone: v })}
            allowEmpty
            emptyLabel="UTC"
          />
        </Field>

        <Section title={t("settings.reentry")}>
          <select
            value={reentry.mode}
            onChange={(e) => {
              const mode = e.target.value;
              set({
                reentry:
                  mode === "cooldown"
                    ? { mode: "cooldown", cooldown: "30d" }
                    : mode === "always"
                      ? { mode: "always" }
                      : { mode: "once" },
              });
            }}
            data-testid="reentry-mode"
          >
            <option value="once">{t("settings.reentryOnce")}</option>
            <option value="cooldown">{t("settings.reentryCooldown")}</option>
            <option value="always">{t("settings.reentryAlways")}</option>
          </select>
          {reentry.mode === "cooldown" && (
            <Field label={t("settings.cooldown")}>
              <DurationInput
                value={(reentry as { cooldown?: string }).cooldown}
                onChange={(d) => set({ reentry: { mode: "cooldown", cooldown: d } })}
              />
            </Field>
          )}
          <small className="hint">{t("settings.reentryHint")}</small>
        </Section>

        <Section title={t("settings.exitOn")}>
          {exitOn.length === 0 && <p className="muted small">{t("settings.exitOnEmpty")}</p>}
          {exitOn.map((x, i) => (
            <div className="row-inline" key={i}>
              <TextInput
                value={x.event}
                onChange={(v) => set({ exitOn: exitOn.map((y, j) => (j === i ? { ...y, event: v } : y)) })}
                list="known-events"
                mono
              />
              <button
                type="button"
                className="icon-btn"
                onClick={() => set({ exitOn: exitOn.filter((_, j) => j !== i) })}
                aria-label={t("common.remove")}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => set({ exitOn: [...exitOn, { event: "unsubscribed" }] })}
          >
            + {t("settings.addExit")}
          </button>
        </Section>

        <Section
          title={t("settings.goal")}
          aside={
            <Toggle
              checked={s.goal !== undefined}
              onChange={(on) => set({ goal: on ? { event: "order_completed", within: "14d" } : undefined })}
              testId="goal-toggle"
            />
          }
        >
          {s.goal ? (
            <>
              <Field label={t("settings.goalEvent")}>
                <TextInput
                  value={s.goal.event}
                  onChange={(v) => set({ goal: { ...s.goal!, event: v } })}
                  list="known-events"
                  mono
                />
              </Field>
              <Field label={t("settings.goalWithin")} hint={t("settings.goalHint")}>
                <DurationInput
                  value={s.goal.within}
                  onChange={(d) => set({ goal: { ...s.goal!, within: d } })}
                />
              </Field>
            </>
          ) : (
            <p className="muted small">{t("settings.goalOff")}</p>
          )}
        </Section>

        <Section
          title={t("settings.quietHours")}
          aside={
            <Toggle
              checked={s.quietHours !== undefined}
              onChange={(on) => set({ quietHours: on ? { start: "21:00", end: "09:00" } : undefined })}
            />
          }
        >
          {s.quietHours ? (
            <div className="row-inline">
              <Field label={t("settings.from")}>
                <input
                  type="time"
                  value={s.quietHours.start}
                  onChange={(e) => set({ quietHours: { ...s.quietHours!, start: e.target.value } })}
                />
              </Field>
              <Field label={t("settings.to")}>
                <input
                  type="time"
                  value={s.quietHours.end}
                  onChange={(e) => set({ quietHours: { ...s.quietHours!, end: e.target.value } })}
                />
              </Field>
            </div>
          ) : null}
          <small className="hint">{t("settings.quietHint")}</small>
        </Section>

        <Section
          title={t("settings.frequencyCap")}
          aside={
            <Toggle
              checked={s.frequencyCap !== undefined}
              onChange={(on) => set({ frequencyCap: on ? { max: 3, per: "7d" } : undefined })}
            />
          }
        >
          {s.frequencyCap ? (
            <div className="row-inline">
              <Field label={t("settings.capMax")}>
                <input
                  type="number"
                  min={1}
                  step={1}
                  value={s.frequencyCap.max}
                  onChange={(e) => set({ frequencyCap: { ...s.frequencyCap!, max: Number(e.target.value) } })}
                />
              </Field>
              <Field label={t("settings.capPer")}>
                <DurationInput
                  value={s.frequencyCap.per}
                  onChange={(d) => set({ frequencyCap: { ...s.frequencyCap!, per: d } })}
                />
              </Field>
            </div>
          ) : null}
          <small className="hint">{t("settings.capHint")}</small>
        </Section>
      </fieldset>
      <EventDatalist />
    </div>
  );
}
