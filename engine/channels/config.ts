import { z } from "zod";
import { DestinationPolicyError, destinationPolicy, type DestinationPolicy } from "./destination-policy";
import { DevOutbox, type DevDelivery } from "./dev";
import type { FetchLike } from "./http";
import { createHttpProvider, type HttpProviderConfig } from "./http-provider";
import type { RetryTiming } from "./retry";
import { createSmtpProvider, type SmtpConfig } from "./smtp";
import type { ChannelProvider } from "./types";
import { createWebhookProvider } from "./webhook";

/**
 * Channel configuration comes from environment variables (one set per environment: dev, staging,
 * production), validated with zod. Every channel defaults to the dev provider.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `REKINDLE_EMAIL_PROVIDER` | `dev` (default) or `smtp` |
 * | `REKINDLE_SMTP_HOST`, `REKINDLE_SMTP_PORT` (587), `REKINDLE_SMTP_SECURE` (`true` for 465) | server |
 * | `REKINDLE_SMTP_USER`, `REKINDLE_SMTP_PASS` | credentials |
 * | `REKINDLE_EMAIL_FROM`, `REKINDLE_EMAIL_REPLY_TO`, `REKINDLE_UNSUBSCRIBE_MAILTO` | addresses |
 * | `REKINDLE_{SMS,PUSH,WECHAT}_PROVIDER` | `dev` (default) or `http` |
 * | `REKINDLE_{SMS,PUSH,WECHAT}_URL` | gateway endpoint (required for `http`) |
 * | `REKINDLE_{SMS,PUSH,WECHAT}_TOKEN` | bearer token |
 * | `REKINDLE_{SMS,PUSH,WECHAT}_HEADERS` | JSON object of extra headers |
 * | `REKINDLE_{SMS,PUSH,WECHAT}_BODY` | JSON body template with `{{to}}`, `{{text}}`… placeholders |
 * | `REKINDLE_{SMS,PUSH,WECHAT}_ID_PATH` | dotted path of the message id in the response |
 * | `REKINDLE_WEBHOOK_SECRET` | HMAC secret for webhook and gateway signatures |
 * | `REKINDLE_WEBHOOK_TIMEOUT_MS` (10000), `REKINDLE_WEBHOOK_MAX_ATTEMPTS` (8, at most the outbox's 8) | per-attempt timeout; attempts a webhook delivery gets, one per outbox due time |
 * | `REKINDLE_WEBHOOK_ALLOW` | internal webhook destinations allowed: host names, addresses, CIDR ranges |
 */
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const jsonObject = z.string().transform((text, ctx) => {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: "custom", message: "must be a JSON object" });
  return z.NEVER;
});
const stringRecord = jsonObject.pipe(z.record(z.string(), z.string()));
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const gatewayVars = (p: "SMS" | "PUSH" | "WECHAT") => ({
  [`REKINDLE_${p}_PROVIDER`]: optional(z.enum(["dev", "http"])),
  [`REKINDLE_${p}_URL`]: optional(z.url({ protocol: /^https?$/ })),
  [`REKINDLE_${p}_TOKEN`]: optional(z.string()),
  [`REKINDLE_${p}_HEADERS`]: optional(stringRecord),
  [`REKINDLE_${p}_BODY`]: optional(jsonObject),
  [`REKINDLE_${p}_ID_PATH`]: optional(z.string()),
});

export const channelEnvSchema = z.object({
  REKINDLE_EMAIL_PROVIDER: optional(z.enum(["dev", "smtp"])),
  REKINDLE_SMTP_HOST: optional(z.string()),
  REKINDLE_SMTP_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  REKINDLE_SMTP_SECURE: optional(bool),
  REKINDLE_SMTP_USER: optional(z.string()),
  REKINDLE_SMTP_PASS: optional(z.string()),
  REKINDLE_EMAIL_FROM: optional(z.string()),
  REKINDLE_EMAIL_REPLY_TO: optional(z.string()),
  REKINDLE_UNSUBSCRIBE_MAILTO: optional(z.email()),
  ...gatewayVars("SMS"),
  ...gatewayVars("PUSH"),
  ...gatewayVars("WECHAT"),
  REKINDLE_WEBHOOK_SECRET: optional(z.string().min(16, "use at least 16 characters")),
  REKINDLE_WEBHOOK_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(120_000)),
  REKINDLE_WEBHOOK_MAX_ATTEMPTS: optional(z.coerce.number().int().min(1).max(8)),
  REKINDLE_WEBHOOK_ALLOW: optional(z.string()),
});

export type GatewayConfig = { provider: "dev" } | { provider: "http"; http: HttpProviderConfig };

export interface ChannelConfig {
  email: { provider: "dev" } | { provider: "smtp"; smtp: SmtpConfig };
  sms: GatewayConfig;
  push: GatewayConfig;
  wechat: GatewayConfig;
  webhook: { secret?: string; timeoutMs: number; maxAttempts: number; allow?: string[] };
}

export class ChannelConfigError extends Error {
  override readonly name = "ChannelConfigError";
  constructor(readonly issues: string[]) {
    super(`invalid channel configuration:\n${issues.map((i) => `  ${i}`).join("\n")}`);
  }
}

