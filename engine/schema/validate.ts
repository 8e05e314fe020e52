import { journeyShapeSchema } from "./journey";
import type { Journey, JourneySettings } from "./journey";
import { limitIssues } from "./limits";
import { coded, isObject, IssueSink } from "./validate-context";
import type { ValidationContext, ValidationResult } from "./validate-context";
import { checkEdges } from "./validate-edges";
import { checkGraph } from "./validate-graph";
import { checkNodes } from "./validate-nodes";
import { goalWindowWarnings } from "./validate-goal";

export type { ActionInfo, ValidationContext, ValidationResult } from "./validate-context";

/**
 * What a non-object document is, for its issue: it precedes the size limits, so an array (of any depth or
 * length) is named by its kind and a string is cut, never put whole into a message or a response.
 */
function rootPreview(doc: unknown): unknown {
  if (Array.isArray(doc)) return "array";
  if (typeof doc === "string" && doc.length > 80) return `${doc.slice(0, 80)}…`;
  return doc;
}

/**
 * Validates a journey document against every rule of spec §1, returning all issues at once. The phases:
 * the shape (zod), each node (validate-nodes.ts), each edge (validate-edges.ts), the graph (validate-graph.ts);
 * then, for a valid journey, paths that end before the goal window closes (validate-goal.ts, warnings only).
 */
export function validateJourney(doc: unknown, ctx: ValidationContext): ValidationResult {
  if (!isObject(doc)) {
    return {
      ok: false,
      issues: [coded({ path: "" }, "journey.not_object", { got: rootPreview(doc) })],
      warnings: [],
    };
  }
  // Bounded first, iteratively: every check below recurses into the document.
  const tooBig = limitIssues(doc);
  if (tooBig.length > 0) return { ok: false, issues: tooBig, warnings: [] };
  const rawNodes = Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : [];
  const rawEdges = Array.isArray(doc.edges) ? (doc.edges as unknown[]) : [];
  const sink = new IssueSink(doc, rawNodes, rawEdges);

  const shape = journeyShapeSchema.safeParse(doc);
  if (!shape.success) sink.addZodIssues(shape.error, []);
  const checked = checkNodes(rawNodes, ctx, sink);
  const edges = checkEdges(rawEdges, checked, ctx, sink);
  checkGraph(rawNodes, rawEdges, checked, sink);

  const { issues, warnings } = sink;
  if (issues.length > 0 || !shape.success) return { ok: false, issues, warnings };
  const settings: JourneySettings = shape.data.settings ?? {};
  const journey = { ...shape.data, settings, nodes: checked.nodes, edges } as Journey;
  return { ok: true, journey, warnings: [...warnings, ...goalWindowWarnings(journey, ctx)] };
}
