// What a render may see and how its text comes out: data copied to plain JSON (no functions, instances or
// prototype keys), own-property path lookups, one-line and tidy text, and the line of a Handlebars error.

export const UNSAFE_KEYS = new Set([
  "__proto__",
  "constructor",
  "prototype",
  "__defineGetter__",
  "__defineSetter__",
]);

/** Copies data into plain JSON values: no functions, no class instances, no prototype-named keys. */
export function toPlain(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "object":
      break;
    case "function":
    case "symbol":
    case "undefined":
      return undefined;
  }
  if (depth > 16) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) continue;
    out[key] = toPlain((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

/**
 * Whether a value is already what `toPlain` would make of it (JSON-like data with plain prototypes and
 * no prototype-named keys), checked without allocating. Engine data decoded from JSON always is, so the
 * render context can use it as it is instead of a deep copy.
 */
export function isPlain(value: unknown, depth = 0): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      break;
    case "bigint":
    case "function":
    case "symbol":
      return false;
  }
  if (depth > 16) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Array.prototype) {
    const a = value as unknown[];
    for (let i = 0; i < a.length; i++) if (!(i in a) || !isPlain(a[i], depth + 1)) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) return false;
    // An accessor is not data (its value could change between this check and the render).
    if (lookupGetter.call(value, key) !== undefined) return false;
    if (!isPlain((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Finds an own getter without allocating a property descriptor (the prototype is plain or null here). */
export const lookupGetter = (
  Object.prototype as unknown as { __lookupGetter__: (this: object, key: string) => unknown }
).__lookupGetter__;

/** The value itself when it is plain data, else a plain copy. */
export function plain(value: unknown): unknown {
  return isPlain(value) ? value : toPlain(value);
}

/** `toISOString` of the render's `now`, remembered: a batch renders many messages at the same instant. */
let lastNow = NaN;
let lastIso = "";
export function isoOf(now: Date): string {
  const ms = now.getTime();
  if (ms !== lastNow) {
    lastIso = now.toISOString();
    lastNow = ms;
  }
  return lastIso;
}

export function ownPath(root: unknown, parts: string[]): unknown {
  let cur = root;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, p))
      return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Two spaces, or any white space other than a plain space (`\s` includes U+3000, U+00A0, …). */
export const SPACE_RUN = /[^\S ]| {2}/;
export function oneLine(s: string): string {
  // Most subjects are one line already: only then is the replace (a new string) skipped.
  return SPACE_RUN.test(s) ? s.replace(/\s+/g, " ").trim() : s.trim();
}

export const UNTIDY = /[ \t]\n|\n[ \t]*\n[ \t]*\n/;

/** Trailing spaces off every line, at most one blank line in a row, no blank edges. */
export function tidyText(s: string): string {
  if (!UNTIDY.test(s)) return s.trimEnd().trim();
  const lines = s.split("\n");
  const out: string[] = [];
  let blank = 0;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === "") {
      if (++blank > 1) continue;
    } else blank = 0;
    out.push(line);
  }
  return out.join("\n").trim();
}

export function lineOf(err: unknown): number | undefined {
  const e = err as { lineNumber?: unknown; message?: unknown };
  if (typeof e.lineNumber === "number") return e.lineNumber;
  const m = typeof e.message === "string" ? /line (\d+)/.exec(e.message) : null;
  return m ? Number(m[1]) : undefined;
}

export function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** Sorted part keys, main parts first: a stable order for messages. */
export function partKeys(parts: Record<string, string>): string[] {
  return Object.keys(parts).sort();
}
