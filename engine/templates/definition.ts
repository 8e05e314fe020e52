import { createHash } from "node:crypto";
import { z } from "zod";
import {
  TEMPLATE_CHANNELS,
  TEMPLATE_LOCALES,
  TemplateError,
  type TemplateChannel,
  type TemplateDefinition,
  type TemplateParts,
} from "./types";

/** Parts each channel must have in every locale it ships. */
export const REQUIRED_PARTS: Readonly<Record<TemplateChannel, readonly string[]>> = {
  email: ["subject", "html", "text"],
  sms: ["text"],
  push: ["title", "body"],
  wechat: ["templateId"],
  webhook: ["json"],
};

/** Parts allowed besides the required ones (`fields.<key>` for WeChat is checked separately). */
const OPTIONAL_PARTS: Readonly<Record<TemplateChannel, readonly string[]>> = {
  email: ["preheader"],
  sms: [],
  push: ["url"],
  wechat: ["url"],
  webhook: [],
};

const partsSchema = z.record(z.string().min(1), z.string());

export const templateDefinitionSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
        "a template name is kebab-case: lower-case letters, digits and dashes",
      ),
    channel: z.enum(TEMPLATE_CHANNELS),
    version: z.number().int().positive(),
    description: z.string().optional(),
    locales: z.partialRecord(z.enum(TEMPLATE_LOCALES), partsSchema),
    tags: z.array(z.string()).optional(),
    sample: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((def, ctx) => {
    const locales = Object.entries(def.locales) as [string, TemplateParts | undefined][];
    if (locales.length === 0) {
      ctx.addIssue({ code: "custom", path: ["locales"], message: "a template needs at least one locale" });
    }
    for (const [locale, parts] of locales) {
      if (!parts) continue;
      for (const required of REQUIRED_PARTS[def.channel]) {
        if (typeof parts[required] !== "string" || parts[required].trim() === "") {
          ctx.addIssue({
            code: "custom",
            path: ["locales", locale, required],
            message: `a ${def.channel} template needs "${required}" in locale "${locale}"`,
          });
        }
      }
      for (const key of Object.keys(parts)) {
        const allowed =
          REQUIRED_PARTS[def.channel].includes(key) ||
          OPTIONAL_PARTS[def.channel].includes(key) ||
          (def.channel === "wechat" && /^fields\.[A-Za-z0-9_]+$/.test(key));
        if (!allowed) {
          ctx.addIssue({
            code: "custom",
            path: ["locales", locale, key],
            message: `"${key}" is not a part of a ${def.channel} template`,
          });
        }
      }
      if (def.channel === "webhook" && typeof parts.json === "string") {
        try {
          JSON.parse(parts.json);
        } catch (err) {
          ctx.addIssue({
            code: "custom",
            path: ["locales", locale, "json"],
            message: `the webhook body is not JSON: ${(err as Error).message}`,
          });
        }
      }
    }
  });

/** Validates a definition (e.g. read from disk or from a journey version's snapshot). */
export function parseTemplateDefinition(input: unknown): TemplateDefinition {
  const result = templateDefinitionSchema.safeParse(input);
  if (!result.success) {
    const name =
      input && typeof input === "object" && typeof (input as { name?: unknown }).name === "string"
        ? (input as { name: string }).name
        : undefined;
    const detail = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new TemplateError(
      "invalid_definition",
      `invalid template${name ? ` "${name}"` : ""}: ${detail}`,
      name,
    );
  }
  return result.data;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of what a template renders: its channel and every locale's parts. */
export function templateHash(def: Pick<TemplateDefinition, "channel" | "locales">): string {
  return createHash("sha256")
    .update(canonical({ channel: def.channel, locales: def.locales }))
    .digest("hex");
}
