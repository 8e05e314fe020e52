// Validation, phase three: the graph as drawn — every node reachable from a trigger, no cycle without a wait.
import { cycles, reachableFrom } from "./graph";
import { formatPath } from "./issues";
import { coded, isObject } from "./validate-context";
import type { IssueSink } from "./validate-context";
import type { CheckedNodes } from "./validate-nodes";

export function checkGraph(
  rawNodes: unknown[],
  rawEdges: unknown[],
  { nodeById, seenNodeIds, typedOnly }: CheckedNodes,
  sink: IssueSink,
): void {
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
        sink.issues.push(
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
    sink.issues.push(
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
}
