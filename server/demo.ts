import { demoCustomers } from "../engine/customer/index";
import type { DemoEvent } from "../engine/customer/index";
import type { InputEvent } from "../engine/schema/events";
import { newWriteKey, sha256 } from "./auth";
import type { ServerContext } from "./context";
import { refitBase } from "../engine/customer/recompute-job";
import { JOURNEY_LIBRARY } from "./journey-library";
import { randomUUID } from "node:crypto";

export interface DemoResult {
  customers: number;
  events: number;
  journeys: { id: string; name: string; status: string }[];
  writeKey: string;
}

/**
 * The first start's demo: a generated customer base (identify + purchase history, ending now) ingested
 * through the engine like any other events, the built-in journeys published, and a write key.
 */
export async function loadDemo(
  ctx: ServerContext,
  customers: number,
  seed: string | number = "rekindle",
): Promise<DemoResult> {
  const now = ctx.engine.clock.now();
  let buffer: InputEvent[] = [];
  let events = 0;
  let count = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    await ctx.ingester.submit(buffer);
    events += buffer.length;
    buffer = [];
  };
  for (const c of demoCustomers({ customers, seed, now })) {
    count++;
    for (const e of c.events) buffer.push(toInput(e));
    if (buffer.length >= 1000) await flush();
  }
  await flush();
  await refitBase(ctx.engine, ctx.model);

  const journeys: DemoResult["journeys"] = [];
  for (const lib of JOURNEY_LIBRARY) {
    const row = await ctx.engine.createJourney(structuredClone(lib.doc), lib.id);
    ctx.srv.audit(Date.now(), null, "journey.create", row.id, {
      name: row.name,
      template: lib.id,
      demo: true,
    });
    const v = await ctx.engine.publish(row.id);
    ctx.srv.audit(Date.now(), null, "journey.publish", row.id, {
      versionId: v.id,
      version: v.version,
      demo: true,
    });
    journeys.push({ id: row.id, name: row.name, status: "live" });
  }
  const secret = newWriteKey();
  const keyId = randomUUID();
  ctx.srv.insertKey({
    id: keyId,
    name: "demo",
    secretHash: sha256(secret),
    prefix: secret.slice(0, 7),
    createdBy: null,
    createdAt: Date.now(),
    revokedAt: null,
  });
  ctx.keys.invalidate();
  ctx.srv.audit(Date.now(), null, "key.create", keyId, { name: "demo", demo: true });
  ctx.srv.setMeta("demo_loaded", new Date().toISOString());
  return { customers: count, events, journeys, writeKey: secret };
}

function toInput(e: DemoEvent): InputEvent {
  return e.type === "identify"
    ? { type: "identify", userId: e.userId, traits: e.traits, timestamp: e.timestamp, messageId: e.messageId }
    : {
        type: "track",
        userId: e.userId,
        event: e.event,
        properties: e.properties,
        timestamp: e.timestamp,
        messageId: e.messageId,
      };
}
