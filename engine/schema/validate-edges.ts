// Validation, phase two: each edge's id, ends and port (one edge per port, none into a trigger).
import { formatPath } from "./issues";
import type { JourneyEdge, JourneyNode } from "./journey";
import { edgePort, portsOf } from "./ports";
import { coded, isObject } from "./validate-context";
import type { IssueSink, ValidationContext } from "./validate-context";
import type { CheckedNodes } from "./validate-nodes";

/** The well-formed edges between known nodes. */
export function checkEdges(
  rawEdges: unknown[],
  { nodeById, seenNodeIds, typedOnly }: CheckedNodes,
  ctx: ValidationContext,
  sink: IssueSink,
): JourneyEdge[] {
  const edges: JourneyEdge[] = [];
  const seenEdgeIds = new Set<string>();
  const usedPorts = new Map<string, string>();
  const actionPorts = (name: string): readonly string[] => ctx.actions(name)?.ports ?? [];
  rawEdges.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.id !== "string") return;
    const id = raw.id;
    const at = (...p: PropertyKey[]): string => formatPath(["edges", i, ...p]);
    if (seenEdgeIds.has(id)) {
      sink.issues.push(coded({ edgeId: id, path: at("id") }, "edge.duplicate_id", { id }));
      return;
    }
    seenEdgeIds.add(id);
    if (typeof raw.source !== "string" || typeof raw.target !== "string") return;
    const edge = raw as JourneyEdge;
    let ok = true;
    if (!seenNodeIds.has(edge.source)) {
      sink.issues.push(
        coded({ edgeId: id, path: at("source") }, "edge.source_missing", { got: edge.source }),
      );
      ok = false;
    }
    if (!seenNodeIds.has(edge.target)) {
      sink.issues.push(
        coded({ edgeId: id, path: at("target") }, "edge.target_missing", { got: edge.target }),
      );
      ok = false;
    }
    const source = nodeById.get(edge.source) ?? typedOnly.get(edge.source);
    const target = nodeById.get(edge.target) ?? typedOnly.get(edge.target);
    const port = edgePort(edge);
    const ports = source ? safePorts(source, actionPorts) : undefined;
    if (source && ports) {
      if (!ports.includes(port)) {
        sink.issues.push(
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
          sink.issues.push(
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
      sink.issues.push(coded({ edgeId: id, path: at("target") }, "edge.into_trigger", { got: edge.target }));
      ok = false;
    }
    if (ok && source && target) edges.push(edge);
  });
  return edges;
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
