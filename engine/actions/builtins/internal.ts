import { createHash } from "node:crypto";
import { z } from "zod";
import type { CouponIssuer } from "../../coupons/pools";
import type { ActionResult } from "../types";
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

const couponConfig = z.object({
  offer: z.string().min(1, { error: "issue_coupon needs an offer" }),
  /** Prefix of derived codes (only when the offer has no pool and derived codes are allowed). */
  prefix: z.string().max(12).default("RK"),
});

export interface IssueCouponOptions {
  /** The pools to issue from; without one, every code is derived from the idempotency key (simulation). */
  issuer?: CouponIssuer;
  /**
   * An offer without a pool: `fail` (default, step failed with reason `coupon_pool_missing`) or `derive` a
   * code from the idempotency key as simulation does (for demos that never imported codes).
   */
  missingPool?: "fail" | "derive";
}

/**
 * Issues one coupon code of the offer's pool per run visit, keyed by the idempotency key: a re-execution
 * after a crash gets the same code, and no code is ever given twice. The code is kept on the run as
 * `couponCode` for later templates. An empty pool fails the step with reason `coupon_pool_empty`.
 */
export function issueCouponAction(options: IssueCouponOptions = {}) {
  const derive = (offer: string, key: string, prefix: string) => ({
    status: "done" as const,
    vars: { couponCode: couponCodeFor(offer, key, prefix), couponOffer: offer },
  });
  return defineAction({
    type: "issue_coupon",
    version: 1,
    title: { en: "Issue coupon", zh: "发放优惠券" },
    description: {
      en: "Gives the customer a unique coupon code from the offer's pool.",
      zh: "从优惠活动的券码池中为客户发放唯一的券码。",
    },
    config: couponConfig,
    effect: "internal",
    async execute(ctx): Promise<ActionResult> {
      const { offer, prefix } = ctx.config;
      if (!options.issuer) return derive(offer, ctx.idempotencyKey, prefix);
      const r = await options.issuer.issue(offer, ctx.idempotencyKey, ctx.customer.id, ctx.now);
      switch (r.status) {
        case "issued":
          if (r.reused)
            ctx.log.info({ offer, idempotencyKey: ctx.idempotencyKey }, "coupon re-issued to the same key");
          return { status: "done", vars: { couponCode: r.code, couponOffer: offer } };
        case "empty":
          ctx.log.warn({ offer }, "coupon pool is empty");
          return { status: "fail", reason: "coupon_pool_empty" };
        case "no_pool":
          if (options.missingPool === "derive") return derive(offer, ctx.idempotencyKey, prefix);
          return { status: "fail", reason: "coupon_pool_missing" };
      }
    },
  });
}
