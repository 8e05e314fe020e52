import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ValidationIssue } from "./issues";
import { formatIssue } from "./issues";
import { validateJourney } from "./validate";
import type { ValidationContext } from "./validate";
import { testValidationContext as ctx } from "./testing/arbitraries";
import type { JourneyDocument, RawEdge, RawNode } from "./testing/arbitraries";

const fixtures = fileURLToPath(new URL("../../test/fixtures/", import.meta.url));
const winback = JSON.parse(readFileSync(`${fixtures}winback-72h.json`, "utf8")) as JourneyDocument;
/** A fresh copy of the spec's example: t1 → w1 (72h) → c1 → yes a1 (email) / no x1. */
const example = (): JourneyDocument => structuredClone(winback);

const at = { x: 0, y: 0 };
const node = (id: string, type: string, data: Record<string, unknown> = {}): RawNode => ({
  id,
  type,
  position: at,
  data,
});
const edge = (id: string, source: string, target: string, sourceHandle?: string | null): RawEdge =>
  sourceHandle === undefined ? { id, source, target } : { id, source, target, sourceHandle };
const doc = (nodes: RawNode[], edges: RawEdge[], settings?: Record<string, unknown>): JourneyDocument => ({
  schemaVersion: 1,
  name: "test",
  ...(settings ? { settings } : {}),
  nodes,
  edges,
});
const trigger = (id = "t1"): RawNode => node(id, "trigger", { kind: "event", event: "churn_signal" });
const email = (id: string): RawNode => node(id, "action", { action: "email" });
const wait = (id: string, duration = "1d"): RawNode => node(id, "wait", { kind: "duration", duration });
const conditions = (...leaves: unknown[]): Record<string, unknown> => ({ all: leaves });

