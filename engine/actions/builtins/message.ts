import { z } from "zod";
import { defineAction } from "../types";
import type { ActionDefinition, LocalizedText } from "../types";
import { deliveryMeta } from "./deliver";
import type { DeliverFn } from "./deliver";

const messageConfig = z.object({}).loose();

/** A message action (email, sms, push, wechat): renders its template, then sends through its channel. */
export function messageAction(
  spec: { type: string; addressTrait: string; title: LocalizedText; description: LocalizedText },
  deliver: DeliverFn,
): ActionDefinition<Record<string, unknown>> {
  return defineAction({
    type: spec.type,
    version: 1,
    title: spec.title,
    description: spec.description,
    channel: { name: spec.type, addressTrait: spec.addressTrait },
    config: messageConfig,
    template: { channel: spec.type, required: true },
    effect: "external",
    execute: (ctx) =>
      deliver(
        {
          channel: spec.type,
          address: ctx.address ?? "",
          rendered: ctx.rendered,
          template: ctx.template,
          customerId: ctx.customer.id,
          params: ctx.config,
          ...(typeof ctx.customer.traits.name === "string" ? { name: ctx.customer.traits.name } : {}),
          meta: deliveryMeta(ctx),
        },
        { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, attempt: ctx.attempt },
      ),
  });
}
