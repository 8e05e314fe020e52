import { describe, expect, it } from "vitest";
import type { JourneyEdge, JourneyNode } from "../../../engine/schema";
import { connectionProblem, createsCycleWithoutWait, freePorts } from "./rules";

const n = (id: string, type: string, data: Record<string, unknown> = {}): JourneyNode =>
  ({ id, type, position: { x: 0, y: 0 }, data }) as JourneyNode;

const nodes: JourneyNode[] = [
  n("t1", "trigger", { kind: "event", event: "churn_signal" }),
  n("c1", "condition", { conditions: { all: [] } }),
  n("c2", "condition", { conditions: { all: [] } }),
  n("w1", "wait", { kind: "duration", duration: "72h" }),
  n("we", "wait", { kind: "event", event: "order_completed", timeout: "3d" }),
  n("s1", "split", {
    kind: "random",
    branches: [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ],
  }),
  n("h1", "split", { kind: "holdout", percent: 10 }),
  n("a1", "action", { action: "email", template: "winback-coupon" }),
  n("ac", "action", { action: "acme/loyalty", params: {} }),
  n("x1", "exit"),
];
const edges: JourneyEdge[] = [
  { id: "e1", source: "t1", target: "c1" },
  { id: "e2", source: "c1", sourceHandle: "yes", target: "c2" },
];
const customPorts = (a: string): readonly string[] => (a === "acme/loyalty" ? ["vip", "regular"] : []);
const check = (source: string, sourceHandle: string | null, target: string, es = edges) =>
  connectionProblem({ source, sourceHandle, target }, nodes, es, customPorts);

describe("connection rules", () => {
  it("allows the ports each node type has", () => {
    expect(check("c1", "no", "x1")).toBeNull();
    expect(check("w1", null, "a1")).toBeNull();
    expect(check("w1", "next", "a1")).toBeNull();
    expect(check("we", "matched", "a1")).toBeNull();
    expect(check("we", "timeout", "x1")).toBeNull();
    expect(check("s1", "a", "a1")).toBeNull();
    expect(check("s1", "b", "x1")).toBeNull();
    expect(check("h1", "holdout", "x1")).toBeNull();
    expect(check("h1", "continue", "a1")).toBeNull();
    expect(check("a1", "failed", "x1")).toBeNull();
    expect(check("ac", "vip", "x1")).toBeNull();
  });

  it("rejects a port the type lacks", () => {
    expect(check("c1", null, "x1")).toBe("noPort");
    expect(check("c1", "maybe", "x1")).toBe("noPort");
    expect(check("w1", "matched", "x1")).toBe("noPort");
    expect(check("we", "next", "x1")).toBe("noPort");
    expect(check("s1", "c", "x1")).toBe("noPort");
    expect(check("a1", "vip", "x1")).toBe("noPort");
  });

  it("allows one edge per port", () => {
    expect(check("c1", "yes", "x1")).toBe("portUsed");
    expect(check("t1", null, "w1")).toBe("portUsed");
    expect(check("t1", "next", "w1")).toBe("portUsed");
  });

  it("rejects self loops, edges into triggers and out of exits", () => {
    expect(check("c2", "yes", "c2")).toBe("self");
    expect(check("c2", "yes", "t1")).toBe("intoTrigger");
    expect(check("x1", null, "a1")).toBe("fromExit");
    expect(connectionProblem({ source: null, target: "a1" }, nodes, edges)).toBe("missing");
    expect(check("nope", null, "a1")).toBe("missing");
  });

  it("rejects a cycle without a wait, allows one through a wait", () => {
    expect(check("c2", "yes", "c1")).toBe("cycleWithoutWait");
    const viaWait: JourneyEdge[] = [...edges, { id: "e3", source: "c2", sourceHandle: "yes", target: "w1" }];
    expect(check("w1", null, "c1", viaWait)).toBeNull();
    const byId = new Map(nodes.map((x) => [x.id, x]));
    expect(createsCycleWithoutWait("c2", "c1", byId, edges)).toBe(true);
    expect(createsCycleWithoutWait("c2", "w1", byId, edges)).toBe(false);
  });

  it("lists free ports", () => {
    expect(freePorts(nodes[1]!, edges)).toEqual(["no"]);
    expect(freePorts(nodes[8]!, edges, customPorts)).toEqual(["next", "failed", "vip", "regular"]);
    expect(freePorts(nodes[9]!, edges)).toEqual([]);
  });
});

describe("auto-layout", () => {
  it("lays out top to bottom with port order left to right", async () => {
    const { autoLayout } = await import("./layout");
    const { edgePort } = await import("../../../engine/schema");
    const ns = [n("t1", "trigger"), n("c1", "condition"), n("a1", "action"), n("x1", "exit")];
    const es: JourneyEdge[] = [
      { id: "e1", source: "t1", target: "c1" },
      { id: "e2", source: "c1", sourceHandle: "no", target: "x1" },
      { id: "e3", source: "c1", sourceHandle: "yes", target: "a1" },
    ];
    const order = ["yes", "no", "next"];
    const out = autoLayout(ns, es, undefined, (e) => order.indexOf(edgePort(e)));
    const at = Object.fromEntries(out.map((x) => [x.id, x.position]));
    expect(at.t1!.y).toBeLessThan(at.c1!.y);
    expect(at.c1!.y).toBeLessThan(at.a1!.y);
    expect(at.a1!.x).toBeLessThan(at.x1!.x);
  });
});
