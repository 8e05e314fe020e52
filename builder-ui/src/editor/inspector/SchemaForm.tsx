// Over 300 lines: one renderer per JSON Schema field kind (the generic form for every action), kept together.
/** The one generic form: renders any action's config from its JSON Schema. */
import type { ReactNode } from "react";
import { useState } from "react";
import { str } from "../../ui/str";
import { useI18n } from "../../i18n/i18n";
import type { FieldProblem, FieldSpec } from "../../forms/schemaForm";
import { coerce, fieldProblem, keyProblem } from "../../forms/schemaForm";
import type { Translate } from "../../i18n/translate";
import { isMessageKey } from "../../i18n/translate";
import type { MessageKey } from "../../i18n/dict";

export function problemText(p: FieldProblem | null, t: Translate): string | null {
  if (!p) return null;
  switch (p.code) {
    case "required":
      return t("form.required");
    case "notNumber":
      return t("form.notNumber");
    case "notInteger":
      return t("form.notInteger");
    case "min":
      return t("form.min", { n: p.limit });
    case "max":
      return t("form.max", { n: p.limit });
    case "pattern":
      return t("form.pattern", { pattern: p.pattern });
    case "format":
      return t("form.format", { format: p.format });
    case "badJson":
      return t("form.badJson");
    case "badKey":
      return t("form.badKey", { key: p.key, pattern: p.pattern });
    case "duplicateKey":
      return t("form.duplicateKey", { key: p.key });
  }
}

export function SchemaForm({
  fields,
  value,
  onChange,
}: {
  fields: readonly FieldSpec[];
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
}) {
  const { t } = useI18n();
  if (fields.length === 0) return <p className="muted small">{t("form.noParams")}</p>;
  return (
    <div className="schema-form" data-testid="schema-form">
      {fields.map((f) => (
        <SchemaField
          key={f.key}
          field={f}
          value={value[f.key]}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined) delete next[f.key];
            else next[f.key] = v;
            onChange(next);
          }}
        />
      ))}
    </div>
  );
}

interface FieldProps {
  field: FieldSpec;
  value: unknown;
  onChange: (v: unknown) => void;
}

