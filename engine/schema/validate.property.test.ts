import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ValidationIssue } from "./issues";
import { validateJourney } from "./validate";
import type { JourneyDocument } from "./testing/arbitraries";
import { journeyArb, portsOfData, testValidationContext as ctx } from "./testing/arbitraries";
import type { NodeKind } from "./testing/arbitraries";
import { cycles } from "./graph";

const RUNS = { numRuns: 200 };

function issuesOf(doc: unknown): ValidationIssue[] {
  const result = validateJourney(doc, ctx);
  return result.ok ? [] : result.issues;
}

const kindOf = (node: { type: string; data: Record<string, unknown> }): NodeKind =>
  (typeof node.data.kind === "string" ? `${node.type}:${node.data.kind}` : node.type) as NodeKind;

describe("journeyArb", () => {
  it("makes journeys the validator accepts, keeping every node and edge as drawn", () => {
    fc.assert(
      fc.property(journeyArb(), (doc) => {
        const result = validateJourney(structuredClone(doc), ctx);
        if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
        expect(result.journey.nodes).toEqual(doc.nodes);
        expect(result.journey.edges).toEqual(doc.edges);
        // Generated journeys may end a path before their goal window closes: that is a warning, nothing else is.
        expect(result.warnings.filter((w) => !w.code?.startsWith("goal."))).toEqual([]);
      }),
      RUNS,
    );
  });

  it("survives a JSON round trip (what the builder saves is what the server reads)", () => {
    fc.assert(
      fc.property(journeyArb(), (doc) => {
        expect(validateJourney(JSON.parse(JSON.stringify(doc)), ctx).ok).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("really makes cycles through waits, and only those", () => {
    let withCycle = 0;
    fc.assert(
      fc.property(journeyArb({ mustInclude: ["wait:duration"], minNodes: 3 }), (doc) => {
        const next = new Map<string, string[]>();
        for (const e of doc.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
        const found = cycles(
          doc.nodes.map((n) => n.id),
          next,
        );
        if (found.length > 0) withCycle++;
        for (const c of found)
          expect(c.some((id) => doc.nodes.find((n) => n.id === id)?.type === "wait")).toBe(true);
      }),
      RUNS,
    );
    expect(withCycle).toBeGreaterThan(10);
  });

  it("covers every node kind", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(journeyArb(), (doc) => {
        for (const n of doc.nodes) seen.add(kindOf(n));
      }),
      RUNS,
    );
    expect([...seen].sort()).toEqual(
      [
        "trigger:event",
        "trigger:audience",
        "trigger:stage",
        "trigger:manual",
        "condition",
        "wait:duration",
        "wait:until",
        "wait:event",
        "split:random",
        "split:holdout",
        "action",
        "exit",
      ].sort(),
    );
  });
});

describe("mutations of a valid journey are rejected, naming the node or edge", () => {
  const withEdges = journeyArb({ minNodes: 1 });

  it("an edge whose target is dropped", () => {
    fc.assert(
      fc.property(withEdges, fc.nat(), fc.boolean(), (doc, pick, remove) => {
        const i = pick % doc.edges.length;
        const edge = doc.edges[i]!;
        if (remove) delete (edge as Partial<typeof edge>).target;
        else edge.target = `${edge.target}-gone`;
        const issues = issuesOf(doc);
        expect(issues).toContainEqual(
          expect.objectContaining({ edgeId: edge.id, path: `edges[${i}].target` }),
        );
      }),
      RUNS,
    );
  });

  it("a corrupted duration", () => {
    fc.assert(
      fc.property(
        journeyArb({ mustInclude: ["wait:duration", "wait:event"] }),
        fc.nat(),
        fc.constantFrom<unknown>("72 hours", "1.5h", "", 72, "72", "h", "-1h", "72H", null),
        (doc, pick, bad) => {
          const sites = doc.nodes.flatMap((n, i) =>
            n.type === "wait" && n.data.kind === "duration"
              ? [{ n, i, field: "duration" }]
              : n.type === "wait" && n.data.kind === "event"
                ? [{ n, i, field: "timeout" }]
                : [],
          );
          const site = sites[pick % sites.length]!;
          site.n.data[site.field] = bad;
          const issues = issuesOf(doc);
          const issue = issues.find(
            (x) => x.nodeId === site.n.id && x.path === `nodes[${site.i}].data.${site.field}`,
          );
          expect(issue, JSON.stringify(issues)).toBeDefined();
          if (typeof bad === "string" || typeof bad === "number") {
            expect(issue!.message).toContain(JSON.stringify(bad));
          }
        },
      ),
      RUNS,
    );
  });

  it("a renamed port", () => {
    fc.assert(
      fc.property(withEdges, fc.nat(), (doc, pick) => {
        const i = pick % doc.edges.length;
        const edge = doc.edges[i]!;
        const source = doc.nodes.find((n) => n.id === edge.source)!;
        const ports = portsOfData(kindOf(source), source.data);
        const renamed = `${edge.sourceHandle ?? "next"}-renamed`;
        expect(ports).not.toContain(renamed);
        edge.sourceHandle = renamed;
        const issues = issuesOf(doc);
        const issue = issues.find((x) => x.edgeId === edge.id && x.path === `edges[${i}].sourceHandle`);
        expect(issue, JSON.stringify(issues)).toBeDefined();
        expect(issue!.message).toContain(JSON.stringify(renamed));
      }),
      RUNS,
    );
  });

  it("a second edge on a used port", () => {
    fc.assert(
      fc.property(withEdges, fc.nat(), (doc, pick) => {
        const original = doc.edges[pick % doc.edges.length]!;
        const dup = { ...original, id: "dup-edge" };
        doc.edges.push(dup);
        expect(issuesOf(doc)).toContainEqual(
          expect.objectContaining({
            edgeId: "dup-edge",
            path: `edges[${doc.edges.length - 1}].sourceHandle`,
          }),
        );
      }),
      RUNS,
    );
  });

  it("an unknown action", () => {
    fc.assert(
      fc.property(journeyArb({ mustInclude: ["action"] }), fc.nat(), (doc, pick) => {
        const actions = doc.nodes.flatMap((n, i) => (n.type === "action" ? [{ n, i }] : []));
        const { n, i } = actions[pick % actions.length]!;
        n.data.action = "carrier_pigeon";
        const issues = issuesOf(doc);
        const issue = issues.find((x) => x.nodeId === n.id && x.path === `nodes[${i}].data.action`);
        expect(issue, JSON.stringify(issues)).toBeDefined();
        expect(issue!.message).toContain('"carrier_pigeon"');
      }),
      RUNS,
    );
  });

  it("a self-loop on a node that is not a wait", () => {
    fc.assert(
      fc.property(journeyArb({ mustInclude: ["action"] }), (doc: JourneyDocument) => {
        const action = doc.nodes.find((n) => n.type === "action")!;
        // A port nothing uses yet, so the cycle is the only new problem.
        const used = new Set(
          doc.edges.filter((e) => e.source === action.id).map((e) => e.sourceHandle ?? "next"),
        );
        const port = ["next", "failed"].find((p) => !used.has(p));
        fc.pre(port !== undefined);
        doc.edges.push({ id: "loop", source: action.id, target: action.id, sourceHandle: port });
        const issues = issuesOf(doc);
        const issue = issues.find((x) => x.message.includes("cycle"));
        expect(issue, JSON.stringify(issues)).toBeDefined();
        expect(issue!.nodeId).toBe(action.id);
        expect(issue!.message).toContain(action.id);
      }),
      RUNS,
    );
  });
});
