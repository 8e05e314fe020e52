import type { ActionContext, ActionResult, RenderedContent } from "../types";

/** What a message action hands to the channel layer. */
export interface Delivery {
  channel: string;
  address: string;
  rendered: RenderedContent | null;
  template: string | null;
  customerId: string;
  params: Record<string, unknown>;
  /** The customer's name, for the email's To header. */
  name?: string;
  /** Where the delivery comes from, for provider logs and webhook envelopes. */
  meta?: { journey?: string; runId?: string; nodeId?: string; template?: string };
}

/** The `meta` of a delivery made by an action step. */
export function deliveryMeta(ctx: ActionContext<unknown>): NonNullable<Delivery["meta"]> {
  return {
    journey: ctx.run.journeyId,
    runId: String(ctx.run.id),
    nodeId: ctx.run.nodeId,
    ...(ctx.template ? { template: ctx.template } : {}),
  };
}

/** Sends one delivery through the provider configured for its channel. */
export type DeliverFn = (
  delivery: Delivery,
  opts: { idempotencyKey: string; signal: AbortSignal; attempt: number },
) => Promise<ActionResult>;

/**
 * The development provider: the outbox row is the record of the delivery, so there is nothing else to do.
 * Simulation and the demo use it; real providers come from configuration.
 */
export const recordOnly: DeliverFn = () =>
  Promise.resolve({ status: "done", response: { provider: "record" } });
