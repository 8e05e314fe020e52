/**
 * Validation, last phase (warnings only): paths that end the run before the goal window closes.
 *
 * What is and is not misleading (spec §4): a conversion is counted from the stored events, not from run
 * outcomes, so the results report counts a customer whose run ended early all the same. What does not count
 * them is everything read from run outcomes: a run that ended `completed` stays `completed` when its customer
 * converts later, so the journey's live "converted" count, the journey list and the run log understate such a
 * path; and a split whose arms hold runs differently (one ends at once, another waits out the window and ends
 * `converted`) makes the arms look different by run outcome when the results report may say they are not.
 * Both mislead only beside runs held until the window closes. So: in a journey where some path holds its runs
 * until `goal.within` after entry, a split arm whose every run ends before then (while another arm of the same
 * split holds), or a path after a message that ends before then, is warned about, naming the split and arm (or
 * the message and where the run ends) and how late it can end. A journey whose every path ends early is
 * consistent (run outcomes and results differ alike everywhere) and gets no warning.
 */
import { durationMs, formatDuration } from "./duration";
import { formatPath } from "./issues";
import type { Journey, JourneyNode } from "./journey";
import { edgePort } from "./ports";
import type { ValidationIssue } from "./issues";
import { coded } from "./validate-context";
import type { ValidationContext } from "./validate-context";

const DAY = 86_400_000;

/** The longest a run can spend at a node before leaving it (a quiet-hours deferral is shorter than a day). */
function longestStay(node: JourneyNode, quietHours: boolean, isMessage: (action: string) => boolean): number {
  switch (node.type) {
    case "wait":
      switch (node.data.kind) {
        case "duration":
          return durationMs(node.data.duration);
        case "event":
          return durationMs(node.data.timeout);
        case "until":
          // The next such local time: within a day, or within a week when only some weekdays count.
          return node.data.days ? 7 * DAY : DAY;
      }
      return 0;
    case "action":
      return quietHours && isMessage(node.data.action) ? DAY : 0;
    case "trigger":
    case "condition":
    case "split":
    case "exit":
      return 0;
  }
}

/** Where a run can end: an exit node, or a port of a node with no edge (exits and failures aside). */
interface End {
  node: JourneyNode;
  /** The unconnected port, or null for an exit node. */
  port: string | null;
  /** The latest a run can end there, after entry. */
  latest: number;
}

