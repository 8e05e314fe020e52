/**
 * Receivers' answers are stored whole for `mapResponse`, but shown to every viewer in the outbox: there
 * they are cut to a preview and values under secret-looking keys are hidden, so a webhook cannot be used
 * to read tokens out of a receiver's answer.
 */
const SECRET_KEY =
  /token|secret|passw|authori[sz]ation|api[-_]?key|cookie|session|credential|private|signature/i;
const MAX_DEPTH = 6;
const MAX_KEYS = 50;
const MAX_STRING = 200;
const MAX_TOTAL = 2_000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function shrink(value: unknown, depth: number): unknown {
  if (typeof value === "string") return cut(value, MAX_STRING);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_KEYS).map((v) => shrink(v, depth + 1));
    return value.length > MAX_KEYS ? [...items, `… ${value.length - MAX_KEYS} more`] : items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [k, v] of entries.slice(0, MAX_KEYS)) {
    out[cut(k, MAX_STRING)] = SECRET_KEY.test(k) ? "[redacted]" : shrink(v, depth + 1);
  }
  if (entries.length > MAX_KEYS) out["…"] = `${entries.length - MAX_KEYS} more keys`;
  return out;
}

/** A stored provider answer as viewers see it: secrets hidden, nesting and strings cut, bounded in size. */
export function redactResponse(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const shown = shrink(value, 0);
  const text = JSON.stringify(shown) ?? "null";
  return text.length > MAX_TOTAL ? { truncated: true, preview: cut(text, MAX_TOTAL) } : shown;
}
