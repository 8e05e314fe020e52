/** The one generic form: renders any action's config from its JSON Schema. */
import type { ReactNode } from "react";
import { useState } from "react";
import { str } from "../../ui/str";
import { useI18n } from "../../i18n/i18n";
import type { FieldProblem, FieldSpec } from "../../forms/schemaForm";
import { coerce, fieldProblem } from "../../forms/schemaForm";
import type { Translate } from "../../i18n/translate";

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

function SchemaField({
  field,
  value,
  onChange,
}: {
  field: FieldSpec;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { t } = useI18n();
  const [touched, setTouched] = useState(false);
  const problem = touched ? problemText(fieldProblem(field, value), t) : null;
  const label = (
    <span>
      {field.label}
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
          <span>{field.label}</span>
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
          <legend>{field.label}</legend>
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
    case "json":
      return wrap(<JsonField value={value} onChange={onChange} />);
  }
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
