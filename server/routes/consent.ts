import { z } from "zod";
import { consentOf, resubscribe, unsubscribe, verifyUnsubscribeToken } from "../../engine/index";
import { notFound } from "../errors";
import { MARKETER, PUBLIC, VIEWER, route } from "../route";
import type { RouteDef } from "../route";

export const CONSENT_CHANNELS = ["email", "sms", "push", "wechat"] as const;

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}</style></head><body>${body}</body></html>`;

const channelName = (c: string): string => (c === "*" ? "all messages" : `${c} messages`);

export function consentRoutes(): RouteDef[] {
  return [
    route({
      method: "get",
      path: "/u/:token",
      access: PUBLIC,
      tag: "consent",
      summary:
        "Unsubscribe page of a signed link (confirms with a POST, so link scanners do not unsubscribe)",
      produces: ["text/html"],
      handler: ({ ctx, params, res }) => {
        const claims = verifyUnsubscribeToken(ctx.unsubscribeSecret, params.token!, {
          maxAgeSec: ctx.linkLifetimes.unsubscribeDays * 86_400,
          now: ctx.engine.clock.now(),
        });
        res
          .type("html")
          .setHeader(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
          );
        if (!claims) {
          res
            .status(404)
            .send(
              page("Link not valid", "<h1>This unsubscribe link is not valid</h1><p>取消订阅链接无效。</p>"),
            );
          return;
        }
        res.send(
          page(
            "Unsubscribe",
            `<h1>Unsubscribe from ${esc(channelName(claims.channel))}?</h1><p>确认退订？</p><form method="post"><button type="submit">Unsubscribe / 退订</button></form>`,
          ),
        );
      },
    }),
    route({
      method: "post",
      path: "/u/:token",
      access: PUBLIC,
      tag: "consent",
      summary: "Unsubscribe (one-click, RFC 8058 List-Unsubscribe-Post, or the page's button)",
      produces: ["text/html"],
      bodyLimit: 4096,
      handler: async ({ ctx, params, res }) => {
        const claims = verifyUnsubscribeToken(ctx.unsubscribeSecret, params.token!, {
          maxAgeSec: ctx.linkLifetimes.unsubscribeDays * 86_400,
          now: ctx.engine.clock.now(),
        });
        res
          .type("html")
          .setHeader(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
          );
        if (!claims) {
          res.status(404).send(page("Link not valid", "<h1>This unsubscribe link is not valid</h1>"));
          return;
        }
        const changed = await unsubscribe(ctx.engine, claims.customerId, claims.channel, { source: "link" });
        if (changed)
          await ctx.srv.audit(Date.now(), null, "consent.unsubscribe", claims.customerId, {
            channel: claims.channel,
            source: "link",
          });
        res.send(
          page(
            "Unsubscribed",
            `<h1>You are unsubscribed from ${esc(channelName(claims.channel))}.</h1><p>您已退订。</p>`,
          ),
        );
      },
    }),
    route({
      method: "get",
      path: "/api/customers/:id/consent",
      access: VIEWER,
      tag: "customers",
      summary: "A customer's subscription state per channel",
      handler: async ({ ctx, params }) => {
        const c = (await ctx.store.getCustomers([params.id!])).get(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        return consentOf(ctx.engine, c.id, CONSENT_CHANNELS);
      },
    }),
    route({
      method: "put",
      path: "/api/customers/:id/consent",
      access: MARKETER,
      tag: "customers",
      summary: "Unsubscribe or resubscribe a customer on a channel (`*` for every channel)",
      body: z.object({ channel: z.enum([...CONSENT_CHANNELS, "*"]), subscribed: z.boolean() }),
      bodyLimit: 4096,
      handler: async ({ ctx, params, body, audit }) => {
        const c = (await ctx.store.getCustomers([params.id!])).get(params.id!);
        if (!c) throw notFound(`customer ${params.id}`);
        if (body.subscribed) await resubscribe(ctx.engine, c.id, body.channel);
        else await unsubscribe(ctx.engine, c.id, body.channel, { source: "api" });
        await audit(body.subscribed ? "consent.resubscribe" : "consent.unsubscribe", c.id, {
          channel: body.channel,
        });
        return consentOf(ctx.engine, c.id, CONSENT_CHANNELS);
      },
    }),
  ];
}
