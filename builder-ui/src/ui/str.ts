/** A display string for an unknown value: strings and numbers as they are, anything else the fallback. */
export function str(v: unknown, fallback = ""): string {
  if (typeof v === "string") return v === "" ? fallback : v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return fallback;
}
