import { describe, expect, it } from "vitest";
import type { Journey } from "../../../engine/schema";
import { blankJourney, flowToJourney, freshId, journeyToFlow } from "./convert";
import type { FlowNode } from "./convert";

export const SPEC_EXAMPLE: Journey = {
  schemaVersion: 1,
  name: "Win-back within 72 hours",
  settings: {
    timezone: "Asia/Shanghai",
    reentry: { mode: "once" },
    exitOn: [{ event: "order_completed" }],
    goal: { event: "order_completed", within: "14d" },
    quietHours: { start: "21:00", end: "09:00" },
    frequencyCap: { max: 3, per: "7d" },
  },
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "churn_signal" } },
    { id: "w1", type: "wait", position: { x: 0, y: 120 }, data: { kind: "duration", duration: "72h" } },
    {
      id: "c1",
      type: "condition",
      position: { x: 0, y: 240 },
      data: {
        conditions: {
          all: [
            {
              fact: "eventCount",
              params: { event: "order_completed", since: "entry" },
              operator: "equal",
              value: 0,
            },
          ],
        },
      },
    },
    {
      id: "a1",
      type: "action",
      position: { x: 0, y: 360 },
      data: { action: "email", template: "winback-coupon" },
    },
    { id: "x1", type: "exit", position: { x: 200, y: 360 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "t1", target: "w1" },
    { id: "e2", source: "w1", target: "c1" },
    { id: "e3", source: "c1", sourceHandle: "yes", target: "a1" },
    { id: "e4", source: "c1", sourceHandle: "no", target: "x1" },
  ],
};

describe("journey ↔ React Flow", () => {
  it("a document saved unchanged comes back identical", () => {
    const flow = journeyToFlow(SPEC_EXAMPLE);
    expect(flowToJourney(flow, SPEC_EXAMPLE)).toEqual(SPEC_EXAMPLE);
    expect(JSON.stringify(flowToJourney(flow, SPEC_EXAMPLE))).toBe(JSON.stringify(SPEC_EXAMPLE));
  });

  it("strips what React Flow adds at run time (selection, measurements, dragging)", () => {
    const flow = journeyToFlow(SPEC_EXAMPLE);
    flow.nodes = flow.nodes.map((n, i): FlowNode => ({
      ...n,
      selected: i === 0,
      dragging: false,
      measured: { width: 240, height: 84 },
    }));
    flow.edges = flow.edges.map((e) => ({ ...e, selected: true }));
    expect(flowToJourney(flow, SPEC_EXAMPLE)).toEqual(SPEC_EXAMPLE);
  });

  it("keeps fields beyond the spec's (extra document, node and edge fields)", () => {
    const doc = {
      ...SPEC_EXAMPLE,
      description: "kept",
      nodes: SPEC_EXAMPLE.nodes.map((n) => ({ ...n, note: `note ${n.id}` })),
      edges: SPEC_EXAMPLE.edges.map((e) => ({ ...e, label: "x", targetHandle: null })),
    } as Journey;
    expect(flowToJourney(journeyToFlow(doc), doc)).toEqual(doc);
  });

  it("does not share objects with the source document", () => {
    const flow = journeyToFlow(SPEC_EXAMPLE);
    (flow.nodes[0]!.data as { event: string }).event = "changed";
    expect((SPEC_EXAMPLE.nodes[0]!.data as { event: string }).event).toBe("churn_signal");
  });

  it("round-trips a position change as exactly that change", () => {
    const flow = journeyToFlow(SPEC_EXAMPLE);
    flow.nodes[1] = { ...flow.nodes[1]!, position: { x: 16, y: 136 } };
    const out = flowToJourney(flow, SPEC_EXAMPLE);
    expect(out.nodes[1]!.position).toEqual({ x: 16, y: 136 });
    expect({ ...out, nodes: out.nodes.filter((n) => n.id !== "w1") }).toEqual({
      ...SPEC_EXAMPLE,
      nodes: SPEC_EXAMPLE.nodes.filter((n) => n.id !== "w1"),
    });
  });

  it("makes fresh ids and blank journeys", () => {
    expect(freshId("w", ["w1", "w2"])).toBe("w3");
    expect(freshId("e", [])).toBe("e1");
    const blank = blankJourney("New");
    expect(flowToJourney(journeyToFlow(blank), blank)).toEqual(blank);
  });
});
