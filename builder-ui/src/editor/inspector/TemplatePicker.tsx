/** Pick a template for a message action and preview it rendered for a chosen customer. */
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import type { RenderedPreview, TemplateSummary } from "../../../../engine/schema";
import { useI18n } from "../../i18n/i18n";
import { Spinner, errorText, useAsync } from "../../ui/common";

export function TemplatePicker({
  value,
  channel,
  templates,
  required,
  onChange,
}: {
  value: string | undefined;
  channel: string | undefined;
  templates: readonly TemplateSummary[];
  required: boolean;
  onChange: (v: string | undefined) => void;
}) {
  const { t, lang } = useI18n();
  const fitting = templates.filter((tp) => !channel || tp.channel === channel);
  const others = templates.filter((tp) => channel && tp.channel !== channel);
  const customers = useAsync(() => api.customers({ limit: 25 }).then((p) => p.items), []);
  const [customerId, setCustomerId] = useState<string>("");
  const [locale, setLocale] = useState<string>(lang);
  const [preview, setPreview] = useState<RenderedPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!value) {
      setPreview(null);
      return;
    }
    let live = true;
    setLoading(true);
    setPreview((p) => (p && p.template === value ? p : null));
    setError(null);
    const body = customerId ? { customerId } : { sample: true, locale };
    api.preview(value, body).then(
      (r) => {
        if (!live) return;
        setPreview(r);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(errorText(e, t));
        setPreview(null);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [value, customerId, locale, t]);

  const selected = templates.find((tp) => tp.name === value);
  return (
    <div className="template-picker" data-testid="template-picker">
      <div className="field">
        <span>
          {t("tpl.template")}
          {required && <em className="req"> *</em>}
        </span>
        <select
          value={value ?? ""}
          onChange={(e) => onChange(e.target.value || undefined)}
          data-testid="template-select"
        >
          <option value="">{required ? t("tpl.choose") : t("tpl.none")}</option>
          {fitting.map((tp) => (
            <option key={tp.name} value={tp.name}>
              {tp.name}
            </option>
          ))}
          {others.length > 0 && (
            <optgroup label={t("tpl.otherChannels")}>
              {others.map((tp) => (
                <option key={tp.name} value={tp.name}>
                  {tp.name} ({tp.channel})
                </option>
              ))}
            </optgroup>
          )}
          {value && !selected && <option value={value}>{value}</option>}
        </select>
        {selected?.description && <small className="hint">{selected.description}</small>}
      </div>
      {value && (
        <div className="preview">
          <div className="preview-bar">
            <select
              value={customerId}
              onChange={(e) => setCustomerId(e.target.value)}
              aria-label={t("tpl.previewFor")}
              data-testid="preview-customer"
            >
              <option value="">{t("tpl.sampleCustomer")}</option>
              {customers.data?.map((c) => (
                <option key={c.id} value={c.id}>
                  {typeof c.traits.name === "string" ? `${c.traits.name} (${c.id})` : c.id}
                </option>
              ))}
            </select>
            {!customerId && (
              <select value={locale} onChange={(e) => setLocale(e.target.value)} aria-label={t("tpl.locale")}>
                <option value="zh">{t("lang.zh")}</option>
                <option value="en">{t("lang.en")}</option>
              </select>
            )}
            {loading && <Spinner small />}
          </div>
          {error && <div className="form-error">{error}</div>}
          {preview && <MessagePreview message={preview} />}
        </div>
      )}
    </div>
  );
}

export function MessagePreview({ message }: { message: RenderedPreview }) {
  const { t } = useI18n();
  const subject = message.subject ?? message.title;
  const html = typeof message.html === "string" ? message.html : undefined;
  const text = message.text ?? message.body;
  return (
    <div className="message-preview" data-testid="message-preview">
      {subject && (
        <div className="mp-subject">
          <span className="muted">
            {message.title && !message.subject ? t("tpl.title") : t("tpl.subject")}
          </span>{" "}
          {/* The template's words, in the customer's language: content, not the builder's to translate. */}
          <span data-user-content>{subject}</span>
        </div>
      )}
      {html ? (
        <iframe className="mp-frame" sandbox="" srcDoc={html} title={t("tpl.preview")} />
      ) : (
        <pre className="mp-text">{typeof text === "string" ? text : JSON.stringify(message, null, 2)}</pre>
      )}
    </div>
  );
}
