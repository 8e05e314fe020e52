import type { JourneyNode } from "./journey";

export const DEFAULT_PORT = "next";

/** The output ports of a node, given the custom ports an action declares (beyond next/failed). */
export function portsOf(
  node: JourneyNode,
  actionPorts: (action: string) => readonly string[] = () => [],
): string[] {
  switch (node.type) {
    case "trigger":
      return ["next"];
    case "condition":
      return ["yes", "no"];
    case "wait":
      return node.data.kind === "event" ? ["matched", "timeout"] : ["next"];
    case "split":
      return node.data.kind === "random" ? node.data.branches.map((b) => b.id) : ["holdout", "continue"];
    case "action":
      return [
        "next",
        "failed",
        ...actionPorts(node.data.action).filter((p) => p !== "next" && p !== "failed"),
      ];
    case "exit":
      return [];
  }
}

export function edgePort(edge: { sourceHandle?: string | null | undefined }): string {
  return edge.sourceHandle ?? DEFAULT_PORT;
}
