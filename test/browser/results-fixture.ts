/**
 * A journey with a holdout and an email/SMS split, fed through the public API: customers enter by a tracked
 * event, and converting customers place an order afterwards, at rates that depend on their arm. Arms are
 * computed with the engine's published assignment hash, so the test knows who is where without asking.
 */
import { pickBranch, unitHash } from "../../engine/runtime/split-hash";
import { apiCall } from "./harness";
import type { RunningServer } from "./harness";

export const RESULTS_TRIGGER = "e2e_results_signal";
const BRANCHES = [
  { id: "email", weight: 50 },
  { id: "sms", weight: 50 },
];
const HOLDOUT_PERCENT = 20;
/** Conversion chance per arm: SMS far ahead of email, so the verdict is significant with a few hundred. */
const CONVERT: Record<string, number> = { holdout: 0.1, email: 0.12, sms: 0.45 };

export function resultsJourney(): unknown {
  return {
    schemaVersion: 1,
    name: "Win-back: SMS against email (e2e)",
    settings: { goal: { event: "order_completed", within: "14d" } },
    nodes: [
      {
        id: "t1",
        type: "trigger",
        position: { x: 0, y: 0 },
        data: { kind: "event", event: RESULTS_TRIGGER },
      },
      {
        id: "h1",
        type: "split",
        position: { x: 0, y: 160 },
        data: { kind: "holdout", percent: HOLDOUT_PERCENT },
      },
      { id: "x0", type: "exit", position: { x: -320, y: 380 }, data: {} },
      { id: "s1", type: "split", position: { x: 160, y: 380 }, data: { kind: "random", branches: BRANCHES } },
      { id: "x1", type: "exit", position: { x: -20, y: 600 }, data: {} },
      { id: "x2", type: "exit", position: { x: 340, y: 600 }, data: {} },
    ],
    edges: [
      { id: "e1", source: "t1", target: "h1" },
      { id: "e2", source: "h1", sourceHandle: "holdout", target: "x0" },
      { id: "e3", source: "h1", sourceHandle: "continue", target: "s1" },
      { id: "e4", source: "s1", sourceHandle: "email", target: "x1" },
      { id: "e5", source: "s1", sourceHandle: "sms", target: "x2" },
    ],
  };
}

/** The arm a customer lands in, as spec §4 defines the assignment. */
export function armOf(journeyId: string, customerId: string): string {
  const u = (node: string): number => unitHash(`${journeyId}\u0000${customerId}\u0000${node}`);
  if (u("h1") * 100 < HOLDOUT_PERCENT) return "holdout";
  return pickBranch(BRANCHES, u("s1"));
}

/** Whether a customer converts: a deterministic share of each arm (by a hash of its id, not by chance). */
function converts(journeyId: string, customerId: string): boolean {
  return unitHash(`convert\u0000${customerId}`) < CONVERT[armOf(journeyId, customerId)]!;
}

export async function feedResults(
  server: RunningServer,
  token: string,
  journeyId: string,
  customers: number,
) {
  let key = server.writeKey;
  if (!key) {
    const created = await apiCall<{ key?: string; secret?: string }>(server, token, "POST", "/api/keys", {
      name: "e2e-results",
    });
    key = created.key ?? created.secret ?? null;
  }
  const auth = `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
  const batch = async (items: unknown[]): Promise<void> => {
    for (let i = 0; i < items.length; i += 100) {
      const r = await fetch(`${server.url}/v1/batch`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({ batch: items.slice(i, i + 100) }),
      });
      if (r.status >= 300) throw new Error(`/v1/batch: ${r.status} ${await r.text()}`);
    }
  };
  const ids = Array.from({ length: customers }, (_, i) => `e2e-r-${i}`);
  const t0 = new Date().toISOString();
  await batch(
    ids.map((id) => ({
      type: "track",
      userId: id,
      event: RESULTS_TRIGGER,
      timestamp: t0,
      messageId: `${id}-in`,
    })),
  );
  return {
    ids,
    /** Orders after every customer has entered, so each lands inside its 14-day window. */
    convert: async (): Promise<Record<string, number>> => {
      const at = new Date().toISOString();
      const buyers = ids.filter((id) => converts(journeyId, id));
      await batch(
        buyers.map((id) => ({
          type: "track",
          userId: id,
          event: "order_completed",
          properties: { revenue: 120 },
          timestamp: at,
          messageId: `${id}-order`,
        })),
      );
      const perArm: Record<string, number> = {};
      for (const id of buyers) perArm[armOf(journeyId, id)] = (perArm[armOf(journeyId, id)] ?? 0) + 1;
      return perArm;
    },
  };
}
