import { formatPath } from "./issues";

/**
 * Bounds on free-form event data (traits, properties): nesting, key count, string and key length, and
 * finite numbers. Checked iteratively with an explicit stack, so no payload can exhaust the call stack of
 * the check itself, and everything that stores or reads the value afterwards (JSON.stringify, condition
 * facts, profile merges) only ever sees bounded values.
 */
export interface InputLimits {
  maxDepth: number;
  maxEntries: number;
  maxString: number;
  maxKey: number;
}

export const INPUT_LIMITS: Readonly<InputLimits> = {
  /** Levels of objects/arrays inside traits or properties. */
  maxDepth: 32,
  /** Keys and array items in one traits/properties value, counted through every level. */
  maxEntries: 10_000,
  /** Characters in one string value. */
  maxString: 16_384,
  /** Characters in one key. */
  maxKey: 256,
};

export interface InputLimitIssue {
  /** Which limit: callers branch on this, never on the message's words. */
  code: "string_too_long" | "number_not_finite" | "too_deep" | "too_many_entries" | "key_too_long";
  path: (string | number)[];
  message: string;
}

/** The first limit the value breaks (with the path where), or null. */
export function checkInputLimits(
  value: unknown,
  limits: Readonly<InputLimits> = INPUT_LIMITS,
): InputLimitIssue | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  let entries = 0;
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.length > limits.maxString)
        return {
          code: "string_too_long",
          path,
          message: `a string of ${v.length} characters; at most ${limits.maxString}`,
        };
      continue;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v))
        return { code: "number_not_finite", path, message: "a number out of range (not finite)" };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (path.length >= limits.maxDepth)
      return { code: "too_deep", path, message: `nested deeper than ${limits.maxDepth} levels` };
    const children: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item] as [number, unknown])
      : Object.entries(v);
    entries += children.length;
    if (entries > limits.maxEntries)
      return {
        code: "too_many_entries",
        path,
        message: `more than ${limits.maxEntries} keys and items in all`,
      };
    for (const [k, child] of children) {
      if (typeof k === "string" && k.length > limits.maxKey)
        return {
          code: "key_too_long",
          path,
          message: `a key of ${k.length} characters; at most ${limits.maxKey}`,
        };
      stack.push({ v: child, path: [...path, k] });
    }
  }
  return null;
}

/** A path for messages, shortened in the middle when deep: `traits.a.a.…(28 more).a`. */
export function shortPath(path: readonly (string | number)[]): string {
  if (path.length <= 8) return formatPath(path);
  return `${formatPath(path.slice(0, 4))}.…(${path.length - 6} more).${formatPath(path.slice(-2))}`;
}
