/** Small inputs shared by the inspector panels. */
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/dict";

const UNITS = ["m", "h", "d", "w", "s"] as const;
const UNIT_LONG: Record<string, MessageKey> = {
  s: "unitLong.s",
  m: "unitLong.m",
  h: "unitLong.h",
  d: "unitLong.d",
  w: "unitLong.w",
};

export function parseDurationParts(text: unknown): { n: string; unit: string } {
  const m = typeof text === "string" ? /^(\d+)([smhdw])$/.exec(text) : null;
  return m
    ? { n: m[1]!, unit: m[2]! }
    : { n: typeof text === "string" ? text.replace(/\D/g, "") : "", unit: "h" };
}

/** A whole number and a unit, stored as the spec's duration string ("72h"). */
export function DurationInput({
  value,
  onChange,
  testId,
}: {
  value: unknown;
  onChange: (v: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const parts = parseDurationParts(value);
  const [n, setN] = useState(parts.n);
  useEffect(() => setN(parseDurationParts(value).n), [value]);
  return (
    <div className="duration-input" data-testid={testId}>
      <input
        type="number"
        min={0}
        step={1}
        value={n}
        aria-label={t("field.amount")}
        onChange={(e) => {
          setN(e.target.value);
          if (/^\d+$/.test(e.target.value)) onChange(`${Number(e.target.value)}${parts.unit}`);
        }}
      />
      <select
        value={parts.unit}
        aria-label={t("field.unit")}
        onChange={(e) => onChange(`${n === "" ? 1 : Number(n)}${e.target.value}`)}
      >
        {UNITS.map((u) => (
          <option key={u} value={u}>
            {t(UNIT_LONG[u]!)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Field({
  label,
  hint,
  children,
  error,
}: {
  label: string;
  hint?: string | undefined;
  children: ReactNode;
  error?: string | null | undefined;
}) {
  return (
    <div className={error ? "field has-error" : "field"}>
      <span>{label}</span>
      {children}
      {hint && !error && <small className="hint">{hint}</small>}
      {error && <small className="error-text">{error}</small>}
    </div>
  );
}

export function Section({
  title,
  children,
  aside,
}: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section className="insp-section">
      <div className="insp-section-head">
        <h3>{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** A switch whose text says the state it is in ("On" only when on), unless a fixed `label` names it. */
export function Toggle({
  checked,
  onChange,
  label,
  testId,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <label className="toggle" data-testid={testId} data-checked={checked}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="toggle-track" />
      <span>{label ?? (checked ? t("common.on") : t("common.off"))}</span>
    </label>
  );
}

/** A text input that commits as the user types but keeps its own text while focused. */
export function TextInput({
  value,
  onChange,
  placeholder,
  list,
  testId,
  mono,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder?: string | undefined;
  list?: string;
  testId?: string;
  mono?: boolean;
}) {
  return (
    <input
      type="text"
      className={mono ? "mono" : undefined}
      value={value}
      placeholder={placeholder}
      list={list}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export const COMMON_EVENTS = [
  "order_completed",
  "churn_signal",
  "cart_abandoned",
  "product_viewed",
  "email_opened",
  "email_clicked",
  "survey_submitted",
  "app_opened",
  "refund_requested",
  "support_ticket",
];

export function EventDatalist() {
  return (
    <datalist id="known-events">
      {COMMON_EVENTS.map((e) => (
        <option key={e} value={e} />
      ))}
    </datalist>
  );
}

export function timezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf?.("timeZone") ?? [];
  return list.length
    ? ["UTC", ...list.filter((z) => z !== "UTC")]
    : ["UTC", "Asia/Shanghai", "Europe/London", "America/New_York"];
}

export function TimezoneSelect({
  value,
  onChange,
  allowEmpty,
  emptyLabel,
}: {
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  allowEmpty?: boolean;
  emptyLabel?: string;
}) {
  const zones = timezones();
  return (
    <select value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
      {allowEmpty && <option value="">{emptyLabel}</option>}
      {value && !zones.includes(value) && <option value={value}>{value}</option>}
      {zones.map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </select>
  );
}
