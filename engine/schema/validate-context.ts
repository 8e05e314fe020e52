// What validation works with: the caller's context (actions, templates), the result, and the issue sink the
// phases (validate-nodes, validate-edges, validate-graph) write to.
import type { z } from "zod";
import type { ValidationIssue } from "./issues";
import { formatPath } from "./issues";
import type { Journey } from "./journey";
import { isIssueCode, issueMessage } from "./messages";
import type { IssueCode, IssueParams } from "./messages";

/** What the validator needs to know about a registered action. */
export interface ActionInfo {
  /** Ports beyond `next` and `failed`. */
  ports?: readonly string[];
  /** Set for message actions: the channel whose address the customer needs. */
  channel?: string;
  /** The action's config schema, applied to `data.params`. */
  config?: z.ZodType;
}

export interface ValidationContext {
  actions: (name: string) => ActionInfo | undefined;
  /** The template library; when absent, template names are not checked. */
  templates?: { has(name: string): boolean };
  /** Publishing rejects unknown templates; simulation only warns (spec §3). */
  unknownTemplates?: "error" | "warning";
}

export type ValidationResult =
  | { ok: true; journey: Journey; warnings: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[]; warnings: ValidationIssue[] };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** An issue whose message is its code's English text. */
export function coded(
  where: Pick<ValidationIssue, "nodeId" | "edgeId" | "path">,
  code: IssueCode,
  params: IssueParams = {},
): ValidationIssue {
  return { ...where, message: issueMessage(code, params), code, params };
}

/**
 * The code and params of an issue zod reported: the code a refinement attached (`params.code`), else one per
 * zod issue kind, with what was seen so other languages can say it too.
 */
function zodCode(zi: z.core.$ZodIssue, seen: unknown): Pick<ValidationIssue, "code" | "params"> {
  const attached = (zi as { params?: Record<string, unknown> }).params;
  if (attached && isIssueCode(attached.code)) {
    const { code, ...params } = attached;
    return { code, params: seen === undefined || "got" in params ? params : { got: seen, ...params } };
  }
  const params: IssueParams = seen === undefined ? {} : { got: seen };
  for (const key of ["expected", "values", "minimum", "maximum", "origin", "format", "keys"] as const)
    if (key in zi) params[key] = (zi as unknown as Record<string, unknown>)[key];
  const byZod: Record<string, IssueCode> = {
    invalid_type: "schema.invalid_type",
    invalid_value: "schema.invalid_value",
    too_small: "schema.too_small",
    too_big: "schema.too_big",
    invalid_format: "schema.invalid_format",
    unrecognized_keys: "schema.unrecognized_keys",
  };
  return { code: byZod[zi.code] ?? "schema.invalid", params };
}

/** Collects issues and warnings; zod's issues are given a code, the node or edge id, and the value seen. */
export class IssueSink {
  readonly issues: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  constructor(
    private readonly doc: unknown,
    private readonly rawNodes: unknown[],
    private readonly rawEdges: unknown[],
  ) {}

  addZodIssues(error: z.ZodError, prefix: PropertyKey[]): void {
    const { doc, rawNodes, rawEdges, issues } = this;
    for (const zi of error.issues) {
      const path = [...prefix, ...zi.path];
      const issue: ValidationIssue = {
        path: formatPath(path),
        message: zi.message,
        ...zodCode(zi, valueAt(doc, path)),
      };
      if (path[0] === "nodes") {
        const id = idOf(rawNodes, path[1]);
        if (id !== undefined) issue.nodeId = id;
      } else if (path[0] === "edges") {
        const id = idOf(rawEdges, path[1]);
        if (id !== undefined) issue.edgeId = id;
      }
      // Zod's own messages do not quote what they saw; the spec wants the offending value in each message.
      const seen = valueAt(doc, path);
      if (zi.code !== "custom" && !issue.message.includes(quote(seen))) {
        issue.message = `${issue.message}; got ${seen === undefined ? "nothing" : quote(seen)}`;
      }
      issues.push(issue);
    }
  }
}

const idOf = (list: unknown[], i: unknown): string | undefined => {
  const item = typeof i === "number" ? list[i] : undefined;
  return isObject(item) && typeof item.id === "string" ? item.id : undefined;
};
