import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderIssue } from "./messages";
import { testValidationContext as ctx } from "./testing/arbitraries";
import type { JourneyDocument } from "./testing/arbitraries";
import type { ValidationIssue } from "./issues";
import { validateJourney } from "./validate";

const fixture = fileURLToPath(new URL("../../test/fixtures/winback-72h.json", import.meta.url));

/** The spec's example with w1 replaced by a split whose data is `extra` over two branches, a and b. */
function withSplit(extra: Record<string, unknown>, kind: "random" | "holdout" = "random"): JourneyDocument {
  const d = JSON.parse(readFileSync(fixture, "utf8")) as JourneyDocument;
  const data =
    kind === "random"
      ? {
          kind,
          branches: [
            { id: "a", weight: 1 },
            { id: "b", weight: 1 },
          ],
          ...extra,
        }
      : { kind, percent: 10, ...extra };
  d.nodes[1] = { id: "w1", type: "split", position: { x: 0, y: 0 }, data };
  d.edges[1]!.sourceHandle = kind === "random" ? "a" : "continue";
  return d;
}

function issuesOf(d: JourneyDocument): ValidationIssue[] {
  const r = validateJourney(d, ctx);
  if (r.ok) throw new Error("expected the document to be rejected");
  return r.issues;
}

describe("split experiment fields (spec §4)", () => {
  it("accepts baseline naming a branch and promoteWinner on random and holdout splits", () => {
    for (const d of [
      withSplit({ baseline: "b", promoteWinner: { minPerArm: 200 } }),
      withSplit({ promoteWinner: { minPerArm: 0 } }, "holdout"),
    ]) {
      const r = validateJourney(d, ctx);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });

  it("rejects a baseline that is not a branch, naming the node and quoting the value, in both languages", () => {
    const issue = issuesOf(withSplit({ baseline: "sms" })).find((i) => i.path === "nodes[1].data.baseline")!;
    expect(issue).toMatchObject({ nodeId: "w1", code: "value.unknown_baseline" });
    expect(issue.message).toContain('"sms"');
    expect(renderIssue(issue, "en")).toBe(issue.message);
    expect(renderIssue(issue, "zh")).toContain("基准");
  });

  it("rejects a promoteWinner without a whole, non-negative minPerArm", () => {
    for (const bad of [{}, { minPerArm: -1 }, { minPerArm: 2.5 }, { minPerArm: "100" }]) {
      const issues = issuesOf(withSplit({ promoteWinner: bad }));
      expect(issues.map((i) => i.path)).toContain("nodes[1].data.promoteWinner.minPerArm");
      expect(issues[0]!.nodeId).toBe("w1");
    }
  });
});
