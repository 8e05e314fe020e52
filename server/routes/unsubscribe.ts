import express from "express";
import type { Request, Response, Router } from "express";
import { resubscribe, unsubscribe } from "../../engine/consent/consent";
import type { ConsentTarget } from "../../engine/consent/consent";
import { verifyUnsubscribeToken } from "../../engine/consent/token";
import type { UnsubscribeClaims } from "../../engine/consent/token";

export interface UnsubscribeRouterDeps {
  /** The engine (or its store): where unsubscribes are recorded. */
  target: ConsentTarget;
  /** The HMAC secret the links were signed with; several while rotating (newest first). */
  secret: string | readonly string[];
  /** Shown on the page, e.g. the shop's name. */
  brandName?: string;
  /** Refuse links older than this (default: links never expire, as mail rules expect them to keep working). */
  maxAgeSec?: number;
}

const CHANNEL_NAMES: Record<string, { en: string; zh: string }> = {
  email: { en: "emails", zh: "邮件" },
  sms: { en: "text messages", zh: "短信" },
  push: { en: "push notifications", zh: "推送通知" },
  wechat: { en: "WeChat messages", zh: "微信消息" },
  "*": { en: "all messages", zh: "所有消息" },
};

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // The token is in the URL: never send it on as a referrer, never let the page be framed or indexed.
      "referrer-policy": "no-referrer",
      "x-robots-tag": "noindex",
      "x-content-type-options": "nosniff",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    })
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.6}button{font-size:1rem;padding:.5rem 1.2rem;cursor:pointer}p.zh{color:#555}</style></head>` +
        `<body>${body}</body></html>`,
    );
}

/**
 * The unsubscribe endpoint and page, standalone so the server can mount it: `app.use(unsubscribeRouter(deps))`.
 *
 * - `GET /u/:token` shows a confirmation page (a GET never unsubscribes: mail scanners follow links).
 * - `POST /u/:token` unsubscribes the token's customer from its channel: the page's button, and RFC 8058
 *   one-click (`List-Unsubscribe=One-Click` in the form body, sent by mail providers). `action=resubscribe`
 *   undoes it.
 *
 * Tokens are HMAC-signed (engine/consent); an altered or foreign token gets a 400 page and changes nothing.
 */
export function unsubscribeRouter(deps: UnsubscribeRouterDeps): Router {
  const router = express.Router();
  const brand = deps.brandName ? escapeHtml(deps.brandName) : "";
  const claims = (req: Request): UnsubscribeClaims | null =>
    verifyUnsubscribeToken(deps.secret, String(req.params.token ?? ""), {
      ...(deps.maxAgeSec !== undefined ? { maxAgeSec: deps.maxAgeSec } : {}),
    });
  const invalid = (res: Response) =>
    page(
      res,
      400,
      "Invalid link",
      `<h1>This link is not valid</h1><p>It may be incomplete or out of date. Use the unsubscribe link in a recent message.</p><p class="zh">链接无效或已过期，请使用最近一封消息中的退订链接。</p>`,
    );
  const what = (c: UnsubscribeClaims) => CHANNEL_NAMES[c.channel] ?? { en: c.channel, zh: c.channel };

  router.get("/u/:token", (req, res) => {
    const c = claims(req);
    if (!c) return invalid(res);
    const w = what(c);
    page(
      res,
      200,
      "Unsubscribe",
      `<h1>Unsubscribe from ${escapeHtml(w.en)}${brand ? ` from ${brand}` : ""}?</h1><p class="zh">退订${escapeHtml(w.zh)}？</p>` +
        `<form method="post"><button type="submit" name="action" value="unsubscribe">Unsubscribe · 退订</button></form>`,
    );
  });

  router.post("/u/:token", express.urlencoded({ extended: false, limit: "2kb" }), async (req, res) => {
    const c = claims(req);
    if (!c) return invalid(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const w = what(c);
    if (body.action === "resubscribe") {
      await resubscribe(deps.target, c.customerId, c.channel);
      return page(
        res,
        200,
        "Subscribed",
        `<h1>You are subscribed to ${escapeHtml(w.en)} again.</h1><p class="zh">已重新订阅${escapeHtml(w.zh)}。</p>`,
      );
    }
    const oneClick = body["List-Unsubscribe"] === "One-Click";
    await unsubscribe(deps.target, c.customerId, c.channel, { source: oneClick ? "one-click" : "link" });
    page(
      res,
      200,
      "Unsubscribed",
      `<h1>You are unsubscribed from ${escapeHtml(w.en)}.</h1><p class="zh">已退订${escapeHtml(w.zh)}。</p>` +
        `<form method="post"><button type="submit" name="action" value="resubscribe">Undo · 撤销</button></form>`,
    );
  });
  return router;
}
