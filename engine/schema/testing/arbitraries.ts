// Over 300 lines: one generator per node kind and condition shape, kept together so a new kind is added in one place.
/**
 * fast-check arbitraries for journey documents (spec §1), for property tests only: the validator's own
 * and the engine's. `journeyArb()` makes random *valid* documents: a DAG of every node kind with valid
 * data, edges only on ports the source has (at most one per port), every node reachable from a trigger,
 * and optional back edges that always pass through a wait, so every cycle is a legal one.
 */
import fc from "fast-check";
import { OPERATORS } from "../conditions";
import type { Operator } from "../conditions";
import { LIFECYCLE_STAGES } from "../journey";
import type { Journey } from "../journey";
import { WEEKDAYS } from "../time";
import { validateJourney } from "../validate";
import type { ValidationContext } from "../validate";

/** The built-in actions the spec names; the context below registers exactly these. */
export const TEST_ACTIONS = [
  "email",
  "sms",
  "push",
  "wechat",
  "webhook",
  "set_trait",
  "add_tag",
  "issue_coupon",
] as const;

export const testValidationContext: ValidationContext = {
  actions: (n) => ((TEST_ACTIONS as readonly string[]).includes(n) ? {} : undefined),
};

/** A node as it appears in a document (React Flow's shape). */
export interface RawNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  data: Record<string, unknown>;
  [extra: string]: unknown;
}
export interface RawEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  [extra: string]: unknown;
}
export interface JourneyDocument {
  schemaVersion: 1;
  name: string;
  settings?: Record<string, unknown>;
  nodes: RawNode[];
  edges: RawEdge[];
  [extra: string]: unknown;
}

export const NODE_KINDS = [
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
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export const TRIGGER_KINDS = NODE_KINDS.filter((k) => k.startsWith("trigger:"));
export const NON_TRIGGER_KINDS = NODE_KINDS.filter((k) => !k.startsWith("trigger:"));

// ---- scalar values -----------------------------------------------------------------------------

export const identArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/);
export const eventNameArb = fc.oneof(
  fc.constantFrom(
    "order_completed",
    "churn_signal",
    "email_opened",
    "cart_abandoned",
    "signed_up",
    "page_viewed",
  ),
  identArb,
);
export const DURATION_UNITS = ["s", "m", "h", "d", "w"] as const;
export const durationArb = fc
  .tuple(fc.integer({ min: 1, max: 500 }), fc.constantFrom(...DURATION_UNITS))
  .map(([n, unit]) => `${n}${unit}`);