export function goalWindowWarnings(journey: Journey, ctx: ValidationContext): ValidationIssue[] {
  const goal = journey.settings.goal;
  if (!goal) return [];
  const within = durationMs(goal.within);
  const isMessage = (action: string): boolean => ctx.actions(action)?.channel !== undefined;
  const quiet = journey.settings.quietHours !== undefined;
  const byId = new Map(journey.nodes.map((n) => [n.id, n]));
  const index = new Map(journey.nodes.map((n, i) => [n.id, i]));
  const out = new Map<string, Map<string, string>>();
  const into = new Map<string, { from: string; port: string }[]>();
  for (const e of journey.edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    const ports = out.get(e.source) ?? new Map<string, string>();
    ports.set(edgePort(e), e.target);
    out.set(e.source, ports);
    const back = into.get(e.target) ?? [];
    back.push({ from: e.source, port: edgePort(e) });
    into.set(e.target, back);
  }

  // The latest arrival at each node (longest path from a trigger), in topological order; a node on or after
  // a cycle (through a wait) can be reached arbitrarily late: Infinity.
  const arrival = new Map<string, number>();
  const indegree = new Map<string, number>(journey.nodes.map((n) => [n.id, into.get(n.id)?.length ?? 0]));
  const ready = journey.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of ready) arrival.set(id, 0);
  while (ready.length > 0) {
    const id = ready.pop()!;
    const leave = arrival.get(id)! + longestStay(byId.get(id)!, quiet, isMessage);
    for (const target of out.get(id)?.values() ?? []) {
      arrival.set(target, Math.max(arrival.get(target) ?? 0, leave));
      const left = indegree.get(target)! - 1;
      indegree.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  const latestAt = (id: string): number => (indegree.get(id) === 0 ? (arrival.get(id) ?? 0) : Infinity);

  const ends: End[] = [];
  for (const node of journey.nodes) {
    if (node.type === "exit") {
      ends.push({ node, port: null, latest: latestAt(node.id) });
      continue;
    }
    const open = unconnectedPorts(node, out.get(node.id));
    const leave = latestAt(node.id) + longestStay(node, quiet, isMessage);
    for (const port of open) ends.push({ node, port, latest: leave });
  }

  // Early ends only mislead where other runs of the journey are held until the window closes: run outcomes
  // then mix runs that could still end `converted` with runs that could not. A journey whose every path ends
  // early is consistent, and says nothing.
  if (!ends.some((e) => e.latest >= within)) return [];
  const armOf = (end: End): { split: string; arm: string } | null => {
    if (end.node.type === "split" && end.port !== null) return { split: end.node.id, arm: end.port };
    const up = nearestUpstream(end.node.id, into, (from) => byId.get(from)?.type === "split");
    return up && { split: up.node, arm: up.port };
  };
  // How long each arm holds its runs: the latest of its ends.
  const holds = new Map<string, Map<string, number>>();
  for (const end of ends) {
    const a = armOf(end);
    if (!a) continue;
    const arms = holds.get(a.split) ?? new Map<string, number>();
    arms.set(a.arm, Math.max(arms.get(a.arm) ?? 0, end.latest));
    holds.set(a.split, arms);
  }

  const warnings = new Map<string, ValidationIssue>();
  for (const end of ends) {
    if (!(end.latest < within)) continue;
    const a = armOf(end);
    if (a) {
      const arms = holds.get(a.split)!;
      const hold = arms.get(a.arm)!;
      const key = `arm\u0000${a.split}\u0000${a.arm}`;
      // An arm is misleading next to an arm of the same split that waits out the window.
      const other = [...arms].some(([arm, h]) => arm !== a.arm && h >= within);
      if (hold < within && other && !warnings.has(key))
        warnings.set(
          key,
          coded(
            { nodeId: a.split, path: formatPath(["nodes", index.get(a.split)!]) },
            "goal.split_arm_ends_early",
            {
              within: goal.within,
              latest: formatDuration(hold),
              end: end.node.id,
              split: a.split,
              arm: a.arm,
            },
          ),
        );
      continue;
    }
    const message =
      end.node.type === "action" && isMessage(end.node.data.action)
        ? end.node.id
        : nearestUpstream(end.node.id, into, (from) => {
            const n = byId.get(from);
            return n?.type === "action" && isMessage(n.data.action);
          })?.node;
    if (message === undefined) continue;
    const key = `message\u0000${end.node.id}\u0000${end.port ?? ""}`;
    if (!warnings.has(key))
      warnings.set(
        key,
        coded(
          { nodeId: end.node.id, path: formatPath(["nodes", index.get(end.node.id)!]) },
          "goal.message_path_ends_early",
          { within: goal.within, latest: formatDuration(end.latest), end: end.node.id, message },
        ),
      );
  }
  return [...warnings.values()];
}

/** The ports of a node with no edge that end the run there (an action's `failed` port falls back, so not). */
function unconnectedPorts(node: JourneyNode, ports: Map<string, string> | undefined): string[] {
  const has = (p: string): boolean => ports?.has(p) ?? false;
  switch (node.type) {
    case "trigger":
      return has("next") ? [] : ["next"];
    case "condition":
      return ["yes", "no"].filter((p) => !has(p));
    case "wait":
      return (node.data.kind === "event" ? ["matched", "timeout"] : ["next"]).filter((p) => !has(p));
    case "split":
      return (
        node.data.kind === "random" ? node.data.branches.map((b) => b.id) : ["holdout", "continue"]
      ).filter((p) => !has(p));
    case "action":
      return has("next") ? [] : ["next"];
    case "exit":
      return [];
  }
}

/**
 * The nearest node upstream of `id` (breadth first, along edges backwards) that `match`es, with the port of
 * the edge it was left by: the split and arm a path belongs to, or the message it follows.
 */
function nearestUpstream(
  id: string,
  into: Map<string, { from: string; port: string }[]>,
  match: (from: string) => boolean,
): { node: string; port: string } | null {
  const seen = new Set([id]);
  let frontier = [id];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const at of frontier)
      for (const e of into.get(at) ?? []) {
        if (match(e.from)) return { node: e.from, port: e.port };
        if (!seen.has(e.from)) {
          seen.add(e.from);
          next.push(e.from);
        }
      }
    frontier = next;
  }
  return null;
}
