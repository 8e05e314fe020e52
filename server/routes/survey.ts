/**
 * The hosted one-question survey page (CSAT 1–5 or NPS 0–10, optional comment), in Chinese and English.
 * Mount it where survey links point, e.g. `app.use("/s", surveyRouter({ engine, secret }))`:
 *
 * - `GET /:token`: the page (language from `?lang=`, the token, or Accept-Language; `?score=` preselects,
 *   so an email can carry one link per score).
 * - `POST /:token`: records the answer (form or JSON body `{ score, comment? }`) as a `survey_response`
 *   event; one answer per token. Answers with a thank-you page, or JSON when the request is JSON.
 *
 * The token is signed (engine/customer/survey.ts), so the page needs no login.
 */
import express from "express";
import type { Request, Response, Router } from "express";
import {
  checkSurveyAnswer,
  recordSurveyResponse,
  SURVEY_SCALES,
  surveyMessageId,
  verifySurveyToken,
} from "../../engine/index";
import type { Engine, SurveyInvite, SurveyKind, SurveyLang } from "../../engine/index";

export interface SurveyRouterDeps {
  engine: Engine;
  /** The secret survey links are signed with (at least 16 characters). */
  secret: string;
  /** The brand named in the question (default "us" / "我们"). */
  brand?: string | undefined;
  /** Clock for token expiry (default: the engine's). */
  now?: () => number;
}

const TEXT = {
  en: {
    title: "Quick question",
    csat: (b: string) => `How satisfied are you with ${b}?`,
    nps: (b: string) => `How likely are you to recommend ${b} to a friend or colleague?`,
    csatEnds: ["Very dissatisfied", "Very satisfied"],
    npsEnds: ["Not at all likely", "Extremely likely"],
    comment: "Anything you would like to add? (optional)",
    submit: "Send",
    thanks: "Thank you! Your answer has been recorded.",
    already: "Thank you, we already have your answer.",
    invalid: "This survey link is not valid.",
    expired: "This survey has closed.",
    badAnswer: "Please choose a score.",
    us: "us",
  },
  zh: {
    title: "一个小问题",
    csat: (b: string) => `您对${b}的满意度如何？`,
    nps: (b: string) => `您有多大可能向朋友或同事推荐${b}？`,
    csatEnds: ["非常不满意", "非常满意"],
    npsEnds: ["完全不可能", "非常可能"],
    comment: "还有什么想告诉我们的吗？（选填）",
    submit: "提交",
    thanks: "谢谢！您的回答已记录。",
    already: "谢谢，我们已经收到您的回答。",
    invalid: "此调查链接无效。",
    expired: "此调查已结束。",
    badAnswer: "请选择一个分数。",
    us: "我们",
  },
} as const;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function pickLang(req: Request, invite?: SurveyInvite): SurveyLang {
  const q = req.query.lang;
  if (q === "zh" || q === "en") return q;
  if (invite?.lang) return invite.lang;
  const accept = req.get("accept-language") ?? "";
  return /^\s*zh/i.test(accept) ? "zh" : "en";
}

