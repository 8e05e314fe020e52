/** Pure translation: one dictionary per language, `{name}` placeholders. */
import { en, zh } from "./dict";
import type { MessageKey } from "./dict";

// The languages are the schema's: validation messages come from its table (engine/schema/messages.ts).
import type { Lang } from "../../../engine/schema/messages";
export type { Lang };
export const DICTS: Record<Lang, Record<MessageKey, string>> = { en, zh };

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = DICTS[lang][key] ?? DICTS.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}
