/** Reads a dotted path (`data.items.0.code`) through own properties only. */
export function readPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split(".")) {
    if (key === "") continue;
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, key))
      return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Fills a JSON body template: a string that is exactly `{{path}}` becomes the value itself (keeping its
 * type); `{{path}}` inside a longer string is replaced by the value's text. Missing values are null / "".
 */
export function fillJson(template: unknown, vars: Record<string, unknown>): unknown {
  if (typeof template === "string") {
    const whole = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(template);
    if (whole?.[1]) return readPath(vars, whole[1]) ?? null;
    return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
      const v = readPath(vars, path);
      if (v === undefined || v === null) return "";
      return typeof v === "string" ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(template)) return template.map((t) => fillJson(t, vars));
  if (template && typeof template === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) {
      if (k === "__proto__") continue;
      out[k] = fillJson(v, vars);
    }
    return out;
  }
  return template;
}