function page(lang: SurveyLang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.25rem}.scale{display:flex;flex-wrap:wrap;gap:.35rem;margin:1rem 0 .25rem}
.scale label{display:flex;flex-direction:column;align-items:center;border:1px solid #bbb;border-radius:.4rem;padding:.5rem .7rem;cursor:pointer}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#666}
textarea{width:100%;min-height:5rem;margin:.5rem 0}button{padding:.6rem 1.4rem;font-size:1rem}
.error{color:#b00020}
</style>
</head>
<body>
${body}
</body>
</html>`;
}

function sendPage(res: Response, status: number, lang: SurveyLang, title: string, body: string): void {
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    })
    .send(page(lang, title, body));
}

function formHtml(
  lang: SurveyLang,
  kind: SurveyKind,
  brand: string,
  selected: number | undefined,
  error?: string,
): string {
  const t = TEXT[lang];
  const scale = SURVEY_SCALES[kind];
  const question = kind === "csat" ? t.csat(brand) : t.nps(brand);
  const ends = kind === "csat" ? t.csatEnds : t.npsEnds;
  const options: string[] = [];
  for (let s = scale.min; s <= scale.max; s++) {
    options.push(
      `<label><input type="radio" name="score" value="${s}" required${selected === s ? " checked" : ""}>${s}</label>`,
    );
  }
  return `<h1>${escapeHtml(question)}</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post">
<input type="hidden" name="lang" value="${lang}">
<div class="scale" role="radiogroup" aria-label="${escapeHtml(question)}">${options.join("")}</div>
<div class="ends"><span>${escapeHtml(ends[0])}</span><span>${escapeHtml(ends[1])}</span></div>
<p><label for="comment">${escapeHtml(t.comment)}</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea></p>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`;
}

const wantsJson = (req: Request): boolean => req.is("application/json") === "application/json";

export function surveyRouter(deps: SurveyRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? (() => deps.engine.clock.now());
  const brandFor = (lang: SurveyLang): string => deps.brand ?? TEXT[lang].us;

  router.get("/:token", (req, res) => {
    const check = verifySurveyToken(deps.secret, req.params.token ?? "", now());
    if (!check.ok) {
      const lang = pickLang(req);
      const t = TEXT[lang];
      const msg = check.reason === "expired" ? t.expired : t.invalid;
      sendPage(res, check.reason === "expired" ? 410 : 404, lang, t.title, `<p>${escapeHtml(msg)}</p>`);
      return;
    }
    const lang = pickLang(req, check.invite);
    const pre = Number(req.query.score);
    sendPage(
      res,
      200,
      lang,
      TEXT[lang].title,
      formHtml(lang, check.invite.kind, brandFor(lang), Number.isInteger(pre) ? pre : undefined),
    );
  });

  router.post(
    "/:token",
    express.urlencoded({ extended: false, limit: "16kb" }),
    express.json({ limit: "16kb" }),
    async (req, res, next) => {
      try {
        const json = wantsJson(req);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const token = req.params.token ?? "";
        const check = verifySurveyToken(deps.secret, token, now());
        const bodyLang = body.lang === "zh" || body.lang === "en" ? body.lang : undefined;
        if (!check.ok) {
          const status = check.reason === "expired" ? 410 : 404;
          if (json) {
            res.status(status).json({ error: check.reason === "expired" ? "expired" : "invalid_token" });
            return;
          }
          const lang = bodyLang ?? pickLang(req);
          const t = TEXT[lang];
          sendPage(
            res,
            status,
            lang,
            t.title,
            `<p>${escapeHtml(check.reason === "expired" ? t.expired : t.invalid)}</p>`,
          );
          return;
        }
        const invite = check.invite;
        const lang = bodyLang ?? pickLang(req, invite);
        const t = TEXT[lang];
        const score =
          typeof body.score === "number"
            ? body.score
            : typeof body.score === "string" && body.score.trim() !== ""
              ? Number(body.score)
              : NaN;
        const comment =
          typeof body.comment === "string" && body.comment.trim() !== "" ? body.comment : undefined;
        const problem = checkSurveyAnswer({ kind: invite.kind, score, comment });
        if (problem) {
          if (json) {
            res.status(400).json({ error: "bad_answer", message: problem });
            return;
          }
          sendPage(
            res,
            400,
            lang,
            t.title,
            formHtml(lang, invite.kind, brandFor(lang), undefined, t.badAnswer),
          );
          return;
        }
        const status = await recordSurveyResponse(deps.engine, {
          customerId: invite.customerId,
          kind: invite.kind,
          score,
          comment,
          journeyId: invite.journeyId,
          messageId: surveyMessageId(token),
        });
        if (json) {
          res.status(status === "accepted" ? 201 : 200).json({ status });
          return;
        }
        sendPage(
          res,
          200,
          lang,
          t.title,
          `<p>${escapeHtml(status === "accepted" ? t.thanks : t.already)}</p>`,
        );
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}