function SchemaField({ field, value, onChange }: FieldProps) {
  const { t } = useI18n();
  const [touched, setTouched] = useState(false);
  const problem = touched ? problemText(fieldProblem(field, value), t) : null;
  const label = (
    <span>
      {fieldLabel(field, t)}
      {field.required && <em className="req"> *</em>}
    </span>
  );
  const wrap = (input: ReactNode) => (
    <div className={problem ? "field has-error" : "field"} data-field={field.key}>
      {label}
      {input}
      {field.description && !problem && <small className="hint">{field.description}</small>}
      {problem && <small className="error-text">{problem}</small>}
    </div>
  );
  const common = { onBlur: () => setTouched(true), name: field.key };
  switch (field.kind) {
    case "boolean":
      return (
        <label className="field field-check" data-field={field.key}>
          <input
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(coerce(field, e.target.checked))}
          />
          <span>{fieldLabel(field, t)}</span>
          {field.description && <small className="hint">{field.description}</small>}
        </label>
      );
    case "enum":
      return wrap(
        <select {...common} value={str(value)} onChange={(e) => onChange(coerce(field, e.target.value))}>
          {!field.required && <option value="">—</option>}
          {field.required && value === undefined && <option value="">{t("form.choose")}</option>}
          {(field.options ?? []).map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>,
      );
    case "number":
    case "integer":
      return wrap(
        <input
          {...common}
          type="number"
          step={field.kind === "integer" ? 1 : "any"}
          min={field.minimum}
          max={field.maximum}
          value={typeof value === "number" || typeof value === "string" ? value : ""}
          placeholder={str(field.default) || undefined}
          onChange={(e) => onChange(coerce(field, e.target.value))}
        />,
      );
    case "text":
      return wrap(
        <textarea
          {...common}
          rows={3}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(coerce(field, e.target.value))}
        />,
      );
    case "string":
      return wrap(
        <input
          {...common}
          type={field.format === "email" ? "email" : field.format === "uri" ? "url" : "text"}
          value={typeof value === "string" ? value : ""}
          placeholder={str(field.default) || undefined}
          onChange={(e) => onChange(coerce(field, e.target.value))}
        />,
      );
    case "object":
      return (
        <fieldset className="field-group" data-field={field.key}>
          <legend>{fieldLabel(field, t)}</legend>
          <SchemaForm
            fields={field.children ?? []}
            value={value && typeof value === "object" ? (value as Record<string, unknown>) : {}}
            onChange={(v) => onChange(Object.keys(v).length === 0 && !field.required ? undefined : v)}
          />
        </fieldset>
      );
    case "array": {
      const list = Array.isArray(value) ? (value as unknown[]) : [];
      const item = field.items!;
      return wrap(
        <div className="array-field">
          {list.map((v, i) => (
            <div className="array-row" key={i}>
              <SchemaField
                field={{ ...item, label: `#${i + 1}`, key: String(i) }}
                value={v}
                onChange={(nv) => onChange(list.map((x, j) => (j === i ? nv : x)))}
              />
              <button
                className="icon-btn"
                onClick={() => onChange(list.filter((_, j) => j !== i))}
                aria-label={t("common.remove")}
              >
                ×
              </button>
            </div>
          ))}
          <button
            className="btn btn-sm btn-ghost"
            onClick={() => onChange([...list, item.kind === "object" ? {} : (item.default ?? "")])}
          >
            + {t("form.addItem")}
          </button>
        </div>,
      );
    }
    case "record":
      return wrap(<RecordField field={field} value={value} onChange={onChange} />);
    case "scalar":
      return wrap(<ScalarField name={field.key} value={value} onChange={onChange} />);
    case "json":
      return wrap(<JsonField value={value} onChange={onChange} />);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A free-form map as key/value rows. The rows are kept while editing (an empty or repeated key is allowed
 * for a moment); the value handed up keeps the first row of each non-empty key.
 */
function RecordField({ field, value, onChange }: FieldProps) {
  const { t } = useI18n();
  const obj = isRecord(value) ? value : {};
  const [rows, setRows] = useState<[string, unknown][]>(() => Object.entries(obj));
  const [seen, setSeen] = useState(value);
  const toObject = (list: readonly [string, unknown][]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of list) if (k !== "" && !Object.hasOwn(out, k)) out[k] = v;
    return out;
  };
  // A value changed elsewhere (undo, another node) replaces the rows, unless the rows already say it.
  if (value !== seen) {
    setSeen(value);
    if (JSON.stringify(toObject(rows)) !== JSON.stringify(obj)) setRows(Object.entries(obj));
  }
  const emit = (next: [string, unknown][]) => {
    setRows(next);
    const out = toObject(next);
    onChange(Object.keys(out).length === 0 && !field.required ? undefined : out);
  };
  const values = field.values!;
  const fresh = values.kind === "number" || values.kind === "integer" ? undefined : "";
  return (
    <div className="record-field" data-testid={`record-${field.key}`}>
      {rows.map(([k, v], i) => {
        const dup = k !== "" && rows.findIndex(([x]) => x === k) < i;
        const problem =
          k === "" ? null : dup ? { code: "duplicateKey" as const, key: k } : keyProblem(field, k);
        return (
          <div className="record-row" key={i} data-row={i}>
            <input
              className={problem ? "record-key invalid" : "record-key"}
              aria-label={t("form.key")}
              placeholder={t("form.key")}
              value={k}
              onChange={(e) => emit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
            />
            <span className="record-arrow">→</span>
            <div className="record-value">
              <SchemaField
                field={{ ...values, key: `${field.key}.${i}`, label: "", required: false }}
                value={v}
                onChange={(nv) => emit(rows.map((r, j) => (j === i ? [r[0], nv] : r)))}
              />
            </div>
            <button
              className="icon-btn"
              onClick={() => emit(rows.filter((_, j) => j !== i))}
              aria-label={t("common.remove")}
            >
              ×
            </button>
            {problem && <small className="error-text record-problem">{problemText(problem, t)}</small>}
          </div>
        );
      })}
      <button className="btn btn-sm btn-ghost" onClick={() => setRows([...rows, ["", fresh]])}>
        + {t("form.addEntry")}
      </button>
    </div>
  );
}

type ScalarType = "text" | "number" | "boolean" | "null";
const scalarType = (v: unknown): ScalarType =>
  v === null ? "null" : typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "text";

/** Text, a number, true/false or empty: the type is chosen, so "42" and 42 stay different values. */
function ScalarField({
  name,
  value,
  onChange,
}: {
  name: string;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { t } = useI18n();
  const kind = scalarType(value);
  const [numberText, setNumberText] = useState(typeof value === "number" ? String(value) : "");
  const retype = (to: ScalarType) => {
    if (to === "text") onChange(str(value));
    else if (to === "number") {
      const n = Number(value);
      onChange(Number.isFinite(n) && value !== "" && value !== null ? n : 0);
      setNumberText(Number.isFinite(n) && value !== "" && value !== null ? String(n) : "0");
    } else if (to === "boolean") onChange(value === true || value === "true");
    else onChange(null);
  };
  return (
    <div className="scalar-field">
      <select
        aria-label={t("form.valueType")}
        name={`${name}-type`}
        value={kind}
        onChange={(e) => retype(e.target.value as ScalarType)}
      >
        <option value="text">{t("form.typeText")}</option>
        <option value="number">{t("form.typeNumber")}</option>
        <option value="boolean">{t("form.typeBoolean")}</option>
        <option value="null">{t("form.typeNull")}</option>
      </select>
      {kind === "text" && (
        <input
          name={name}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {kind === "number" && (
        <input
          name={name}
          type="number"
          step="any"
          value={numberText}
          onChange={(e) => {
            setNumberText(e.target.value);
            const n = Number(e.target.value);
            if (e.target.value.trim() !== "" && Number.isFinite(n)) onChange(n);
          }}
        />
      )}
      {kind === "boolean" && (
        <select
          name={name}
          value={String(value === true)}
          onChange={(e) => onChange(e.target.value === "true")}
        >
          <option value="true">{t("common.true")}</option>
          <option value="false">{t("common.false")}</option>
        </select>
      )}
    </div>
  );
}

function JsonField({ value, onChange }: { value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        className="mono"
        rows={4}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === "") {
            setBad(false);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value) as unknown);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <small className="error-text">{t("form.badJson")}</small>}
    </>
  );
}

/** A built-in action's field in the reader's language (`field.<key>`); a custom action's own title or key. */
function fieldLabel(field: FieldSpec, t: (k: MessageKey) => string): string {
  return isMessageKey(`field.${field.key}`) ? t(`field.${field.key}` as MessageKey) : field.label;
}
