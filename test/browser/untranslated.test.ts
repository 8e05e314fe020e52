/**
 * Every visible string on the main screens is Chinese when the builder is in 中文: Chromium walks each screen
 * on the demo data and flags text that is an English dictionary value, or reads as English words. What the
 * customer's own data says (journey, template, event and customer names, ids) is not the builder's to
 * translate, and is collected from the API and skipped; so are a few brand names and codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { en, zh } from "../../builder-ui/src/i18n/dict";
import { apiCall, buildUi, launch, serverReady, shot, startServer } from "./harness";
import type { RunningServer } from "./harness";

/** Names and codes that read the same in both languages. */
const ALLOW = [
  "Rekindle",
  "EN",
  "Webhook",
  "CSV",
  "SMS",
  "ID",
  "RFM",
  "CLV",
  "NPS",
  "CSAT",
  "A/B",
  "JSON",
  "HTML",
  "URL",
  "P(alive)",
];

interface Finding {
  screen: string;
  text: string;
  where: string;
}

/** Text nodes on the page, visible, not inside code or a form control's value, with a short path. */
function visibleTexts(page: Page): Promise<{ text: string; where: string }[]> {
  return page.evaluate(() => {
    const out: { text: string; where: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? "").replace(/\s+/g, " ").trim();
      if (!text) continue;
      const el = n.parentElement;
      // Key caps (Ctrl, Shift) read the same on a Chinese keyboard.
      if (!el || el.closest("script, style, code, pre, kbd, .mono, [data-user-content]")) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || style.display === "none")
        continue;
      const where = [el, el.parentElement, el.parentElement?.parentElement]
        .filter((e): e is HTMLElement => !!e)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}${e.className && typeof e.className === "string" ? `.${e.className.split(" ")[0]}` : ""}`,
        )
        .reverse()
        .join(" > ");
      out.push({ text, where });
    }
    return out;
  });
}

describe.skipIf(!serverReady())("no English left on the main screens in 中文", () => {
  let server: RunningServer;
  let page: Page;
  let close: () => Promise<void>;
  let token = "";
  const dataStrings = new Set<string>();
  const englishValues = new Set(
    (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] !== zh[k]).map((k) => en[k].trim()),
  );
  const findings: Finding[] = [];

  beforeAll(async () => {
    buildUi();
    server = await startServer({}, ["--demo-customers", "300"]);
    const b = await launch();
    page = b.page;
    close = b.close;
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  }, 300_000);

  afterAll(async () => {
    await close?.();
    await server?.stop();
  });

  function check(screen: string, texts: { text: string; where: string }[]): void {
    for (const { text, where } of texts) {
      if (ALLOW.includes(text) || dataStrings.has(text)) continue;
      const withoutData = [...dataStrings].reduce((t, d) => (d.length > 2 ? t.split(d).join(" ") : t), text);
      const english =
        englishValues.has(text) ||
        // Words of three or more Latin letters, with no Chinese beside them, after the data is taken out.
        (!/[\u4e00-\u9fff]/.test(text) &&
          /\b[A-Za-z]{3,}\b/.test(withoutData.replace(/\b(?:[a-z]+_[a-z_]+|[a-z]+-[a-z-]+)\b/g, " ")) &&
          !ALLOW.some((a) => withoutData.trim() === a));
      if (english) findings.push({ screen, text, where });
    }
  }

  async function visit(screen: string, hash: string, ready: string): Promise<void> {
    await page.goto(`${server.url}/${hash}`);
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    check(screen, await visibleTexts(page));
    await shot(page, `i18n-${screen}-zh`);
  }

  it("walks the main screens and finds every string translated", async () => {
    await page.goto(server.url);
    await page.locator('[data-testid="login-form"]').waitFor();
    await page.click('[data-lang="zh"]');
    check("sign-in", await visibleTexts(page));
    await page.fill('input[name="email"]', server.email);
    await page.fill('input[name="password"]', server.password);
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="overview-page"]').waitFor();
    await page.click('[data-testid="nav-journeys"]');
    await page.locator('[data-testid="journey-table"]').waitFor();
    token = (await page.evaluate(() => localStorage.getItem("rekindle.token"))) ?? "";

    // The customer's own data, as the API has it.
    const journeys = await apiCall<
      { id: string; name: string; draft?: { nodes?: { id: string; data?: unknown }[] } }[]
    >(server, token, "GET", "/api/journeys");
    const templates = await apiCall<{ name: string; description?: unknown }[]>(
      server,
      token,
      "GET",
      "/api/templates",
    );
    const customers = await apiCall<{ items: { id: string; traits?: Record<string, unknown> }[] }>(
      server,
      token,
      "GET",
      "/api/customers?limit=50",
    );
    for (const j of journeys) dataStrings.add(j.name).add(j.id);
    for (const u of await apiCall<{ name: string; email: string }[]>(server, token, "GET", "/api/users"))
      dataStrings.add(u.name).add(u.email);
    for (const t of templates) dataStrings.add(t.name);
    for (const c of customers.items) {
      dataStrings.add(c.id);
      for (const v of Object.values(c.traits ?? {})) if (typeof v === "string") dataStrings.add(v);
    }
    const journey = journeys[0]!;
    const detail = await apiCall<{ draft: { nodes: { id: string; data: Record<string, unknown> }[] } }>(
      server,
      token,
      "GET",
      `/api/journeys/${encodeURIComponent(journey.id)}`,
    );
    for (const n of detail.draft.nodes) {
      dataStrings.add(n.id);
      // Event names, template names and parameters the marketer typed.
      JSON.stringify(n.data).replace(/"([^"]+)"/g, (_m, s: string) => (dataStrings.add(s), ""));
    }

    check("journeys", await visibleTexts(page));
    await shot(page, "i18n-journeys-zh");
    await visit(
      "editor",
      `#/journeys/${encodeURIComponent(journey.id)}`,
      '[data-testid="editor"] .react-flow__node',
    );
    // A message step's inspector: its template picker shows the templates' descriptions.
    await page.locator(".react-flow__node-action .jn-title").first().click();
    await page.locator('[data-testid="node-inspector"]').waitFor();
    await page.waitForTimeout(500);
    check("editor-inspector", await visibleTexts(page));
    await shot(page, "i18n-editor-inspector-zh");
    await visit("live", `#/journeys/${encodeURIComponent(journey.id)}/live`, '[data-testid="live-panel"]');
    await visit("run-log", "#/runs", '[data-testid="run-table"]');
    await visit("customers", "#/customers", "table");
    await visit("overview", "#/overview", '[data-testid="overview-page"] canvas');
    await visit(
      "customer",
      `#/customers/${encodeURIComponent(customers.items[0]!.id)}`,
      '[data-testid="run-card"], .state-empty',
    );
    await visit("deliveries", "#/deliveries?status=sent", '[data-testid="delivery-table"], .state-empty');
    await visit("audit", "#/audit", '[data-testid="audit-table"]');

    // Every demo journey opens with no two steps on top of each other (boxes as Chromium draws them).
    for (const j of journeys) {
      await page.goto(`${server.url}/#/journeys/${encodeURIComponent(j.id)}`);
      await page.locator('[data-testid="editor"] .react-flow__node').first().waitFor();
      await page.waitForTimeout(400);
      const hits = await page.evaluate(() => {
        const b = [...document.querySelectorAll<HTMLElement>(".react-flow__node")].map((el) => ({
          id: el.dataset.id ?? "",
          r: el.getBoundingClientRect(),
        }));
        const out: string[] = [];
        // Nor under the minimap or the zoom controls.
        for (const sel of [".react-flow__minimap", ".react-flow__controls"]) {
          const panel = document.querySelector(sel)?.getBoundingClientRect();
          if (!panel) continue;
          for (const { id, r } of b)
            if (r.left < panel.right && panel.left < r.right && r.top < panel.bottom && panel.top < r.bottom)
              out.push(`${id}×${sel}`);
        }
        for (let i = 0; i < b.length; i++)
          for (let k = i + 1; k < b.length; k++) {
            const p = b[i]!.r;
            const q = b[k]!.r;
            if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom)
              out.push(`${b[i]!.id}×${b[k]!.id}`);
          }
        return out;
      });
      if (hits.length) await shot(page, `overlap-${j.id}`);
      expect(hits, `${j.name}: overlapping steps`).toEqual([]);
    }

    const report = findings.map((f) => `${f.screen}: "${f.text}"  (${f.where})`).join("\n");
    expect(findings, `untranslated on the main screens:\n${report}`).toEqual([]);
  }, 180_000);
});
