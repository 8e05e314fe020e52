/** What changed between two journey documents: nodes, edges and settings. Positions alone are not a change. */
import type { Journey, JourneyNode } from "../../../engine/schema";

export interface DocDiff {
  nodes: { added: string[]; removed: string[]; changed: string[] };
  edges: { added: string[]; removed: string[] };
  settings: { changed: string[] };
}

const key = (e: { source: string; target: string; sourceHandle?: string | null }): string =>
  `${e.source}:${e.sourceHandle ?? "next"}→${e.target}`;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const meaning = (n: JourneyNode): unknown => ({ type: n.type, data: n.data });

export function diffDocs(before: Journey, after: Journey): DocDiff {
  const a = new Map(before.nodes.map((n) => [n.id, n]));
  const b = new Map(after.nodes.map((n) => [n.id, n]));
  const ea = new Set(before.edges.map(key));
  const eb = new Set(after.edges.map(key));
  const sa = (before.settings ?? {}) as Record<string, unknown>;
  const sb = (after.settings ?? {}) as Record<string, unknown>;
  const settingKeys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])];
  const changedSettings = settingKeys.filter((k) => !same(sa[k], sb[k]));
  if (before.name !== after.name) changedSettings.unshift("name");
  return {
    nodes: {
      added: [...b.keys()].filter((id) => !a.has(id)),
      removed: [...a.keys()].filter((id) => !b.has(id)),
      changed: [...b.keys()].filter((id) => a.has(id) && !same(meaning(a.get(id)!), meaning(b.get(id)!))),
    },
    edges: { added: [...eb].filter((k) => !ea.has(k)), removed: [...ea].filter((k) => !eb.has(k)) },
    settings: { changed: changedSettings },
  };
}

export function isEmptyDiff(d: DocDiff): boolean {
  return (
    d.nodes.added.length +
      d.nodes.removed.length +
      d.nodes.changed.length +
      d.edges.added.length +
      d.edges.removed.length +
      d.settings.changed.length ===
    0
  );
}

export { key as edgeKey };
