import type { ValidationIssue } from "./issues";
import { formatPath } from "./issues";
import { issueMessage } from "./messages";

/**
 * How big and how deep a journey document may be. Every later check (zod, the condition checker, the
 * condition compiler, the renderers) walks the document recursively, so these limits are checked first by
 * an iterative walk: no payload can make validation, publishing or start-up overflow the stack.
 */
export const JOURNEY_LIMITS = {
  /** Nesting of condition groups (`all` / `any` / `not`) inside one condition tree. */
  conditionDepth: 32,
  /** Nesting of objects and arrays anywhere in the document. */
  documentDepth: 100,
  /** Items in any one array (nodes, edges, `in` lists, branches, …). */
  arrayLength: 10_000,
  /** Objects, arrays and scalars in the whole document. */
  values: 200_000,
} as const;

/** Keys under which a condition tree starts (node data, edges, the goal). */
const CONDITION_ROOTS = new Set(["conditions", "where"]);
const GROUP_KEYS = new Set(["all", "any", "not"]);

interface Frame {
  value: unknown;
  key: PropertyKey | null;
  parent: Frame | null;
  depth: number;
  /** -1 outside a condition tree; otherwise the number of groups entered so far. */
  conditionDepth: number;
}

function pathOf(frame: Frame): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) path.push(f.key);
  return path.reverse();
}

function idOf(doc: unknown, path: readonly PropertyKey[]): Pick<ValidationIssue, "nodeId" | "edgeId"> {
  const [list, index] = path;
  if ((list !== "nodes" && list !== "edges") || typeof index !== "number") return {};
  const items = (doc as Record<string, unknown>)[list];
  const item = Array.isArray(items) ? (items[index] as unknown) : undefined;
  const id =
    item !== null && typeof item === "object" && typeof (item as { id?: unknown }).id === "string"
      ? (item as { id: string }).id
      : undefined;
  if (id === undefined) return {};
  return list === "nodes" ? { nodeId: id } : { edgeId: id };
}

/**
 * Issues for a document beyond `JOURNEY_LIMITS`, each naming where the limit was passed. Walks with an
 * explicit stack and stops descending below the first violation in each branch, so its cost is bounded by
 * the document's size whatever its shape.
 */
export function limitIssues(doc: unknown, limits = JOURNEY_LIMITS): ValidationIssue[] {
  return limitProblems(doc, limits).map(({ keys, ...issue }) => ({ ...idOf(doc, keys), ...issue }));
}

/** A limit passed: the issue and its path as keys, for callers that report paths their own way (zod). */
export interface LimitProblem {
  keys: PropertyKey[];
  path: string;
  message: string;
  code: LimitCode;
  params: { limit: number; length?: number };
}

export function limitProblems(doc: unknown, limits = JOURNEY_LIMITS): LimitProblem[] {
  const issues: LimitProblem[] = [];
  const report = (frame: Frame, code: LimitCode, params: { limit: number; length?: number }): void => {
    const keys = pathOf(frame);
    issues.push({ keys, path: formatPath(keys), message: issueMessage(code, params), code, params });
  };
  const stack: Frame[] = [{ value: doc, key: null, parent: null, depth: 0, conditionDepth: -1 }];
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    values++;
    if (values > limits.values) {
      issues.push({
        keys: [],
        path: "",
        message: issueMessage("limit.values", { limit: limits.values }),
        code: "limit.values",
        params: { limit: limits.values },
      });
      break;
    }
    const { value } = frame;
    if (value === null || typeof value !== "object") continue;
    if (frame.depth >= limits.documentDepth) {
      report(frame, "limit.depth", { limit: limits.documentDepth });
      continue;
    }
    if (frame.conditionDepth > limits.conditionDepth) {
      report(frame, "limit.condition_depth", { limit: limits.conditionDepth });
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > limits.arrayLength) {
        report(frame, "limit.array_length", { limit: limits.arrayLength, length: value.length });
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({
          value: value[i],
          key: i,
          parent: frame,
          depth: frame.depth + 1,
          conditionDepth: frame.conditionDepth,
        });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      let conditionDepth = frame.conditionDepth;
      if (conditionDepth < 0 && CONDITION_ROOTS.has(key)) conditionDepth = 0;
      else if (conditionDepth >= 0 && GROUP_KEYS.has(key)) conditionDepth++;
      stack.push({
        value: (value as Record<string, unknown>)[key],
        key,
        parent: frame,
        depth: frame.depth + 1,
        conditionDepth,
      });
    }
  }
  return issues;
}

export type LimitCode = "limit.values" | "limit.depth" | "limit.condition_depth" | "limit.array_length";
