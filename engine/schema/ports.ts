import type { JourneyNode } from "./journey";

export const DEFAULT_PORT = "next";

/**
 * The fixed output ports of each node type, and of each kind where the kind decides. A random split's ports
 * are its branch ids and an action may declare ports of its own, beyond these.
 */
export const NODE_PORTS = {
  trigger: { event: ["next"], audience: ["next"], stage: ["next"], manual: ["next"] },
  condition: ["yes", "no"],
  wait: { duration: ["next"], until: ["next"], event: ["matched", "timeout"] },
  split: { random: [], holdout: ["holdout", "continue"] },
  action: ["next", "failed"],
  exit: [],
} as const satisfies Record<JourneyNode["type"], readonly string[] | Record<string, readonly string[]>>;

/** The output ports of a node, given the custom ports an action declares (beyond next/failed). */
export function portsOf(
  node: JourneyNode,
  actionPorts: (action: string) => readonly string[] = () => [],
): string[] {
  switch (node.type) {
    case "trigger":
      return [...NODE_PORTS.trigger[node.data.kind]];
    case "condition":
      return [...NODE_PORTS.condition];
    case "wait":
      return [...NODE_PORTS.wait[node.data.kind]];
    case "split":
      return node.data.kind === "random"
        ? node.data.branches.map((b) => b.id)
        : [...NODE_PORTS.split.holdout];
    case "action":
      return [
        ...NODE_PORTS.action,
        ...actionPorts(node.data.action).filter((p) => !(NODE_PORTS.action as readonly string[]).includes(p)),
      ];
    case "exit":
      return [];
  }
}

export function edgePort(edge: { sourceHandle?: string | null | undefined }): string {
  return edge.sourceHandle ?? DEFAULT_PORT;
}
