import type { SplitNode } from "../schema/journey";

/** Each arm's configured share (0–1) of a split node. */
export function shares(node: SplitNode): Map<string, number> {
  const d = node.data;
  if (d.kind === "holdout")
    return new Map([
      ["holdout", d.percent / 100],
      ["continue", 1 - d.percent / 100],
    ]);
  const total = d.branches.reduce((s, b) => s + b.weight, 0);
  return new Map(d.branches.map((b) => [b.id, b.weight / total]));
}

/** The arm the others are compared with (spec §4): `holdout`, else `data.baseline`, else the first branch. */
export function baselineOf(node: SplitNode): string {
  const d = node.data;
  if (d.kind === "holdout") return "holdout";
  const named = typeof d.baseline === "string" && d.branches.some((b) => b.id === d.baseline);
  return named ? (d.baseline as string) : d.branches[0]!.id;
}