function issuesOf(document: unknown, context: ValidationContext = ctx): ValidationIssue[] {
  const result = validateJourney(document, context);
  if (result.ok) throw new Error("expected the document to be rejected");
  return result.issues;
}
function expectValid(document: unknown, context: ValidationContext = ctx) {
  const result = validateJourney(document, context);
  if (!result.ok) throw new Error(`expected a valid document, got ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
/** An issue with exactly this node/edge id and path, whose message quotes `quoted` (JSON-encoded). */
function expectIssue(
  issues: ValidationIssue[],
  want: { nodeId?: string; edgeId?: string; path: string; quoted?: unknown; says?: string },
): ValidationIssue {
  const found = issues.find(
    (i) => i.path === want.path && i.nodeId === want.nodeId && i.edgeId === want.edgeId,
  );
  expect(found, `no issue at ${want.path} in ${JSON.stringify(issues, null, 2)}`).toBeDefined();
  if (want.quoted !== undefined) expect(found!.message).toContain(JSON.stringify(want.quoted));
  if (want.says !== undefined) expect(found!.message).toContain(want.says);
  return found!;
}
/** The example with one node's data replaced. */
function withData(index: number, data: Record<string, unknown>): JourneyDocument {
  const d = example();
  d.nodes[index]!.data = data;
  return d;
}

describe("valid documents", () => {
  it("accepts the spec's example and returns the normalized journey", () => {
    const result = expectValid(example());
    expect(result.warnings).toEqual([]);
    expect(result.journey).toEqual(winback);
  });

  it("fills in empty settings when the document has none", () => {
    const d = example();
    delete d.settings;
    expect(expectValid(d).journey.settings).toEqual({});
  });

  it.each(readdirSync(`${fixtures}journeys`).filter((f) => f.endsWith(".json")))(
    "accepts test/fixtures/journeys/%s",
    (file) => {
      const json: unknown = JSON.parse(readFileSync(`${fixtures}journeys/${file}`, "utf8"));
      const result = expectValid(json);
      expect(result.journey).toEqual(json);
    },
  );

  it("allows and preserves React Flow's own fields on nodes, edges and the document", () => {
    const d = example();
    Object.assign(d.nodes[0]!, {
      width: 180,
      height: 60,
      selected: true,
      dragging: false,
      measured: { width: 180, height: 60 },
    });
    Object.assign(d.nodes[0]!.position, { z: 1 });
    Object.assign(d.edges[0]!, {
      type: "smoothstep",
      animated: true,
      targetHandle: null,
      style: { stroke: "red" },
    });
    Object.assign(d, { viewport: { x: 0, y: 0, zoom: 1 } });
    const { journey } = expectValid(d);
    expect(journey.nodes[0]).toMatchObject({
      width: 180,
      height: 60,
      selected: true,
      measured: { width: 180, height: 60 },
      position: { x: 0, y: 0, z: 1 },
    });
    expect(journey.edges[0]).toMatchObject({ type: "smoothstep", animated: true, style: { stroke: "red" } });
    expect(journey.viewport).toEqual({ x: 0, y: 0, zoom: 1 });
  });

  it('reads sourceHandle null (and absent) as "next"', () => {
    const d = doc(
      [trigger(), email("a1"), node("x1", "exit")],
      [edge("e1", "t1", "a1", null), edge("e2", "a1", "x1", null)],
    );
    expectValid(d);
    // …so null and "next" on the same node are the same port.
    d.nodes.push(node("x2", "exit"));
    d.edges.push(edge("e3", "a1", "x2", "next"));
    expectIssue(issuesOf(d), { edgeId: "e3", path: "edges[2].sourceHandle", quoted: "next" });
  });

  it("accepts every port of every node type", () => {
    const d = doc(
      [
        trigger(),
        node("c1", "condition", { conditions: conditions() }),
        node("we", "wait", { kind: "event", event: "email_opened", timeout: "3d" }),
        node("wu", "wait", { kind: "until", time: "09:00" }),
        node("s1", "split", {
          kind: "random",
          branches: [
            { id: "a", weight: 1 },
            { id: "b", weight: 3 },
          ],
        }),
        node("h1", "split", { kind: "holdout", percent: 10 }),
        email("a1"),
        node("x1", "exit"),
        node("x2", "exit"),
        node("x3", "exit"),
        node("x4", "exit"),
        node("x5", "exit"),
      ],
      [
        edge("e1", "t1", "c1", "next"),
        edge("e2", "c1", "we", "yes"),
        edge("e3", "c1", "wu", "no"),
        edge("e4", "we", "s1", "matched"),
        edge("e5", "we", "h1", "timeout"),
        edge("e6", "s1", "a1", "a"),
        edge("e7", "s1", "x1", "b"),
        edge("e8", "h1", "x2", "holdout"),
        edge("e9", "h1", "x3", "continue"),
        edge("e10", "a1", "x4", "next"),
        edge("e11", "a1", "x5", "failed"),
      ],
    );
    d.nodes.push(node("a2", "action", { action: "email" }));
    d.edges.push(edge("e12", "wu", "a2"));
    expectValid(d);
  });

  it("accepts the extra ports a registered action declares", () => {
    const context: ValidationContext = {
      actions: (n) => (n === "webhook" ? { ports: ["2xx", "4xx"] } : ctx.actions(n)),
    };
    const d = doc(
      [trigger(), node("a1", "action", { action: "webhook" }), node("x1", "exit"), node("x2", "exit")],
      [edge("e1", "t1", "a1"), edge("e2", "a1", "x1", "2xx"), edge("e3", "a1", "x2", "4xx")],
    );
    expectValid(d, context);
    expectIssue(issuesOf(d), { edgeId: "e2", path: "edges[1].sourceHandle", quoted: "2xx" });
  });

  it("accepts a node whose port has no edge (the run ends there) and a journey that is only a trigger", () => {
    expectValid(doc([trigger()], []));
    expectValid(
      doc([trigger(), node("c1", "condition", { conditions: conditions() })], [edge("e1", "t1", "c1")]),
    );
  });

  it("accepts several triggers into one graph", () => {
    expectValid(
      doc(
        [
          trigger(),
          node("t2", "trigger", { kind: "manual" }),
          node("t3", "trigger", { kind: "stage", to: "churned" }),
          email("a1"),
        ],
        [edge("e1", "t1", "a1"), edge("e2", "t2", "a1")],
      ),
    );
  });
});

describe("nodes", () => {
  it("rejects an unknown node type, without calling what follows it unreachable", () => {
    const d = example();
    d.nodes[1]!.type = "delay";
    const issues = issuesOf(d);
    expectIssue(issues, { nodeId: "w1", path: "nodes[1].type", quoted: "delay" });
    expect(issues).toHaveLength(1);
  });

  it("rejects an unknown kind of a node type", () => {
    const issues = issuesOf(withData(1, { kind: "sleep", duration: "1h" }));
    expectIssue(issues, { nodeId: "w1", path: "nodes[1].data.kind", quoted: "sleep" });
    expect(issues).toHaveLength(1);
    expectIssue(issuesOf(withData(0, { kind: "webhook" })), {
      nodeId: "t1",
      path: "nodes[0].data.kind",
      quoted: "webhook",
    });
    expectIssue(issuesOf(withData(0, { event: "x" })), { nodeId: "t1", path: "nodes[0].data.kind" });
  });

  it("rejects an unknown action", () => {
    const issues = issuesOf(withData(3, { action: "fax", template: "winback-coupon" }));
    expectIssue(issues, { nodeId: "a1", path: "nodes[3].data.action", quoted: "fax" });
    expect(issues).toHaveLength(1);
    expectIssue(issuesOf(withData(3, { template: "x" })), { nodeId: "a1", path: "nodes[3].data.action" });
  });

  it("applies a registered action's config schema to params", () => {
    const context: ValidationContext = {
      actions: (n) => (n === "webhook" ? { config: z.object({ url: z.url() }) } : ctx.actions(n)),
    };
    const d = withData(3, { action: "webhook", params: { url: "not a url" } });
    expectIssue(issuesOf(d, context), {
      nodeId: "a1",
      path: "nodes[3].data.params.url",
      quoted: "not a url",
    });
    expectValid(withData(3, { action: "webhook", params: { url: "https://example.com/h" } }), context);
  });

  it("rejects a document with no trigger", () => {
    const d = example();
    d.nodes.splice(0, 1);
    d.edges.splice(0, 1);
    expectIssue(issuesOf(d), { path: "nodes", says: "trigger" });
    expectIssue(issuesOf(doc([], [])), { path: "nodes", says: "trigger" });
  });

  it("rejects a duplicate node id", () => {
    const d = example();
    d.nodes.push(node("w1", "exit"));
    expectIssue(issuesOf(d), { nodeId: "w1", path: "nodes[5].id", quoted: "w1" });
  });

  it("rejects a node without an id, position or data", () => {
    const d = example();
    d.nodes.push({ type: "exit", position: at, data: {} } as unknown as RawNode);
    const missingPosition = { id: "x2", type: "exit", data: {} } as unknown as RawNode;
    d.nodes.push(missingPosition);
    d.edges.push(edge("e5", "a1", "x2"));
    const issues = issuesOf(d);
    expectIssue(issues, { path: "nodes[5].id" });
    expectIssue(issues, { nodeId: "x2", path: "nodes[6].position" });
  });

  it("rejects an unknown lifecycle stage and a holdout percent outside 0..100", () => {
    expectIssue(issuesOf(withData(0, { kind: "stage", to: "asleep" })), {
      nodeId: "t1",
      path: "nodes[0].data.to",
      quoted: "asleep",
    });
    const d = example();
    d.nodes[1] = node("w1", "split", { kind: "holdout", percent: 150 });
    d.edges[1]!.sourceHandle = "continue";
    expectIssue(issuesOf(d), { nodeId: "w1", path: "nodes[1].data.percent", quoted: 150 });
  });

  it("rejects a non-object document and a wrong schemaVersion", () => {
    expectIssue(issuesOf("journey"), { path: "", quoted: "journey" });
    expectIssue(issuesOf(null), { path: "", quoted: null });
    expectIssue(issuesOf({ ...example(), schemaVersion: 2 }), { path: "schemaVersion", quoted: 2 });
    expectIssue(issuesOf({ ...example(), name: "   " }), { path: "name" });
  });
});

describe("edges", () => {
  it("rejects a dangling source and a dangling target", () => {
    const d = example();
    d.edges.push(edge("e5", "ghost", "x1"), edge("e6", "a1", "nowhere"));
    const issues = issuesOf(d);
    expectIssue(issues, { edgeId: "e5", path: "edges[4].source", quoted: "ghost" });
    expectIssue(issues, { edgeId: "e6", path: "edges[5].target", quoted: "nowhere" });
  });

  it("rejects an edge without a target or source", () => {
    const d = example();
    delete (d.edges[3] as Partial<RawEdge>).target;
    delete (d.edges[2] as Partial<RawEdge>).source;
    const issues = issuesOf(d);
    expectIssue(issues, { edgeId: "e4", path: "edges[3].target" });
    expectIssue(issues, { edgeId: "e3", path: "edges[2].source" });
  });

  it("rejects a duplicate edge id", () => {
    const d = example();
    d.edges.push(edge("e4", "a1", "x1"));
    expectIssue(issuesOf(d), { edgeId: "e4", path: "edges[4].id", quoted: "e4" });
  });

  it("rejects two edges from one port", () => {
    const d = example();
    d.nodes.push(node("x2", "exit"));
    d.edges.push(edge("e5", "c1", "x2", "yes"));
    const issue = expectIssue(issuesOf(d), { edgeId: "e5", path: "edges[4].sourceHandle", quoted: "yes" });
    expect(issue.message).toContain('"e3"');
  });

  it('rejects port "maybe" on a condition', () => {
    const d = example();
    d.edges[2]!.sourceHandle = "maybe";
    const issues = issuesOf(d);
    expectIssue(issues, { edgeId: "e3", path: "edges[2].sourceHandle", quoted: "maybe" });
    // The node behind the bad edge is still drawn as reachable: one mistake, one issue.
    expect(issues).toHaveLength(1);
  });

  it('rejects "next" on a wait for an event', () => {
    const d = withData(1, { kind: "event", event: "email_opened", timeout: "3d" });
    expectIssue(issuesOf(d), { edgeId: "e2", path: "edges[1].sourceHandle", quoted: "next" });
    d.edges[1]!.sourceHandle = "matched";
    expectValid(d);
  });

  it.each([null, "next", "yes"])("rejects any edge out of an exit (sourceHandle %j)", (handle) => {
    const d = example();
    d.edges.push(edge("e5", "x1", "a1", handle));
    expectIssue(issuesOf(d), { edgeId: "e5", path: "edges[4].sourceHandle", quoted: handle ?? "next" });
  });

  it("rejects a random split's port that is not one of its branch ids", () => {
    const d = example();
    d.nodes[1] = node("w1", "split", { kind: "random", branches: [{ id: "a", weight: 1 }] });
    d.edges[1]!.sourceHandle = "b";
    const issue = expectIssue(issuesOf(d), { edgeId: "e2", path: "edges[1].sourceHandle", quoted: "b" });
    expect(issue.message).toContain("a");
    d.edges[1]!.sourceHandle = "a";
    expectValid(d);
  });

  it('rejects ports a holdout split lacks, including "next"', () => {
    for (const handle of ["yes", "next", null, "a"]) {
      const d = example();
      d.nodes[1] = node("w1", "split", { kind: "holdout", percent: 5 });
      d.edges[1]!.sourceHandle = handle;
      expectIssue(issuesOf(d), { edgeId: "e2", path: "edges[1].sourceHandle", quoted: handle ?? "next" });
    }
  });

  it("rejects ports the other node types lack", () => {
    const cases: [number, string][] = [
      [0, "yes"], // trigger: next only
      [1, "matched"], // duration wait: next only
      [3, "timeout"], // action: next, failed
    ];
    for (const [edgeIndex, handle] of cases) {
      const d = example();
      const e = [d.edges[0]!, d.edges[1]!, d.edges[2]!, d.edges[3]!][edgeIndex]!;
      if (edgeIndex === 3) {
        d.edges.push(edge("e5", "a1", "x1", handle));
        expectIssue(issuesOf(d), { edgeId: "e5", path: "edges[4].sourceHandle", quoted: handle });
      } else {
        e.sourceHandle = handle;
        expectIssue(issuesOf(d), { edgeId: e.id, path: `edges[${edgeIndex}].sourceHandle`, quoted: handle });
      }
    }
  });

  it("rejects an edge into a trigger", () => {
    const d = example();
    d.edges.push(edge("e5", "a1", "t1"));
    expectIssue(issuesOf(d), { edgeId: "e5", path: "edges[4].target", quoted: "t1" });
  });
});

describe("graph", () => {
  it("rejects an unreachable node", () => {
    const d = example();
    d.nodes.push(node("x2", "exit"), email("a2"));
    d.edges.push(edge("e5", "a2", "x2"));
    const issues = issuesOf(d);
    expectIssue(issues, { nodeId: "a2", path: "nodes[6]", quoted: "a2" });
    expectIssue(issues, { nodeId: "x2", path: "nodes[5]", quoted: "x2" });
  });

  it("rejects a cycle without a wait, naming every node on it", () => {
    const d = doc(
      [
        trigger(),
        email("a1"),
        node("c1", "condition", { conditions: conditions() }),
        node("a2", "action", { action: "sms" }),
      ],
      [edge("e1", "t1", "a1"), edge("e2", "a1", "c1"), edge("e3", "c1", "a2", "no"), edge("e4", "a2", "a1")],
    );
    const issues = issuesOf(d);
    const cycle = issues.filter((i) => i.message.includes("cycle"));
    expect(cycle).toHaveLength(1);
    expect(["a1", "c1", "a2"]).toContain(cycle[0]!.nodeId);
    expect(cycle[0]!.path).toBe(`nodes[${d.nodes.findIndex((n) => n.id === cycle[0]!.nodeId)}]`);
    for (const id of ["a1", "c1", "a2"]) expect(cycle[0]!.message).toContain(id);
    expect(cycle[0]!.message).not.toContain("t1");
  });

  it("rejects a self-loop on a node that is not a wait", () => {
    const d = doc([trigger(), email("a1")], [edge("e1", "t1", "a1"), edge("e2", "a1", "a1", "failed")]);
    expectIssue(issuesOf(d), { nodeId: "a1", path: "nodes[1]", says: "a1 → a1" });
  });

  it("reports each separate cycle", () => {
    const d = doc(
      [trigger(), email("a1"), email("a2"), email("b1"), email("b2")],
      [
        edge("e1", "t1", "a1"),
        edge("e2", "a1", "a2"),
        edge("e3", "a2", "a1"),
        edge("e4", "a1", "b1", "failed"),
        edge("e5", "b1", "b2"),
        edge("e6", "b2", "b1"),
      ],
    );
    const cycles = issuesOf(d).filter((i) => i.message.includes("cycle"));
    expect(cycles).toHaveLength(2);
  });

  it("accepts a cycle through a wait, including a wait looping on itself", () => {
    const d = example();
    d.edges.push(edge("e5", "a1", "w1"));
    expectValid(d);
    expectValid(doc([trigger(), wait("w1")], [edge("e1", "t1", "w1"), edge("e2", "w1", "w1")]));
    expectValid(
      doc(
        [trigger(), node("w1", "wait", { kind: "event", event: "opened", timeout: "1d" }), email("a1")],
        [edge("e1", "t1", "w1"), edge("e2", "w1", "a1", "timeout"), edge("e3", "a1", "w1")],
      ),
    );
  });

  it("rejects a no-wait cycle even when the same nodes also loop through a wait", () => {
    const d = doc(
      [trigger(), node("c1", "condition", { conditions: conditions() }), email("a1"), wait("w1")],
      [
        edge("e1", "t1", "c1"),
        edge("e2", "c1", "a1", "yes"),
        edge("e3", "a1", "c1"),
        edge("e4", "c1", "w1", "no"),
        edge("e5", "w1", "c1"),
      ],
    );
    const issue = issuesOf(d).find((i) => i.message.includes("cycle"));
    expect(issue?.message).toContain("c1");
    expect(issue?.message).toContain("a1");
    expect(issue?.message).not.toContain("w1");
  });

  it("still reports a cycle drawn through an edge with a bad port", () => {
    const d = doc(
      [trigger(), email("a1"), email("a2")],
      [edge("e1", "t1", "a1"), edge("e2", "a1", "a2"), edge("e3", "a2", "a1", "retry")],
    );
    const issues = issuesOf(d);
    expectIssue(issues, { edgeId: "e3", path: "edges[2].sourceHandle", quoted: "retry" });
    expect(issues.some((i) => i.message.includes("cycle"))).toBe(true);
  });

  it("validates a 10,000-node chain quickly", () => {
    const n = 10_000;
    const nodes = [trigger("n0"), ...Array.from({ length: n - 1 }, (_, i) => email(`n${i + 1}`))];
    const edges = Array.from({ length: n - 1 }, (_, i) => edge(`e${i}`, `n${i}`, `n${i + 1}`));
    const started = performance.now();
    expectValid(doc(nodes, edges));
    // A loop back to the start, not through a wait: one cycle naming all 10,000 nodes.
    edges.push(edge("back", `n${n - 1}`, "n1", "failed"));
    const issues = issuesOf(doc(nodes, edges));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain(`n${n - 1}`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("field values", () => {
  it.each<[unknown, string]>([
    ["72 hours", '"72 hours"'],
    ["1.5h", '"1.5h"'],
    ["", '""'],
    [72, "72"],
    ["72H", '"72H"'],
    ["-1h", '"-1h"'],
  ])("rejects the duration %j on a wait", (bad, quoted) => {
    const issues = issuesOf(withData(1, { kind: "duration", duration: bad }));
    expectIssue(issues, { nodeId: "w1", path: "nodes[1].data.duration", says: quoted });
    expect(issues).toHaveLength(1);
  });

  it("rejects a bad duration everywhere a duration goes", () => {
    const d = example();
    d.nodes[1]!.data = { kind: "event", event: "email_opened", timeout: "3 days" };
    d.edges[1]!.sourceHandle = "matched";
    d.settings = {
      reentry: { mode: "cooldown", cooldown: "30 days" },
      goal: { event: "order_completed", within: "two weeks" },
      frequencyCap: { max: 3, per: "1 week" },
    };
    const issues = issuesOf(d);
    expectIssue(issues, { nodeId: "w1", path: "nodes[1].data.timeout", quoted: "3 days" });
    expectIssue(issues, { path: "settings.reentry.cooldown", quoted: "30 days" });
    expectIssue(issues, { path: "settings.goal.within", quoted: "two weeks" });
    expectIssue(issues, { path: "settings.frequencyCap.per", quoted: "1 week" });
    expect(issues).toHaveLength(4);
  });

  const audience = (schedule: unknown, extra: Record<string, unknown> = {}): JourneyDocument =>
    withData(0, { kind: "audience", schedule, conditions: conditions(), ...extra });

  it.each([
    "61 * * * *",
    "every day",
    "* * * *",
    "0 25 * * *",
    "0 8 31 2 *",
    "",
    "1/5 * * * *",
    "* * * * * * *",
    "H 8 * * *",
  ])("rejects the cron schedule %j", (schedule) => {
    expectIssue(issuesOf(audience(schedule)), {
      nodeId: "t1",
      path: "nodes[0].data.schedule",
      quoted: schedule,
    });
  });

  it("rejects a schedule that is not a string", () => {
    expectIssue(issuesOf(audience(9)), { nodeId: "t1", path: "nodes[0].data.schedule", quoted: 9 });
  });

  it.each(["0 9 * * *", "*/15 * * * *", "0 8 * * mon-fri", "30 0 8 * * *", "0 9 1 * *"])(
    "accepts the cron schedule %j",
    (schedule) => {
      expectValid(audience(schedule, { timezone: "Asia/Shanghai" }));
    },
  );

  it.each(["25:00", "9:00", "24:00", "12:60", "0900", ""])("rejects the time %j", (time) => {
    expectIssue(issuesOf(withData(1, { kind: "until", time })), {
      nodeId: "w1",
      path: "nodes[1].data.time",
      quoted: time,
    });
    const d = example();
    d.settings = { quietHours: { start: time, end: "09:00" } };
    expectIssue(issuesOf(d), { path: "settings.quietHours.start", quoted: time });
  });

  it("rejects an unknown weekday and an empty day list on an until wait", () => {
    expectIssue(issuesOf(withData(1, { kind: "until", time: "09:00", days: ["mon", "funday"] })), {
      nodeId: "w1",
      path: "nodes[1].data.days[1]",
      quoted: "funday",
    });
    expectIssue(issuesOf(withData(1, { kind: "until", time: "09:00", days: [] })), {
      nodeId: "w1",
      path: "nodes[1].data.days",
    });
  });

  it.each(["Mars/Olympus", "China", "", "GMT+25"])("rejects the timezone %j", (tz) => {
    expectIssue(issuesOf(withData(1, { kind: "until", time: "09:00", days: ["mon"], timezone: tz })), {
      nodeId: "w1",
      path: "nodes[1].data.timezone",
      quoted: tz,
    });
    expectIssue(issuesOf(audience("0 9 * * *", { timezone: tz })), {
      nodeId: "t1",
      path: "nodes[0].data.timezone",
      quoted: tz,
    });
    const d = example();
    d.settings!.timezone = tz;
    expectIssue(issuesOf(d), { path: "settings.timezone", quoted: tz });
  });

  it("reports a bad schedule and a bad timezone on one trigger together", () => {
    const issues = issuesOf(audience("61 * * * *", { timezone: "Mars/Olympus" }));
    expectIssue(issues, { nodeId: "t1", path: "nodes[0].data.schedule", quoted: "61 * * * *" });
    expectIssue(issues, { nodeId: "t1", path: "nodes[0].data.timezone", quoted: "Mars/Olympus" });
  });
});

describe("conditions", () => {
  const leaf = (fields: Record<string, unknown>): JourneyDocument =>
    withData(2, { conditions: conditions({ fact: "customer", operator: "equal", value: 1, ...fields }) });
  const leafPath = (field: string): string => `nodes[2].data.conditions.all[0].${field}`;

  it("rejects an unknown operator", () => {
    expectIssue(issuesOf(leaf({ operator: "roughly" })), {
      nodeId: "c1",
      path: leafPath("operator"),
      quoted: "roughly",
    });
  });

  it.each(["a.b", "$..x", "$['a']", "$.a[0]", "$", "$.a.*", 5])("rejects the path %j", (path) => {
    expectIssue(issuesOf(leaf({ path })), { nodeId: "c1", path: leafPath("path"), quoted: path });
  });

  it.each(["$.traits.city", "$.rfm.segment", "$.properties.order_id"])("accepts the path %j", (path) => {
    expectValid(leaf({ path }));
  });

  it("rejects an unknown fact", () => {
    expectIssue(issuesOf(leaf({ fact: "weather" })), {
      nodeId: "c1",
      path: leafPath("fact"),
      quoted: "weather",
    });
    expectIssue(issuesOf(leaf({ fact: undefined })), { nodeId: "c1", path: leafPath("fact") });
  });

  it.each(["in", "notIn"])("rejects %s with a value that is not a list", (operator) => {
    expectIssue(issuesOf(leaf({ operator, value: "Shanghai" })), {
      nodeId: "c1",
      path: leafPath("value"),
      quoted: "Shanghai",
    });
    expectValid(leaf({ operator, value: ["Shanghai", "Beijing"] }));
  });

  it("rejects a leaf without a value, or whose value is another fact", () => {
    expectIssue(issuesOf(leaf({ value: undefined })), { nodeId: "c1", path: leafPath("value") });
    expectIssue(issuesOf(leaf({ value: { fact: "traits" } })), { nodeId: "c1", path: leafPath("value") });
  });

  it("enforces eventCount's params", () => {
    const count = (params: unknown): JourneyDocument => leaf({ fact: "eventCount", params, value: 0 });
    expectValid(count({ event: "order_completed", since: "entry" }));
    expectValid(count({ event: "order_completed", within: "30d" }));
    expectIssue(issuesOf(count({ since: "entry" })), { nodeId: "c1", path: leafPath("params.event") });
    expectIssue(issuesOf(count({ event: "" })), { nodeId: "c1", path: leafPath("params.event"), quoted: "" });
    expectIssue(issuesOf(count({ event: "o" })), {
      nodeId: "c1",
      path: leafPath("params"),
      says: "exactly one",
    });
    expectIssue(issuesOf(count({ event: "o", since: "entry", within: "3d" })), {
      nodeId: "c1",
      path: leafPath("params"),
      says: "exactly one",
    });
    expectIssue(issuesOf(count({ event: "o", since: "start" })), {
      nodeId: "c1",
      path: leafPath("params.since"),
      quoted: "start",
    });
    expectIssue(issuesOf(count({ event: "o", within: "30 days" })), {
      nodeId: "c1",
      path: leafPath("params.within"),
      quoted: "30 days",
    });
    expectIssue(issuesOf(count(undefined)), { nodeId: "c1", path: leafPath("params.event") });
    expectIssue(issuesOf(count("order_completed")), {
      nodeId: "c1",
      path: leafPath("params"),
      quoted: "order_completed",
    });
  });

  it("rejects conditions that do not start with all, any or not, or mix them", () => {
    expectIssue(issuesOf(withData(2, { conditions: { fact: "customer", operator: "equal", value: 1 } })), {
      nodeId: "c1",
      path: "nodes[2].data.conditions",
    });
    expectIssue(issuesOf(withData(2, { conditions: { all: [], any: [] } })), {
      nodeId: "c1",
      path: "nodes[2].data.conditions",
    });
    expectIssue(issuesOf(withData(2, { conditions: { all: "everything" } })), {
      nodeId: "c1",
      path: "nodes[2].data.conditions.all",
      quoted: "everything",
    });
    expectIssue(issuesOf(withData(2, {})), { nodeId: "c1", path: "nodes[2].data.conditions" });
  });

  it("finds problems deep in nested groups, and in where clauses and exitOn", () => {
    const deep = withData(2, {
      conditions: {
        any: [{ not: { all: [{ fact: "traits", path: "$.city", operator: "like", value: "x" }] } }],
      },
    });
    expectIssue(issuesOf(deep), {
      nodeId: "c1",
      path: "nodes[2].data.conditions.any[0].not.all[0].operator",
      quoted: "like",
    });
    const where = withData(0, {
      kind: "event",
      event: "churn_signal",
      where: { all: [{ fact: "event", path: "$..x", operator: "equal", value: 1 }] },
    });
    expectIssue(issuesOf(where), { nodeId: "t1", path: "nodes[0].data.where.all[0].path", quoted: "$..x" });
    const d = example();
    d.settings!.exitOn = [
      { event: "unsubscribed", where: { all: [{ fact: "moon", operator: "equal", value: 1 }] } },
    ];
    expectIssue(issuesOf(d), { path: "settings.exitOn[0].where.all[0].fact", quoted: "moon" });
  });
});

describe("templates", () => {
  const library = { has: (name: string) => name === "known-template" };

  it("rejects an unknown template when the context has a library", () => {
    expectIssue(issuesOf(example(), { ...ctx, templates: library }), {
      nodeId: "a1",
      path: "nodes[3].data.template",
      quoted: "winback-coupon",
    });
    expectIssue(issuesOf(example(), { ...ctx, templates: library, unknownTemplates: "error" }), {
      nodeId: "a1",
      path: "nodes[3].data.template",
    });
  });

  it('only warns when unknownTemplates is "warning" (simulation)', () => {
    const result = expectValid(example(), { ...ctx, templates: library, unknownTemplates: "warning" });
    expect(result.warnings).toEqual([
      {
        nodeId: "a1",
        path: "nodes[3].data.template",
        message: expect.stringContaining('"winback-coupon"') as unknown,
        code: "node.unknown_template",
        params: { got: "winback-coupon" },
      },
    ]);
  });

  it("does not check templates without a library, and accepts a known one", () => {
    expectValid(example());
    const d = withData(3, { action: "email", template: "known-template" });
    expect(expectValid(d, { ...ctx, templates: library }).warnings).toEqual([]);
  });
});

describe("random splits", () => {
  const split = (branches: unknown): JourneyDocument => {
    const d = example();
    d.nodes[1] = node("w1", "split", { kind: "random", branches });
    d.edges[1]!.sourceHandle = "a";
    return d;
  };

  it("rejects weights that sum to 0", () => {
    const issue = expectIssue(
      issuesOf(
        split([
          { id: "a", weight: 0 },
          { id: "b", weight: 0 },
        ]),
      ),
      { nodeId: "w1", path: "nodes[1].data.branches" },
    );
    expect(issue.message).toContain("0");
  });

  it("rejects a negative or non-numeric weight, a duplicate branch id and no branches", () => {
    expectIssue(
      issuesOf(
        split([
          { id: "a", weight: -1 },
          { id: "b", weight: 2 },
        ]),
      ),
      {
        nodeId: "w1",
        path: "nodes[1].data.branches[0].weight",
        quoted: -1,
      },
    );
    expectIssue(issuesOf(split([{ id: "a", weight: "1" }])), {
      nodeId: "w1",
      path: "nodes[1].data.branches[0].weight",
      quoted: "1",
    });
    expectIssue(
      issuesOf(
        split([
          { id: "a", weight: 1 },
          { id: "a", weight: 1 },
        ]),
      ),
      {
        nodeId: "w1",
        path: "nodes[1].data.branches[1].id",
        quoted: "a",
      },
    );
    expectIssue(issuesOf(split([])), { nodeId: "w1", path: "nodes[1].data.branches" });
  });

  it("accepts a zero weight beside a positive one", () => {
    expectValid(
      split([
        { id: "a", weight: 0.5 },
        { id: "b", weight: 0 },
      ]),
    );
  });
});

describe("settings", () => {
  const settings = (s: Record<string, unknown>): JourneyDocument => ({ ...example(), settings: s });

  it("accepts each re-entry mode", () => {
    expectValid(settings({ reentry: { mode: "once" } }));
    expectValid(settings({ reentry: { mode: "cooldown", cooldown: "30d" } }));
    expectValid(settings({ reentry: { mode: "always" } }));
  });

  it("rejects an unknown re-entry mode and a cooldown without a duration", () => {
    expectIssue(issuesOf(settings({ reentry: { mode: "sometimes" } })), {
      path: "settings.reentry.mode",
      quoted: "sometimes",
    });
    expectIssue(issuesOf(settings({ reentry: { mode: "cooldown" } })), { path: "settings.reentry.cooldown" });
    expectIssue(issuesOf(settings({ reentry: {} })), { path: "settings.reentry.mode" });
  });

  it("accepts quiet hours across midnight and within a day", () => {
    expectValid(settings({ quietHours: { start: "21:00", end: "09:00" } }));
    expectValid(settings({ quietHours: { start: "12:00", end: "14:00" } }));
  });

  it("rejects quiet hours with a bad time, or equal start and end", () => {
    const issues = issuesOf(settings({ quietHours: { start: "9:00", end: "25:00" } }));
    expectIssue(issues, { path: "settings.quietHours.start", quoted: "9:00" });
    expectIssue(issues, { path: "settings.quietHours.end", quoted: "25:00" });
    expectIssue(issuesOf(settings({ quietHours: { start: "09:00", end: "09:00" } })), {
      path: "settings.quietHours.end",
      quoted: "09:00",
    });
    expectIssue(issuesOf(settings({ quietHours: { start: "09:00" } })), { path: "settings.quietHours.end" });
  });

  it("rejects a frequency cap whose max is not a whole number of at least 1", () => {
    for (const max of [0, -1, 1.5, "3"]) {
      expectIssue(issuesOf(settings({ frequencyCap: { max, per: "7d" } })), {
        path: "settings.frequencyCap.max",
        quoted: max,
      });
    }
    expectIssue(issuesOf(settings({ frequencyCap: { max: 3 } })), { path: "settings.frequencyCap.per" });
    expectValid(settings({ frequencyCap: { max: 1, per: "1d" } }));
  });

  it("rejects exitOn and goal without an event", () => {
    expectIssue(issuesOf(settings({ exitOn: [{ event: "" }] })), { path: "settings.exitOn[0].event" });
    expectIssue(issuesOf(settings({ goal: { within: "14d" } })), { path: "settings.goal.event" });
  });
});

describe("all issues at once", () => {
  it("returns every problem of a document with many, each with its node or edge", () => {
    const d = example();
    d.settings!.quietHours = { start: "21:00", end: "9:00" }; // bad time
    d.nodes[1]!.data = { kind: "duration", duration: "72 hours" }; // bad duration
    (d.nodes[2]!.data.conditions as { all: { operator: string }[] }).all[0]!.operator = "roughly"; // bad operator
    d.nodes[3]!.data = { action: "fax" }; // unknown action
    d.edges[3]!.sourceHandle = "maybe"; // bad port
    d.edges.push(edge("e9", "a1", "ghost")); // dangling edge
    d.nodes.push(node("x9", "exit")); // unreachable
    const issues = issuesOf(d);
    expect(issues.length).toBeGreaterThanOrEqual(7);
    expectIssue(issues, { path: "settings.quietHours.end", quoted: "9:00" });
    expectIssue(issues, { nodeId: "w1", path: "nodes[1].data.duration", quoted: "72 hours" });
    expectIssue(issues, {
      nodeId: "c1",
      path: "nodes[2].data.conditions.all[0].operator",
      quoted: "roughly",
    });
    expectIssue(issues, { nodeId: "a1", path: "nodes[3].data.action", quoted: "fax" });
    expectIssue(issues, { edgeId: "e4", path: "edges[3].sourceHandle", quoted: "maybe" });
    expectIssue(issues, { edgeId: "e9", path: "edges[4].target", quoted: "ghost" });
    expectIssue(issues, { nodeId: "x9", path: "nodes[5]", quoted: "x9" });
  });

  it("checks the graph even when node data are bad", () => {
    const d = example();
    d.nodes[1]!.data = { kind: "duration", duration: "soon" };
    d.edges.push(edge("e5", "a1", "c1"));
    const issues = issuesOf(d);
    expectIssue(issues, { nodeId: "w1", path: "nodes[1].data.duration", quoted: "soon" });
    expect(issues.some((i) => i.message.includes("cycle"))).toBe(true);
  });
});

describe("formatIssue", () => {
  it("prints one line with the node or edge id, path and message", () => {
    expect(
      formatIssue({ nodeId: "w1", path: "nodes[1].data.duration", message: 'bad duration "72 hours"' }),
    ).toBe('node w1: nodes[1].data.duration: bad duration "72 hours"');
    expect(formatIssue({ edgeId: "e3", path: "edges[2].sourceHandle", message: "m" })).toBe(
      "edge e3: edges[2].sourceHandle: m",
    );
    expect(formatIssue({ path: "", message: "m" })).toBe("journey: (document): m");
  });

  it("formats every issue of a bad document on a single line", () => {
    const d = example();
    d.nodes[1]!.data = { kind: "duration", duration: "72 hours" };
    for (const issue of issuesOf(d)) {
      const line = formatIssue(issue);
      expect(line).not.toContain("\n");
      expect(line).toContain('"72 hours"');
      expect(line.startsWith("node w1: nodes[1].data.duration: ")).toBe(true);
    }
  });
});
