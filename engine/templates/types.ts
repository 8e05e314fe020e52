/**
 * Public types of the template library. Everything here is plain data (JSON-serialisable) so a
 * journey version can store the exact template definitions it was published with.
 */

/** The channels a template can render for. */
export const TEMPLATE_CHANNELS = ["email", "sms", "push", "wechat", "webhook"] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/** Languages the built-in library ships. A definition may carry any subset (at least one). */
export const TEMPLATE_LOCALES = ["zh", "en"] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

/**
 * The template sources of one locale. Which keys are required depends on the channel:
 * - email:   `subject`, `html`, `text`
 * - sms:     `text`
 * - push:    `title`, `body`
 * - wechat:  `templateId` (a literal id, not a template) and `fields.<key>` for each template field
 * - webhook: `json`, a JSON document whose string leaves are templates
 */
export type TemplateParts = Record<string, string>;

export interface TemplateDefinition {
  /** kebab-case name referenced by action nodes (`"template": "winback-coupon"`). */
  name: string;
  channel: TemplateChannel;
  /** Positive integer; bumped whenever the content changes. */
  version: number;
  description?: string;
  /** Locale → parts. */
  locales: Partial<Record<TemplateLocale, TemplateParts>>;
  /** Free-form labels for the builder (e.g. `price-sensitive`, `high-value`). */
  tags?: string[];
  /** Sample data merged over the standard sample for previews (e.g. `{ surveyUrl: "…" }`). */
  sample?: Record<string, unknown>;
}

/** A template as published with a journey version: enough to verify the exact content later. */
export interface TemplatePin {
  name: string;
  version: number;
  /** sha256 of the definition's content (channel + parts), hex. */
  hash: string;
}

/** What a render sees. Paths in templates are relative to this object (plus `params`, merged at the top). */
export interface RenderContext {
  /** `{ id, traits, ...computed }` — the customer profile. */
  customer: Record<string, unknown>;
  /** Overrides the locale rule (see `resolveLocale`). */
  locale?: string;
  /** Overrides the customer's `timezone` trait. */
  timezone?: string;
  /** The coupon code issued to this run, if any. */
  coupon?: string;
  journey?: { name: string } & Record<string, unknown>;
  event?: unknown;
  now: Date;
  unsubscribeUrl?: string;
  /** Action-node params (e.g. `surveyUrl`), exposed as top-level variables. They never shadow the keys above. */
  params?: Record<string, unknown>;
}

/** A type alias (not an interface) so it is assignable to index-signature types such as the action context's. */
export type RenderedMessage = {
  channel: TemplateChannel;
  template: string;
  version: number;
  /** The language the template was rendered in. */
  locale: TemplateLocale;
  subject?: string;
  /** The main text: email → the text part, sms → text, push → body, wechat → fields joined, webhook → JSON text. */
  body: string;
  html?: string;
  text?: string;
  title?: string;
  templateId?: string;
  fields?: Record<string, string>;
  /** Push / WeChat: the link opened on tap. */
  url?: string;
  json?: unknown;
  /** SMS only. */
  segments?: number;
  /** SMS only: characters (code points). */
  length?: number;
  /** SMS only. */
  encoding?: "GSM-7" | "UCS-2";
};

/**
 * The paths a customer profile (and the action) can supply, e.g. `customer.traits.name`,
 * `customer.clv`, `coupon`, `surveyUrl`. An entry covers itself and everything beneath it;
 * `a.b.*` is accepted as a synonym of `a.b`.
 */
export type FieldCatalog = ReadonlySet<string> | readonly string[];

export type TemplateIssueCode =
  | "unknown_template"
  | "compile_error"
  | "unknown_variable"
  | "unknown_partial"
  | "missing_part"
  | "missing_locale";

export interface TemplateIssue {
  template: string;
  code: TemplateIssueCode;
  /** e.g. `en.subject` — the locale and part the issue is in. */
  part?: string;
  /** For `unknown_variable`: the dotted path, e.g. `customer.traits.nickname`. */
  variable?: string;
  line?: number;
  message: string;
}

export type TemplateErrorCode =
  | "unknown_template"
  | "unknown_version"
  | "pin_mismatch"
  | "invalid_definition"
  | "compile_error"
  | "render_error"
  | "missing_coupon";

export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly template?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
