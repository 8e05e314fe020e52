import type { Journey } from "../../engine/schema/journey";

/** Internal and external actions, a resumed delivery (failed port), a split and a wait: every commit path. */
export const CRASH_JOURNEY: Journey = {
  schemaVersion: 1,
  name: "Crash test",
  settings: {},
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "churn_signal" } },
    {
      id: "c1",
      type: "condition",
      position: { x: 0, y: 100 },
      data: {
        conditions: { any: [{ fact: "traits", path: "$.tier", operator: "in", value: ["gold", "silver"] }] },
      },
    },
    {
      id: "coupon",
      type: "action",
      position: { x: 0, y: 200 },
      data: { action: "issue_coupon", params: { offer: "winback10" } },
    },
    { id: "w1", type: "wait", position: { x: 0, y: 300 }, data: { kind: "duration", duration: "1h" } },
    { id: "mail", type: "action", position: { x: 0, y: 400 }, data: { action: "email" } },
    {
      id: "tag",
      type: "action",
      position: { x: 0, y: 500 },
      data: { action: "add_tag", params: { tag: "winback" } },
    },
    {
      id: "s1",
      type: "split",
      position: { x: 0, y: 600 },
      data: {
        kind: "random",
        branches: [
          { id: "a", weight: 1 },
          { id: "b", weight: 1 },
        ],
      },
    },
    { id: "sms", type: "action", position: { x: 0, y: 700 }, data: { action: "sms" } },
    { id: "w2", type: "wait", position: { x: 0, y: 800 }, data: { kind: "duration", duration: "2h" } },
    { id: "push", type: "action", position: { x: 0, y: 900 }, data: { action: "email" } },
    { id: "x1", type: "exit", position: { x: 0, y: 1000 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "t1", target: "c1" },
    { id: "e2", source: "c1", sourceHandle: "yes", target: "coupon" },
    { id: "e3", source: "c1", sourceHandle: "no", target: "w2" },
    { id: "e4", source: "coupon", target: "w1" },
    { id: "e5", source: "w1", target: "mail" },
    { id: "e6", source: "mail", target: "tag" },
    { id: "e7", source: "mail", sourceHandle: "failed", target: "x1" },
    { id: "e8", source: "tag", target: "s1" },
    { id: "e9", source: "s1", sourceHandle: "a", target: "sms" },
    { id: "e10", source: "s1", sourceHandle: "b", target: "w2" },
    { id: "e11", source: "w2", target: "push" },
  ],
};
