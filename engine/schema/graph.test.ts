import { describe, expect, it } from "vitest";
import { cycles, reachableFrom } from "./graph";

const graph = (edges: [string, string][]): Map<string, string[]> => {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
  return next;
};
const sorted = (found: string[][]): string[][] =>
  found.map((c) => [...c].sort()).sort((a, b) => a.join().localeCompare(b.join()));

describe("reachableFrom", () => {
  it("follows edges from several starts, through cycles", () => {
    const next = graph([
      ["t1", "a"],
      ["a", "b"],
      ["b", "a"],
      ["t2", "c"],
      ["x", "y"],
    ]);
    expect([...reachableFrom(["t1", "t2"], next)].sort()).toEqual(["a", "b", "c", "t1", "t2"]);
    expect([...reachableFrom([], next)]).toEqual([]);
  });

  it("handles a 100k-node chain", () => {
    const n = 100_000;
    const next = graph(Array.from({ length: n - 1 }, (_, i): [string, string] => [`n${i}`, `n${i + 1}`]));
    expect(reachableFrom(["n0"], next).size).toBe(n);
  });
});

describe("cycles (Tarjan)", () => {
  it("finds nothing in a DAG, including a diamond", () => {
    const next = graph([
      ["a", "b"],
      ["a", "c"],
      ["b", "d"],
      ["c", "d"],
    ]);
    expect(cycles(["a", "b", "c", "d"], next)).toEqual([]);
  });

  it("finds a self-loop as a one-node cycle, but not a lone node", () => {
    expect(cycles(["a", "b"], graph([["a", "a"]]))).toEqual([["a"]]);
    expect(cycles(["a"], new Map())).toEqual([]);
  });

  it("finds a two-node and a three-node cycle as separate components", () => {
    const next = graph([
      ["a", "b"],
      ["b", "a"],
      ["b", "c"],
      ["c", "d"],
      ["d", "e"],
      ["e", "c"],
    ]);
    expect(sorted(cycles(["a", "b", "c", "d", "e"], next))).toEqual([
      ["a", "b"],
      ["c", "d", "e"],
    ]);
  });

  it("merges nested cycles into one strongly connected component", () => {
    // a → b → c → a, and inside it b → d → b, and a self-loop on d.
    const next = graph([
      ["a", "b"],
      ["b", "c"],
      ["c", "a"],
      ["b", "d"],
      ["d", "b"],
      ["d", "d"],
      ["c", "z"],
    ]);
    expect(sorted(cycles(["a", "b", "c", "d", "z"], next))).toEqual([["a", "b", "c", "d"]]);
  });

  it("does not depend on where the search starts", () => {
    const next = graph([
      ["s", "a"],
      ["a", "b"],
      ["b", "c"],
      ["c", "a"],
      ["c", "x"],
    ]);
    for (const order of [
      ["s", "a", "b", "c", "x"],
      ["x", "c", "b", "a", "s"],
      ["b", "x", "s", "c", "a"],
    ]) {
      expect(sorted(cycles(order, next))).toEqual([["a", "b", "c"]]);
    }
  });

  it("returns each cycle's nodes in walking order", () => {
    const found = cycles(
      ["a", "b", "c"],
      graph([
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
      ]),
    );
    expect(found).toEqual([["a", "b", "c"]]);
  });

  it("ignores edges to nodes outside the id list without failing", () => {
    expect(cycles(["a"], graph([["a", "ghost"]]))).toEqual([]);
  });

  it("handles a 10k-node chain and a 10k-node ring without overflowing the stack", () => {
    const n = 10_000;
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const chain = Array.from({ length: n - 1 }, (_, i): [string, string] => [`n${i}`, `n${i + 1}`]);
    expect(cycles(ids, graph(chain))).toEqual([]);
    const ring = cycles(ids, graph([...chain, [`n${n - 1}`, "n0"]]));
    expect(ring).toHaveLength(1);
    expect(ring[0]).toHaveLength(n);
    expect(ring[0]![0]).toBe("n0");
  });

  it("handles many small cycles", () => {
    const edges: [string, string][] = [];
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      ids.push(`a${i}`, `b${i}`);
      edges.push([`a${i}`, `b${i}`], [`b${i}`, `a${i}`], [`b${i}`, `a${i + 1}`]);
    }
    expect(cycles(ids, graph(edges))).toHaveLength(5_000);
  });
});