/** Reads and validates the channel configuration; throws `ChannelConfigError` naming each bad variable. */
export function loadChannelConfig(env: Record<string, string | undefined> = process.env): ChannelConfig {
  const parsed = channelEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ChannelConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data as Record<string, unknown>;
  const str = (k: string) => (typeof e[k] === "string" ? e[k] : undefined);
  const issues: string[] = [];
  const secret = str("REKINDLE_WEBHOOK_SECRET");

  let email: ChannelConfig["email"] = { provider: "dev" };
  if (e.REKINDLE_EMAIL_PROVIDER === "smtp") {
    const host = str("REKINDLE_SMTP_HOST");
    const from = str("REKINDLE_EMAIL_FROM");
    if (!host) issues.push("REKINDLE_SMTP_HOST: required when REKINDLE_EMAIL_PROVIDER=smtp");
    if (!from) issues.push("REKINDLE_EMAIL_FROM: required when REKINDLE_EMAIL_PROVIDER=smtp");
    const user = str("REKINDLE_SMTP_USER");
    const pass = str("REKINDLE_SMTP_PASS");
    const replyTo = str("REKINDLE_EMAIL_REPLY_TO");
    const mailto = str("REKINDLE_UNSUBSCRIBE_MAILTO");
    email = {
      provider: "smtp",
      smtp: {
        host: host ?? "",
        port: (e.REKINDLE_SMTP_PORT as number | undefined) ?? 587,
        ...(typeof e.REKINDLE_SMTP_SECURE === "boolean" ? { secure: e.REKINDLE_SMTP_SECURE } : {}),
        ...(user ? { user } : {}),
        ...(pass ? { pass } : {}),
        from: from ?? "",
        ...(replyTo ? { replyTo } : {}),
        ...(mailto ? { unsubscribeMailto: mailto } : {}),
      },
    };
  }

  const gateway = (p: "SMS" | "PUSH" | "WECHAT", channel: string): GatewayConfig => {
    if (e[`REKINDLE_${p}_PROVIDER`] !== "http") return { provider: "dev" };
    const url = str(`REKINDLE_${p}_URL`);
    if (!url) issues.push(`REKINDLE_${p}_URL: required when REKINDLE_${p}_PROVIDER=http`);
    const token = str(`REKINDLE_${p}_TOKEN`);
    const idPath = str(`REKINDLE_${p}_ID_PATH`);
    const headers = e[`REKINDLE_${p}_HEADERS`] as Record<string, string> | undefined;
    const body = e[`REKINDLE_${p}_BODY`];
    return {
      provider: "http",
      http: {
        channel,
        url: url ?? "",
        ...(token ? { bearerToken: token } : {}),
        ...(headers ? { headers } : {}),
        ...(body !== undefined ? { body } : {}),
        ...(idPath ? { idPath } : {}),
        ...(secret ? { secret } : {}),
      },
    };
  };
  let allow: string[] = [];
  try {
    allow = [...destinationPolicy(str("REKINDLE_WEBHOOK_ALLOW") ?? "").allowList];
  } catch (err) {
    if (!(err instanceof DestinationPolicyError)) throw err;
    issues.push(err.message);
  }
  const config: ChannelConfig = {
    email,
    sms: gateway("SMS", "sms"),
    push: gateway("PUSH", "push"),
    wechat: gateway("WECHAT", "wechat"),
    webhook: {
      ...(secret ? { secret } : {}),
      timeoutMs: (e.REKINDLE_WEBHOOK_TIMEOUT_MS as number | undefined) ?? 10_000,
      maxAttempts: (e.REKINDLE_WEBHOOK_MAX_ATTEMPTS as number | undefined) ?? 8,
      ...(allow.length ? { allow } : {}),
    },
  };
  if (issues.length) throw new ChannelConfigError(issues);
  return config;
}

export interface ChannelProviders {
  get(channel: string): ChannelProvider | undefined;
  channels(): string[];
  /** Where the dev providers record (empty when every channel is real). */
  readonly dev: DevOutbox;
  /** Where webhooks may go; publish checks static URLs against it. */
  readonly destinations?: DestinationPolicy;
  close(): Promise<void>;
}

/** Builds one provider per channel from a configuration. */
export function createChannelProviders(
  config: ChannelConfig,
  deps: { clock?: RetryTiming; fetch?: FetchLike; devSink?: (delivery: DevDelivery) => void } = {},
): ChannelProviders {
  const dev = new DevOutbox({
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.devSink ? { sink: deps.devSink } : {}),
  });
  const httpDeps = {
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  };
  const providers = new Map<string, ChannelProvider>();
  providers.set(
    "email",
    config.email.provider === "smtp" ? createSmtpProvider(config.email.smtp) : dev.provider("email"),
  );
  for (const channel of ["sms", "push", "wechat"] as const) {
    const g = config[channel];
    providers.set(
      channel,
      g.provider === "http" ? createHttpProvider(g.http, httpDeps) : dev.provider(channel),
    );
  }
  const destinations = destinationPolicy(config.webhook.allow ?? []);
  providers.set(
    "webhook",
    createWebhookProvider({
      destinations,
      ...(config.webhook.secret ? { secret: config.webhook.secret } : {}),
      policy: { timeoutMs: config.webhook.timeoutMs, maxAttempts: config.webhook.maxAttempts },
      ...httpDeps,
    }),
  );
  return {
    get: (channel) => providers.get(channel),
    channels: () => [...providers.keys()],
    dev,
    destinations,
    async close() {
      for (const provider of providers.values()) await provider.close?.();
    },
  };
}
