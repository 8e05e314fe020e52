import { createHash } from "node:crypto";
import { z } from "zod";
import { defineAction } from "../types";

export const setTraitAction = defineAction({
  type: "set_trait",
  version: 1,
  title: { en: "Set trait", zh: "设置属性" },
  description: { en: "Writes traits onto the customer's profile.", zh: "把属性写入客户档案。" },
  config: z.object({
    traits: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .refine((t) => Object.keys(t).length > 0, {
        error: "set_trait needs at least one trait",
      }),
  }),
  effect: "internal",
  execute: (ctx) => Promise.resolve({ status: "done", traits: ctx.config.traits }),
});

export const addTagAction = defineAction({
  type: "add_tag",
  version: 1,
  title: { en: "Add tag", zh: "添加标签" },
  description: { en: "Adds a tag to the customer's `tags` trait.", zh: "为客户的 tags 属性添加标签。" },
  config: z.object({ tag: z.string().min(1, { error: "add_tag needs a tag" }).max(100) }),
  effect: "internal",
  execute: (ctx) => {
    const current = Array.isArray(ctx.customer.traits.tags) ? (ctx.customer.traits.tags as unknown[]) : [];
    const tags = current.includes(ctx.config.tag) ? current : [...current, ctx.config.tag];
    return Promise.resolve({ status: "done", traits: { tags } });
  },
});

/** A coupon code derived from an offer and an idempotency key: stable for a key, distinct across keys. */
export function couponCodeFor(offer: string, idempotencyKey: string, prefix = "RK"): string {
  const digest = createHash("sha256").update(`${offer}\u0000${idempotencyKey}`).digest("hex");
  return `${prefix}-${digest.slice(0, 10).toUpperCase()}`;
}

/**
 * Issues a coupon code derived from the idempotency key, so a retried or replayed visit gets the same code
 * and two visits never share one. The code is kept on the run as `couponCode` for later templates.
 */
export const issueCouponAction = defineAction({
  type: "issue_coupon",
  version: 1,
  title: { en: "Issue coupon", zh: "发放优惠券" },
  description: {
    en: "Gives the customer a unique coupon code for an offer.",
    zh: "为客户发放唯一的优惠券码。",
  },
  config: z.object({
    offer: z.string().min(1, { error: "issue_coupon needs an offer" }),
    prefix: z.string().max(12).default("RK"),
  }),
  effect: "internal",
  execute: (ctx) => {
    const digest = createHash("sha256")
      .update(`${ctx.config.offer}\u0000${ctx.idempotencyKey}`)
      .digest("hex");
    const code = `${ctx.config.prefix}-${digest.slice(0, 10).toUpperCase()}`;
    return Promise.resolve({ status: "done", vars: { couponCode: code, couponOffer: ctx.config.offer } });
  },
});
