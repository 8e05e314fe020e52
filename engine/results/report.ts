import { BadInputError, NotFoundError } from "../errors";
import type { Journey, SplitNode } from "../schema/journey";
import type { ResultsReport } from "../schema/results";
import type { JourneyVersionRow, ResultAggregates, Store } from "../store/types";
import { analyseExperiment, type ArmCounts } from "./experiment";
import { baselineOf, shares } from "./split-arms";

const DAY = 86_400_000;

export interface ResultsOptions {
  /** A published version number; all versions when absent. */
  version?: number;
  /** Entry time range [from, to), ms. */
  from?: number;
  to?: number;
  /** The report's moment, ms: entries, conversions and deliveries after it are not seen. */
  asOf: number;
}

const splitsOf = (doc: Journey): SplitNode[] => doc.nodes.filter((n): n is SplitNode => n.type === "split");

/**
 * The results report of a journey (spec §4) from the results ledger: totals, and per split node its arms,
 * comparisons against the baseline, sample-ratio check and winner. Over all versions a split is described by
 * the newest version that has it; sample-ratio expectations use each version's own weights.
 */
export async function computeResults(
  store: Store,
  journeyId: string,
  opts: ResultsOptions,
): Promise<ResultsReport> {
  const journey = await store.getJourney(journeyId);
  if (!journey) throw new NotFoundError(`journey ${journeyId}`);
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to)
    throw new BadInputError("from must not be after to");
  const versions = (await store.listVersions(journeyId)).sort((a, b) => b.version - a.version);
  let chosen: JourneyVersionRow | undefined;
  if (opts.version !== undefined) {
    chosen = versions.find((v) => v.version === opts.version);
    if (!chosen) throw new NotFoundError(`version ${opts.version} of journey ${journeyId}`);
  }
  const inScope = chosen ? [chosen] : versions;
  const docs = new Map(inScope.map((v) => [v.id, v.doc as Journey]));
  const newestDoc = (chosen ?? versions[0])?.doc as Journey | undefined;
  const describing = newestDoc ?? (journey.draft as Journey);

  const agg = await store.resultAggregates({
    journeyId,
    asOf: opts.asOf,
    ...(chosen ? { versionId: chosen.id } : {}),
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(opts.to !== undefined ? { to: opts.to } : {}),
  });

  const t = agg.byVersion.reduce(
    (s, v) => ({
      entered: s.entered + v.entered,
      matured: s.matured + v.matured,
      converted: s.converted + v.converted,
      maturedConverted: s.maturedConverted + v.maturedConverted,
      revenue: s.revenue + v.revenue,
    }),
    { entered: 0, matured: 0, converted: 0, maturedConverted: 0, revenue: 0 },
  );
  const goal = describing?.settings?.goal;

  // Splits: the newest version's first, then those only older versions in scope still have.
  const nodes = new Map<string, SplitNode>();
  for (const doc of [describing, ...docs.values()])
    for (const n of doc ? splitsOf(doc) : []) if (!nodes.has(n.id)) nodes.set(n.id, n);

  const experiments = [...nodes.values()].map((node) => experimentOf(node, agg, docs));

  return {
    journey: describing?.name ?? journey.name,
    journeyId,
    asOf: new Date(opts.asOf).toISOString(),
    goal: goal ? { event: goal.event, within: goal.within } : null,
    totals: {
      entered: t.entered,
      matured: t.matured,
      converted: t.converted,
      conversionRate: t.entered > 0 ? t.converted / t.entered : 0,
      maturedConversionRate: t.matured > 0 ? t.maturedConverted / t.matured : 0,
      revenue: t.revenue,
      delivered: agg.delivered,
      maturedConverted: t.maturedConverted,
      exited: agg.exited,
      open: t.entered - t.matured,
    },
    experiments,
    version: chosen?.version ?? null,
    from: opts.from !== undefined ? new Date(opts.from).toISOString() : null,
    to: opts.to !== undefined ? new Date(opts.to).toISOString() : null,
  };
}

function experimentOf(node: SplitNode, agg: ResultAggregates, docs: Map<number, Journey>) {
  const configured = shares(node);
  const arms = new Map<string, ArmCounts>();
  const arm = (id: string): ArmCounts => {
    let a = arms.get(id);
    if (!a) {
      a = {
        id,
        weight: configured.get(id) ?? 0,
        members: 0,
        matured: 0,
        converted: 0,
        maturedConverted: 0,
        revenue: 0,
        revenueSquares: 0,
        hashMembers: 0,
        expectedHashMembers: 0,
        timeline: [],
      };
      arms.set(id, a);
    }
    return a;
  };
  for (const id of configured.keys()) arm(id);

  const hashByVersion = new Map<number, number>();
  let promoted: string | null = null;
  for (const r of agg.byArm) {
    if (r.nodeId !== node.id) continue;
    const a = arm(r.arm);
    a.members += r.entered;
    a.matured += r.matured;
    a.converted += r.converted;
    a.maturedConverted += r.maturedConverted;
    a.revenue += r.revenue;
    a.revenueSquares += r.revenueSquares;
    if (r.reason === "winner") promoted = r.arm;
    else {
      a.hashMembers += r.entered;
      hashByVersion.set(r.versionId, (hashByVersion.get(r.versionId) ?? 0) + r.entered);
    }
  }
  // What each version's weights lead one to expect of the members it assigned by hash.
  for (const [versionId, n] of hashByVersion) {
    const same = docs.get(versionId)?.nodes.find((x) => x.id === node.id && x.type === "split") as
      SplitNode | undefined;
    for (const [id, share] of shares(same ?? node)) arm(id).expectedHashMembers += n * share;
  }

  const members = new Map<string, Map<number, number>>();
  const conversions = new Map<string, Map<number, number>>();
  const put = (m: Map<string, Map<number, number>>, id: string, day: number, n: number) => {
    const d = m.get(id) ?? new Map<number, number>();
    d.set(day, (d.get(day) ?? 0) + n);
    m.set(id, d);
  };
  for (const r of agg.armMembersByDay) if (r.nodeId === node.id) put(members, r.arm, r.day, r.count);
  for (const r of agg.armConversionsByDay) if (r.nodeId === node.id) put(conversions, r.arm, r.day, r.count);
  for (const a of arms.values()) {
    const m = members.get(a.id) ?? new Map<number, number>();
    const c = conversions.get(a.id) ?? new Map<number, number>();
    const days = [...new Set([...m.keys(), ...c.keys()])].sort((x, y) => x - y);
    let cm = 0;
    let cc = 0;
    a.timeline = days.map((day) => {
      cm += m.get(day) ?? 0;
      cc += c.get(day) ?? 0;
      return { date: new Date(day * DAY).toISOString().slice(0, 10), members: cm, converted: cc };
    });
  }

  return analyseExperiment({
    nodeId: node.id,
    kind: node.data.kind,
    baseline: baselineOf(node),
    arms: [...arms.values()],
    promoted,
  });
}
