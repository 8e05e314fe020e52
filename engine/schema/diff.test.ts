import { describe, expect, it } from "vitest";
import { diffJourneys, isEmptyDiff } from "./diff";

describe("journey diff", () => {
  it("reports nodes, edges and settings", () => {
    const a = {
      name: "A",
      settings: { timezone: "UTC" },
      nodes: [
        { id: "n1", type: "wait", position: { x: 0, y: 0 }, data: { d: 1 } },
        { id: "n2", type: "exit", position: { x: 0, y: 0 }, data: {} },
      ],
      edges: [{ id: "e1", source: "n1", target: "n2" }],
    };
    const b = {
      name: "A",
      settings: { timezone: "Asia/Shanghai" },
      nodes: [
        { id: "n1", type: "wait", position: { x: 5, y: 0 }, data: { d: 1 } },
        { id: "n3", type: "exit", position: { x: 0, y: 0 }, data: {} },
      ],
      edges: [{ id: "e1", source: "n1", target: "n3" }],
    };
    expect(diffJourneys(a, b)).toEqual({
      nodes: { added: ["n3"], removed: ["n2"], changed: [], moved: ["n1"] },
      edges: { added: ["e1"], removed: ["e1"] },
      settings: { changed: ["timezone"] },
    });
  });
});

describe("journey diff: connections, not edge ids", () => {
  const doc = (edges: object[]) => ({
    name: "A",
    nodes: [
      { id: "n1", type: "wait", position: { x: 0, y: 0 }, data: {} },
      { id: "n2", type: "exit", position: { x: 0, y: 0 }, data: {} },
    ],
    edges,
  });
  it("a connection drawn again under a new id is no change; a new port is", () => {
    const before = doc([{ id: "e1", source: "n1", target: "n2" }]);
    const redrawn = doc([{ id: "e7", source: "n1", sourceHandle: "next", target: "n2" }]);
    expect(isEmptyDiff(diffJourneys(before, redrawn))).toBe(true);
    const otherPort = doc([{ id: "e1", source: "n1", sourceHandle: "timeout", target: "n2" }]);
    expect(diffJourneys(before, otherPort).edges).toEqual({ added: ["e1"], removed: ["e1"] });
  });
});