const pad2 = (n: number): string => String(n).padStart(2, "0");
export const hhmmArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${pad2(h)}:${pad2(m)}`);
export const timezoneArb = fc.constantFrom(
  "UTC",
  "Asia/Shanghai",
  "Europe/Berlin",
  "America/New_York",
  "America/Sao_Paulo",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Pacific/Chatham",
);
/** Valid 5-field (and a 6-field, seconds-first) cron expressions. */
export const cronArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }))
    .map(([m, h]) => `${m} ${h} * * *`),
  fc.constantFrom(5, 10, 15, 20, 30).map((step) => `*/${step} * * * *`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 23 }),
      fc.constantFrom("1-5", "0", "6", "1,3,5", "mon-fri"),
    )
    .map(([m, h, dow]) => `${m} ${h} * * ${dow}`),
  fc
    .tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 28 }))
    .map(([m, h, dom]) => `${m} ${h} ${dom} * *`),
  fc
    .tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }))
    .map(([s, m, h]) => `${s} ${m} ${h} * * *`),
);
/** The simple JSONPath form `$.a.b`. */
export const pathArb = fc
  .array(fc.oneof(identArb, fc.constantFrom("traits", "city", "rfm", "segment", "properties")), {
    minLength: 1,
    maxLength: 3,
  })
  .map((segments) => `$.${segments.join(".")}`);
const scalarArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);

// ---- conditions --------------------------------------------------------------------------------

const valueFor = (operator: Operator): fc.Arbitrary<unknown> =>
  operator === "in" || operator === "notIn" ? fc.array(scalarArb, { maxLength: 4 }) : scalarArb;

const factLeafArb = fc
  .record(
    {
      fact: fc.constantFrom("customer", "traits", "event", "journey"),
      path: pathArb,
      operator: fc.constantFrom(...OPERATORS),
    },
    { requiredKeys: ["fact", "operator"] },
  )
  .chain((leaf) => valueFor(leaf.operator).map((value) => ({ ...leaf, value })));

const eventCountLeafArb = fc.record({
  fact: fc.constant("eventCount"),
  params: fc.oneof(
    eventNameArb.map((event) => ({ event, since: "entry" })),
    fc.tuple(eventNameArb, durationArb).map(([event, within]) => ({ event, within })),
  ),
  operator: fc.constantFrom("equal", "notEqual", "lessThan", "greaterThan", "greaterThanInclusive"),
  value: fc.nat(20),
});

export const leafConditionArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  factLeafArb,
  eventCountLeafArb,
);

/** A valid top-level condition in json-rules-engine's format: `all`, `any` or `not`, nested. */
export const conditionsArb: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{
  tree: Record<string, unknown>;
  group: Record<string, unknown>;
}>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafConditionArb, tie("group")),
  group: fc.oneof(
    { depthSize: "small" },
    fc.array(tie("tree"), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie("tree"), { maxLength: 3 }).map((any) => ({ any })),
    tie("tree").map((not) => ({ not })),
  ),
})).group;

// ---- node data, per kind -----------------------------------------------------------------------

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq: 2 });
const compact = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const randomBranchesArb = fc
  .uniqueArray(
    fc.record({
      id: fc.oneof(fc.constantFrom("a", "b", "c", "control", "variant"), identArb),
      weight: fc.oneof(fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true })),
    }),
    { minLength: 1, maxLength: 4, selector: (b) => b.id },
  )
  .map((branches) =>
    branches.reduce((s, b) => s + b.weight, 0) > 0
      ? branches
      : branches.map((b, i) => (i === 0 ? { ...b, weight: 1 } : b)),
  );

export function nodeDataArb(kind: NodeKind): fc.Arbitrary<Record<string, unknown>> {
  switch (kind) {
    case "trigger:event":
      return fc
        .record({ event: eventNameArb, where: opt(conditionsArb) })
        .map((d) => compact({ kind: "event", ...d }));
    case "trigger:audience":
      return fc
        .record({ schedule: cronArb, timezone: opt(timezoneArb), conditions: conditionsArb })
        .map((d) => compact({ kind: "audience", ...d }));
    case "trigger:stage":
      return fc.constantFrom(...LIFECYCLE_STAGES).map((to) => ({ kind: "stage", to }));
    case "trigger:manual":
      return fc.constant({ kind: "manual" });
    case "condition":
      return conditionsArb.map((conditions) => ({ conditions }));
    case "wait:duration":
      return durationArb.map((duration) => ({ kind: "duration", duration }));
    case "wait:until":
      return fc
        .record({
          time: hhmmArb,
          days: opt(fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 })),
          timezone: opt(timezoneArb),
        })
        .map((d) => compact({ kind: "until", ...d }));
    case "wait:event":
      return fc
        .record({ event: eventNameArb, where: opt(conditionsArb), timeout: durationArb })
        .map((d) => compact({ kind: "event", ...d }));
    case "split:random":
      return randomBranchesArb.map((branches) => ({ kind: "random", branches }));
    case "split:holdout":
      return fc
        .oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }))
        .map((percent) => ({ kind: "holdout", percent }));
    case "action":
      return fc
        .record({
          action: fc.constantFrom(...TEST_ACTIONS),
          template: opt(fc.constantFrom("winback-coupon", "cart-reminder", "welcome")),
          params: opt(fc.dictionary(identArb, scalarArb, { maxKeys: 3 })),
        })
        .map(compact);
    case "exit":
      return fc.constant({});
  }
}

/** The output ports a node of this kind and data has (spec §1 table). */
export function portsOfData(kind: NodeKind, data: Record<string, unknown>): string[] {
  switch (kind) {
    case "trigger:event":
    case "trigger:audience":
    case "trigger:stage":
    case "trigger:manual":
    case "wait:duration":
    case "wait:until":
      return ["next"];
    case "condition":
      return ["yes", "no"];
    case "wait:event":
      return ["matched", "timeout"];
    case "split:random":
      return (data.branches as { id: string }[]).map((b) => b.id);
    case "split:holdout":
      return ["holdout", "continue"];
    case "action":
      return ["next", "failed"];
    case "exit":
      return [];
  }
}

export const typeOfKind = (kind: NodeKind): string => kind.split(":")[0]!;

const ID_PREFIX: Record<string, string> = {
  trigger: "t",
  condition: "c",
  wait: "w",
  split: "s",
  action: "a",
  exit: "x",
};

// ---- settings ----------------------------------------------------------------------------------

export const settingsArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      timezone: timezoneArb,
      reentry: fc.oneof(
        fc.constant({ mode: "once" }),
        durationArb.map((cooldown) => ({ mode: "cooldown", cooldown })),
        fc.constant({ mode: "always" }),
      ),
      exitOn: fc.array(
        eventNameArb.map((event) => ({ event })),
        { maxLength: 2 },
      ),
      goal: fc.record({ event: eventNameArb, within: durationArb }),
      quietHours: fc
        .tuple(hhmmArb, hhmmArb)
        .filter(([start, end]) => start !== end)
        .map(([start, end]) => ({ start, end })),
      frequencyCap: fc.record({ max: fc.integer({ min: 1, max: 20 }), per: durationArb }),
    },
    { requiredKeys: [] },
  )
  .map(compact);

// ---- whole journeys ----------------------------------------------------------------------------

export interface JourneyArbOptions {
  /** Most non-trigger nodes (default 12). */
  maxNodes?: number;
  /** Fewest non-trigger nodes (default 0; a journey always has at least one trigger). */
  minNodes?: number;
  /** Node kinds each generated journey contains at least once (on top of the random ones). */
  mustInclude?: readonly NodeKind[];
  /** Add back edges through waits, making legal cycles (default true). */
  cycles?: boolean;
  /** Add React Flow's own fields (width, height, selected, measured, edge type, animated) (default true). */
  reactFlowExtras?: boolean;
}

interface NodeSpec {
  kind: NodeKind;
  data: Record<string, unknown>;
}

const nodeSpecArb = (kinds: readonly NodeKind[]): fc.Arbitrary<NodeSpec> =>
  fc.constantFrom(...kinds).chain((kind) => nodeDataArb(kind).map((data) => ({ kind, data })));

/** A small deterministic PRNG, so the graph's shape comes from one shrinkable seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random valid journey documents (see the module comment). */
export function journeyArb(options: JourneyArbOptions = {}): fc.Arbitrary<JourneyDocument> {
  const { maxNodes = 12, minNodes = 0, mustInclude = [], cycles = true, reactFlowExtras = true } = options;
  const required = fc.tuple(...mustInclude.map((kind) => nodeDataArb(kind).map((data) => ({ kind, data }))));
  return fc
    .record({
      triggers: fc.array(nodeSpecArb(TRIGGER_KINDS), { minLength: 1, maxLength: 2 }),
      others: fc.array(nodeSpecArb(NON_TRIGGER_KINDS), { minLength: minNodes, maxLength: maxNodes }),
      required,
      settings: opt(settingsArb),
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
    })
    .map(({ triggers, others, required, settings, seed }) =>
      buildJourney(
        [...triggers, ...required.filter((s) => s.kind.startsWith("trigger:"))],
        [...others, ...required.filter((s) => !s.kind.startsWith("trigger:"))],
        settings,
        seed,
        cycles,
        reactFlowExtras,
      ),
    );
}

/** Random valid journeys, already validated: the engine's normalized `Journey`. */
export function validatedJourneyArb(options: JourneyArbOptions = {}): fc.Arbitrary<Journey> {
  return journeyArb(options).map((doc) => {
    const result = validateJourney(doc, testValidationContext);
    if (!result.ok) {
      throw new Error(`journeyArb made an invalid journey: ${JSON.stringify(result.issues)}`);
    }
    return result.journey;
  });
}

function buildJourney(
  triggerSpecs: NodeSpec[],
  otherSpecs: NodeSpec[],
  settings: Record<string, unknown> | undefined,
  seed: number,
  withCycles: boolean,
  reactFlowExtras: boolean,
): JourneyDocument {
  const rnd = mulberry32(seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const shuffle = <T>(list: T[]): T[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  const otherOrder = shuffle([...otherSpecs]);

  // Topological rank: triggers first, then the others; forward edges only go up in rank.
  interface Built {
    id: string;
    kind: NodeKind;
    data: Record<string, unknown>;
    rank: number;
    free: string[];
  }
  const built: Built[] = [];
  const add = (spec: NodeSpec, rank: number): Built => {
    const type = typeOfKind(spec.kind);
    const b: Built = {
      id: `${ID_PREFIX[type] ?? "n"}${built.length}`,
      kind: spec.kind,
      data: spec.data,
      rank,
      free: [...portsOfData(spec.kind, spec.data)],
    };
    built.push(b);
    return b;
  };
  triggerSpecs.forEach((s) => add(s, -1));
  const others = otherOrder.map((s, i) => add(s, i));

  const edges: RawEdge[] = [];
  const connect = (from: Built, to: Built): void => {
    const port = from.free.splice(pick(from.free.length), 1)[0]!;
    const edge: RawEdge = { id: `e${edges.length}`, source: from.id, target: to.id };
    if (port !== "next") edge.sourceHandle = port;
    else {
      const style = pick(3);
      if (style === 1) edge.sourceHandle = null;
      else if (style === 2) edge.sourceHandle = "next";
    }
    edges.push(edge);
  };
  const withFreePort = (pred: (b: Built) => boolean): Built[] =>
    built.filter((b) => b.free.length > 0 && pred(b));

  // Every non-trigger node gets a parent of lower rank, so every node is reachable from a trigger.
  for (const node of others) {
    const parents = withFreePort((b) => b.rank < node.rank);
    const parent =
      parents.length > 0
        ? parents[pick(parents.length)]!
        : add({ kind: "trigger:manual", data: { kind: "manual" } }, -1);
    connect(parent, node);
  }
  // Extra forward edges: still acyclic.
  const extra = pick(others.length + 1);
  for (let k = 0; k < extra; k++) {
    const sources = withFreePort(() => true);
    if (sources.length === 0) break;
    const from = sources[pick(sources.length)]!;
    const targets = others.filter((b) => b.rank > from.rank);
    if (targets.length > 0) connect(from, targets[pick(targets.length)]!);
  }
  // Back edges: each has a wait at one end, so every cycle they close passes through a wait.
  if (withCycles) {
    const back = pick(3);
    for (let k = 0; k < back; k++) {
      const waits = others.filter((b) => b.kind.startsWith("wait:"));
      if (waits.length === 0) break;
      if (pick(2) === 0) {
        const from = waits.filter((w) => w.free.length > 0);
        if (from.length === 0) continue;
        const w = from[pick(from.length)]!;
        const targets = others.filter((b) => b.rank <= w.rank);
        connect(w, targets[pick(targets.length)]!);
      } else {
        const w = waits[pick(waits.length)]!;
        const sources = withFreePort((b) => b.rank >= w.rank);
        if (sources.length > 0) connect(sources[pick(sources.length)]!, w);
      }
    }
  }

  const nodes: RawNode[] = built.map((b, i) => {
    const node: RawNode = {
      id: b.id,
      type: typeOfKind(b.kind),
      position: { x: (i % 4) * 220, y: (b.rank + 1) * 120 },
      data: b.data,
    };
    if (reactFlowExtras && pick(2) === 0) {
      Object.assign(node, {
        width: 180,
        height: 60,
        selected: pick(2) === 0,
        measured: { width: 180, height: 60 },
        dragging: false,
      });
    }
    return node;
  });
  if (reactFlowExtras) {
    for (const e of edges) {
      if (pick(2) === 0) Object.assign(e, { type: "smoothstep", animated: pick(2) === 0 });
    }
  }
  const doc: JourneyDocument = {
    schemaVersion: 1,
    name: `Random journey ${seed}`,
    nodes: shuffle(nodes),
    edges: shuffle(edges),
  };
  if (settings !== undefined) doc.settings = settings;
  return doc;
}
