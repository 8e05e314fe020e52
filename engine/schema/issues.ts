import { renderIssue } from "./messages";
import type { Lang } from "./messages";

/** One problem found in a journey document (spec §1 Validation). */
export interface ValidationIssue {
  nodeId?: string;
  edgeId?: string;
  /** Where in the document, e.g. `nodes[2].data.duration`. */
  path: string;
  message: string;
  /** A stable code for the kind of problem (see `messages.ts`); the message is its English rendering. */
  code?: string;
  /** The values the message is made from, for rendering it in another language. */
  params?: Record<string, unknown>;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

const WHERE = {
  en: { node: "node", edge: "edge", journey: "journey", document: "(document)" },
  zh: { node: "节点", edge: "连线", journey: "旅程", document: "（文档）" },
} as const;

/** One line per issue, as the command line prints them, in the reader's language. */
export function formatIssue(issue: ValidationIssue, lang: Lang = "en"): string {
  const w = WHERE[lang];
  const where =
    issue.nodeId !== undefined
      ? `${w.node} ${issue.nodeId}`
      : issue.edgeId !== undefined
        ? `${w.edge} ${issue.edgeId}`
        : w.journey;
  return `${where}: ${issue.path || w.document}: ${renderIssue(issue, lang)}`;
}
