/**
 * The difference between two journey documents: the API's versions diff and the builder's history view.
 * A node changed when its type or data did (a position alone is a move); an edge was added or removed when
 * its connection (source, port, target) is new or gone, whatever its id; settings compare by value.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON with sorted keys: equal values give equal strings. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

export interface JourneyDiff {
  nodes: { added: string[]; removed: string[]; changed: string[]; moved: string[] };
  edges: { added: string[]; removed: string[] };
  settings: { changed: string[] };
}

const byId = (list: unknown): Map<string, Obj> => {
  const m = new Map<string, Obj>();
  if (Array.isArray(list)) for (const x of list) if (isObj(x) && typeof x.id === "string") m.set(x.id, x);
  return m;
};
/** An edge's connection: source, port and target. */
export const edgeKey = (e: { source?: unknown; sourceHandle?: unknown; target?: unknown }): string =>
  JSON.stringify([e.source, e.sourceHandle ?? "next", e.target]);

export function diffJourneys(a: unknown, b: unknown): JourneyDiff {
  const A = isObj(a) ? a : {};
  const B = isObj(b) ? b : {};
  const na = byId(A.nodes);
  const nb = byId(B.nodes);
  const nodes: JourneyDiff["nodes"] = { added: [], removed: [], changed: [], moved: [] };
  for (const id of nb.keys()) if (!na.has(id)) nodes.added.push(id);
  for (const [id, x] of na) {
    const y = nb.get(id);
    if (!y) nodes.removed.push(id);
    else if (stableJson({ t: x.type, d: x.data }) !== stableJson({ t: y.type, d: y.data }))
      nodes.changed.push(id);
    else if (stableJson(x.position) !== stableJson(y.position)) nodes.moved.push(id);
  }
  const ea = byId(A.edges);
  const eb = byId(B.edges);
  const keysA = new Set([...ea.values()].map(edgeKey));
  const keysB = new Set([...eb.values()].map(edgeKey));
  const edges: JourneyDiff["edges"] = { added: [], removed: [] };
  for (const [id, e] of eb) if (!keysA.has(edgeKey(e))) edges.added.push(id);
  for (const [id, e] of ea) if (!keysB.has(edgeKey(e))) edges.removed.push(id);
  const sa = isObj(A.settings) ? A.settings : {};
  const sb = isObj(B.settings) ? B.settings : {};
  const changed: string[] = [];
  if (stableJson(A.name) !== stableJson(B.name)) changed.push("name");
  for (const k of new Set([...Object.keys(sa), ...Object.keys(sb)]))
    if (stableJson(sa[k]) !== stableJson(sb[k])) changed.push(k);
  return { nodes, edges, settings: { changed: changed.sort() } };
}

/** True when nothing but positions changed. */
export function isEmptyDiff(d: JourneyDiff): boolean {
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
