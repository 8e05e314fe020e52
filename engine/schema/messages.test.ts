import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIssue } from "./issues";
import { ISSUE_MESSAGES, LANGS, isIssueCode, langFrom, renderIssue } from "./messages";
import type { IssueCode } from "./messages";
import { journeyArb, testValidationContext as ctx } from "./testing/arbitraries";
import { validateJourney } from "./validate";

const SAMPLE_PARAMS = {
  got: "x",
  expected: ["a", "b"],
  values: ["a"],
  id: "n1",
  type: "wait",
  ports: ["next"],
  port: "yes",
  node: "c1",
  other: "e1",
  cycle: ["a", "b", "a"],
  groups: ["all", "any"],
  group: "all",
  operator: "in",
  limit: 32,
  length: 40,
  minimum: 1,
  maximum: 9,
  keys: ["k"],
  reason: "bad cron",
  total: 0,
};

describe("the validation message table", () => {
  it("has every code in both languages, the Chinese text in Chinese", () => {
    for (const code of Object.keys(ISSUE_MESSAGES) as IssueCode[]) {
      for (const lang of LANGS)
        expect(ISSUE_MESSAGES[code][lang](SAMPLE_PARAMS), `${code} ${lang}`).not.toBe("");
      expect(ISSUE_MESSAGES[code].zh(SAMPLE_PARAMS), code).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("gives every issue the validator finds in damaged journeys a code it can render in Chinese", () => {
    const damaged = journeyArb().chain((doc) =>
      fc
        .record({
          node: fc.nat(doc.nodes.length - 1),
          key: fc.constantFrom(
            "kind",
            "event",
            "duration",
            "conditions",
            "where",
            "action",
            "to",
            "time",
            "days",
          ),
          value: fc.jsonValue({ maxDepth: 3 }),
          edge: fc.option(fc.nat(Math.max(0, doc.edges.length - 1))),
          handle: fc.string({ maxLength: 4 }),
        })
        .map(({ node, key, value, edge, handle }) => {
          const copy = structuredClone(doc) as unknown as {
            nodes: { data: Record<string, unknown> }[];
            edges: Record<string, unknown>[];
          };
          copy.nodes[node]!.data[key] = value;
          if (edge !== null && copy.edges[edge]) copy.edges[edge].sourceHandle = handle;
          return copy;
        }),
    );
    fc.assert(
      fc.property(damaged, (doc) => {
        const result = validateJourney(doc, ctx);
        for (const issue of result.ok ? result.warnings : result.issues) {
          expect(isIssueCode(issue.code), JSON.stringify(issue)).toBe(true);
          expect(renderIssue(issue, "zh")).toMatch(/[\u4e00-\u9fff]/);
          expect(renderIssue(issue, "en")).toBe(issue.message);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("renders command-line lines in the language asked for", () => {
    const issue = {
      nodeId: "w1",
      path: "nodes[1].data.duration",
      code: "value.duration",
      params: { got: "3 days" },
      message: 'bad duration "3 days"',
    };
    expect(formatIssue(issue)).toBe('node w1: nodes[1].data.duration: bad duration "3 days"');
    expect(formatIssue(issue, "zh")).toBe(
      '节点 w1: nodes[1].data.duration: 时长 "3 days" 无效；请用整数加单位 s、m、h、d 或 w（例如 "72h"）',
    );
    expect(langFrom(undefined, { LANG: "zh_CN.UTF-8" })).toBe("zh");
    expect(langFrom("en", { LANG: "zh_CN.UTF-8" })).toBe("en");
    expect(langFrom(undefined, { LANG: "C.UTF-8" })).toBe("en");
  });
});
