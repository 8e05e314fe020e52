import { z } from "zod";
import { generateCouponCodes, importCouponCodes } from "../../engine/index";
import { badRequest } from "../errors";
import { MARKETER, VIEWER, route } from "../route";
import type { RouteDef } from "../route";

const offerParam = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

const fillBody = z.union([
  z.strictObject({ codes: z.array(z.string().min(1).max(64)).min(1).max(100_000) }),
  z.strictObject({ pattern: z.string().min(1).max(64), count: z.int().min(1).max(1_000_000) }),
]);

/** Coupon pools per offer: `issue_coupon` hands each run one code from its offer's pool, never twice. */
export function couponRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/api/coupon-pools",
      access: VIEWER,
      tag: "coupons",
      summary: "Every offer's pool: codes in total, issued and left",
      handler: ({ ctx }) => ctx.store.listCouponPools(),
    }),
    route({
      method: "post",
      path: "/api/coupon-pools/:offer/codes",
      access: MARKETER,
      tag: "coupons",
      summary:
        "Adds codes to an offer's pool: an imported list, or generated from a pattern such as WB-####-????",
      body: fillBody,
      bodyLimit: 8 * 1024 * 1024,
      status: 201,
      handler: async ({ ctx, params, body, audit }) => {
        const offer = params.offer!;
        if (!offerParam.test(offer))
          throw badRequest(`bad offer ${JSON.stringify(offer)}: letters, digits, - and _`);
        const b = body;
        const now = ctx.engine.clock.now();
        try {
          const r =
            "codes" in b
              ? await importCouponCodes(ctx.store, offer, b.codes, now)
              : await generateCouponCodes(ctx.store, offer, b.pattern, b.count, { at: now });
          await audit("coupons.add", offer, {
            added: r.added,
            ...("pattern" in b ? { pattern: b.pattern } : {}),
          });
          return r;
        } catch (e) {
          throw badRequest((e as Error).message);
        }
      },
    }),
  ];
}
