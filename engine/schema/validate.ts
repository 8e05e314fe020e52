// Over 300 lines: validateJourney's phases (shape, nodes, edges, graph, then the parsed journey's checks)
// share one issue collector and the id maps in one closure; moving each phase to its own module is still to do.
import type { z } from "zod";
import type { ValidationIssue } from "./issues";
import { formatPath } from "./issues";
import { journeyShapeSchema, NODE_DATA, NODE_TYPES } from "./journey";
import type { Journey, JourneyEdge, JourneyNode, JourneySettings, NodeType } from "./journey";
import { edgePort, portsOf } from "./ports";
import { cycles, reachableFrom } from "./graph";
import { limitIssues } from "./limits";
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

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** An issue whose message is its code's English text. */
function coded(
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

/**
 * What a non-object document is, for its issue: it precedes the size limits, so an array (of any depth or
 * length) is named by its kind and a string is cut, never put whole into a message or a response.
 */
function rootPreview(doc: unknown): unknown {
  if (Array.isArray(doc)) return "array";
  if (typeof doc === "string" && doc.length > 80) return `${doc.slice(0, 80)}…`;
  return doc;
}

/** Validates a journey document against every rule of spec §1, returning all issues at once. */
export function validateJourney(doc: unknown, ctx: ValidationContext): ValidationResult {
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (!isObject(doc)) {
    return {
      ok: false,
      issues: [coded({ path: "" }, "journey.not_object", { got: rootPreview(doc) })],
      warnings,
    };
  }
  // Bounded first, iteratively: every check below recurses into the document.
  const tooBig = limitIssues(doc);
  if (tooBig.length > 0) return { ok: false, issues: tooBig, warnings };
  const rawNodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const rawEdges = Array.isArray(doc.edges) ? doc.edges : [];
  const idOf = (list: unknown[], i: unknown): string | undefined => {
    const item = typeof i === "number" ? list[i] : undefined;
    return isObject(item) && typeof item.id === "string" ? item.id : undefined;
  };

  const addZodIssues = (error: z.ZodError, prefix: PropertyKey[]): void => {
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
  };

  const shape = journeyShapeSchema.safeParse(doc);
  if (!shape.success) addZodIssues(shape.error, []);

  // ---- nodes ----
  const nodes: JourneyNode[] = [];
  const nodeById = new Map<string, JourneyNode>();
  const seenNodeIds = new Set<string>();
  const typedOnly = new Map<string, JourneyNode>();
  rawNodes.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.id !== "string") return; // reported by the shape check
    const id = raw.id;
    const at = (...p: PropertyKey[]): string => formatPath(["nodes", i, ...p]);
    if (seenNodeIds.has(id)) {
      issues.push(coded({ nodeId: id, path: at("id") }, "node.duplicate_id", { id }));
      return;
    }
    seenNodeIds.add(id);
    const type = raw.type;
    if (!(NODE_TYPES as readonly unknown[]).includes(type)) {
      issues.push(
        coded({ nodeId: id, path: at("type") }, "node.unknown_type", { got: type, expected: NODE_TYPES }),
      );
      return;
    }
    const data = isObject(raw.data) ? raw.data : undefined;
    if (!data) return; // reported by the shape check
    const schemas = NODE_DATA[type as NodeType];
    let schema: z.ZodType;
    if ("safeParse" in schemas) {
      schema = schemas as z.ZodType;
    } else {
      const kinds = Object.keys(schemas);
      const kind = data.kind;
      if (typeof kind !== "string" || !kinds.includes(kind)) {
        issues.push(
          coded({ nodeId: id, path: at("data", "kind") }, "node.unknown_kind", {
            type,
            got: kind,
            expected: kinds,
          }),
        );
        return;
      }
      schema = (schemas as Record<string, z.ZodType>)[kind]!;
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      addZodIssues(parsed.error, ["nodes", i, "data"]);
      // Keep the node for the graph checks, so one bad field does not hide its edges' problems.
      typedOnly.set(id, { ...raw, data } as JourneyNode);
      return;
    }
    const node = { ...raw, data: parsed.data } as JourneyNode;
    if (node.type === "action") {
      const info = ctx.actions(node.data.action);
      if (!info) {
        issues.push(
          coded({ nodeId: id, path: at("data", "action") }, "node.unknown_action", { got: node.data.action }),
        );
        typedOnly.set(id, node);
        return;
      }
      if (info.config) {
        const params = info.config.safeParse(node.data.params ?? {});
        if (!params.success) addZodIssues(params.error, ["nodes", i, "data", "params"]);
      }
      const tpl = node.data.template;
      if (tpl !== undefined && ctx.templates && !ctx.templates.has(tpl)) {
        const issue = coded({ nodeId: id, path: at("data", "template") }, "node.unknown_template", {
          got: tpl,
        });
        (ctx.unknownTemplates === "warning" ? warnings : issues).push(issue);
      }
    }
    nodes.push(node);
    nodeById.set(id, node);
  });

  if (!rawNodes.some((n) => isObject(n) && n.type === "trigger")) {
    issues.push(coded({ path: "nodes" }, "journey.no_trigger"));
  }

  // ---- edges ----
  const edges: JourneyEdge[] = [];
  const seenEdgeIds = new Set<string>();
  const usedPorts = new Map<string, string>();
  const actionPorts = (name: string): readonly string[] => ctx.actions(name)?.ports ?? [];
  rawEdges.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.id !== "string") return;
    const id = raw.id;
    const at = (...p: PropertyKey[]): string => formatPath(["edges", i, ...p]);
    if (seenEdgeIds.has(id)) {
      issues.push(coded({ edgeId: id, path: at("id") }, "edge.duplicate_id", { id }));
      return;
    }
    seenEdgeIds.add(id);
    if (typeof raw.source !== "string" || typeof raw.target !== "string") return;
    const edge = raw as JourneyEdge;
    let ok = true;
    if (!seenNodeIds.has(edge.source)) {
      issues.push(coded({ edgeId: id, path: at("source") }, "edge.source_missing", { got: edge.source }));
      ok = false;
    }
    if (!seenNodeIds.has(edge.target)) {
      issues.push(coded({ edgeId: id, path: at("target") }, "edge.target_missing", { got: edge.target }));
      ok = false;
    }
    const source = nodeById.get(edge.source) ?? typedOnly.get(edge.source);
    const target = nodeById.get(edge.target) ?? typedOnly.get(edge.target);
    const port = edgePort(edge);
    const ports = source ? safePorts(source, actionPorts) : undefined;
    if (source && ports) {
      if (!ports.includes(port)) {
        issues.push(
          ports.length === 0
            ? coded({ edgeId: id, path: at("sourceHandle") }, "edge.no_ports", {
                type: source.type,
                got: port,
              })
            : coded({ edgeId: id, path: at("sourceHandle") }, "edge.unknown_port", {
                type: source.type,
                got: port,
                ports,
              }),
        );
        ok = false;
      } else {
        const key = `${edge.source}\u0000${port}`;
        const other = usedPorts.get(key);
        if (other !== undefined) {
          issues.push(
            coded({ edgeId: id, path: at("sourceHandle") }, "edge.port_taken", {
              port,
              node: edge.source,
              other,
            }),
          );
          ok = false;
        } else usedPorts.set(key, id);
      }
    }
    if (target?.type === "trigger") {
      issues.push(coded({ edgeId: id, path: at("target") }, "edge.into_trigger", { got: edge.target }));
      ok = false;
    }
    if (ok && source && target) edges.push(edge);
  });

  // ---- graph ----
  // Reachability and cycles follow the graph as drawn: every edge between two existing nodes, even one
  // already reported for a bad port or a duplicate id, and through nodes of an unknown type or kind. Only
  // following the well-formed edges made one bad edge or node also report every node after it as
  // unreachable, and hid a cycle drawn through a misnamed port.
  const drawn = new Map<string, string[]>();
  for (const raw of rawEdges) {
    if (!isObject(raw) || typeof raw.source !== "string" || typeof raw.target !== "string") continue;
    if (!seenNodeIds.has(raw.source) || !seenNodeIds.has(raw.target)) continue;
    const list = drawn.get(raw.source);
    if (list) list.push(raw.target);
    else drawn.set(raw.source, [raw.target]);
  }
  const triggers = [
    ...new Set(
      rawNodes.flatMap((n) =>
        isObject(n) && typeof n.id === "string" && n.type === "trigger" ? [n.id] : [],
      ),
    ),
  ];
  if (triggers.length > 0) {
    const reached = reachableFrom(triggers, drawn);
    rawNodes.forEach((raw, i) => {
      const known =
        isObject(raw) && typeof raw.id === "string" && (nodeById.has(raw.id) || typedOnly.has(raw.id));
      if (known && raw.type !== "trigger" && !reached.has(raw.id as string)) {
        issues.push(
          coded({ nodeId: raw.id as string, path: formatPath(["nodes", i]) }, "node.unreachable", {
            id: raw.id,
          }),
        );
      }
    });
  }
  // The type as the first node with that id declares it (a duplicate id is reported above).
  const declaredType = new Map<string, unknown>();
  for (const n of rawNodes) {
    if (isObject(n) && typeof n.id === "string" && !declaredType.has(n.id)) declaredType.set(n.id, n.type);
  }
  const withoutWaits = new Map<string, string[]>();
  for (const [from, tos] of drawn) {
    if (declaredType.get(from) === "wait") continue;
    // An edge into a trigger is reported above; it is not followed into a second cycle issue.
    const kept = tos.filter((t) => declaredType.get(t) !== "wait" && declaredType.get(t) !== "trigger");
    withoutWaits.set(from, kept);
  }
  for (const cycle of cycles([...declaredType.keys()], withoutWaits)) {
    const first = cycle[0]!;
    issues.push(
      coded(
        {
          nodeId: first,
          path: formatPath(["nodes", rawNodes.findIndex((n) => isObject(n) && n.id === first)]),
        },
        "node.cycle_without_wait",
        { cycle: [...cycle, first] },
      ),
    );
  }

  if (issues.length > 0 || !shape.success) return { ok: false, issues, warnings };
  const settings: JourneySettings = shape.data.settings ?? {};
  const journey = { ...shape.data, settings, nodes, edges } as Journey;
  return { ok: true, journey, warnings };
}

/** Ports of a node whose data may have failed validation: unknown when they depend on the bad data. */
function safePorts(
  node: JourneyNode,
  actionPorts: (name: string) => readonly string[],
): string[] | undefined {
  try {
    const ports = portsOf(node, actionPorts);
    return ports.every((p) => typeof p === "string") ? ports : undefined;
  } catch {
    return undefined;
  }
}
