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

/** One line per issue, as the command line prints them. */
export function formatIssue(issue: ValidationIssue): string {
  const where =
    issue.nodeId !== undefined
      ? `node ${issue.nodeId}`
      : issue.edgeId !== undefined
        ? `edge ${issue.edgeId}`
        : "journey";
  return `${where}: ${issue.path || "(document)"}: ${issue.message}`;
}
