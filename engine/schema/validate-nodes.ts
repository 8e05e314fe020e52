// Validation, phase one: each node's id, type, kind and data; an action's registration, params and template;
// and that there is a trigger at all.
import type { z } from "zod";
import { formatPath } from "./issues";
import { NODE_DATA, NODE_TYPES } from "./journey";
import type { JourneyNode, NodeType } from "./journey";
import { coded, isObject } from "./validate-context";
import type { IssueSink, ValidationContext } from "./validate-context";

export interface CheckedNodes {
  /** Nodes whose data parsed. */
  nodes: JourneyNode[];
  nodeById: Map<string, JourneyNode>;
  seenNodeIds: Set<string>;
  /** Nodes kept for the graph checks although their data (or action) is bad. */
  typedOnly: Map<string, JourneyNode>;
}

export function checkNodes(rawNodes: unknown[], ctx: ValidationContext, sink: IssueSink): CheckedNodes {
  const nodes: JourneyNode[] = [];
  const nodeById = new Map<string, JourneyNode>();
  const seenNodeIds = new Set<string>();
  const typedOnly = new Map<string, JourneyNode>();
  rawNodes.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.id !== "string") return; // reported by the shape check
    const id = raw.id;
    const at = (...p: PropertyKey[]): string => formatPath(["nodes", i, ...p]);
    if (seenNodeIds.has(id)) {
      sink.issues.push(coded({ nodeId: id, path: at("id") }, "node.duplicate_id", { id }));
      return;
    }
    seenNodeIds.add(id);
    const type = raw.type;
    if (!(NODE_TYPES as readonly unknown[]).includes(type)) {
      sink.issues.push(
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
        sink.issues.push(
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
      sink.addZodIssues(parsed.error, ["nodes", i, "data"]);
      // Keep the node for the graph checks, so one bad field does not hide its edges' problems.
      typedOnly.set(id, { ...raw, data } as JourneyNode);
      return;
    }
    const node = { ...raw, data: parsed.data } as JourneyNode;
    if (node.type === "action") {
      const info = ctx.actions(node.data.action);
      if (!info) {
        sink.issues.push(
          coded({ nodeId: id, path: at("data", "action") }, "node.unknown_action", { got: node.data.action }),
        );
        typedOnly.set(id, node);
        return;
      }
      if (info.config) {
        const params = info.config.safeParse(node.data.params ?? {});
        if (!params.success) sink.addZodIssues(params.error, ["nodes", i, "data", "params"]);
      }
      const tpl = node.data.template;
      if (tpl !== undefined && ctx.templates && !ctx.templates.has(tpl)) {
        const issue = coded({ nodeId: id, path: at("data", "template") }, "node.unknown_template", {
          got: tpl,
        });
        (ctx.unknownTemplates === "warning" ? sink.warnings : sink.issues).push(issue);
      }
    }
    nodes.push(node);
    nodeById.set(id, node);
  });

  if (!rawNodes.some((n) => isObject(n) && n.type === "trigger")) {
    sink.issues.push(coded({ path: "nodes" }, "journey.no_trigger"));
  }
  return { nodes, nodeById, seenNodeIds, typedOnly };
}
