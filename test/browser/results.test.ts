/**
 * The demo's results page in real headless Chromium against the real server, started as `npm start` starts
 * it: an empty data directory, so the first start replays the demo's 90 days with its seed plays live. The
 * dormant wake-up play's holdout (h1) and channel split (s2) have significant winners and its send-time split
 * (s1) has none;
 * the page shows both verdicts, the charts, the intervals, the playbook band and matured vs open entries,
 * in English and in Chinese. Screenshots go to screenshots/. Nothing here skips: a server that cannot load
 * the demo fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { apiCall, buildUi, launch, shot, startServer } from "./harness";
import type { RunningServer } from "./harness";

const PLAY = "dormant-wake-up";

describe("the demo's results page in Chromium", () => {
  let server: RunningServer;
  let page: Page;
  let close: () => Promise<void>;
  let token = "";

  beforeAll(async () => {
    buildUi();
    // The demo replays 90 days before the server listens; a busy machine needs the room.
    server = await startServer({}, [], { readyTimeoutMs: 600_000 });
    const b = await launch();
    page = b.page;
    close = b.close;
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
    token = (
      await apiCall<{ token: string }>(server, "", "POST", "/api/auth/login", {
        email: server.email,
        password: server.password,
      })
    ).token;
  }, 700_000);

  afterAll(async () => {
    await close?.();
    await server?.stop();
  });

  const canvasOf = async (chart: Locator) => {
    const canvas = chart.locator("canvas").first();
    await canvas.waitFor();
    const box = (await canvas.boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.height).toBeGreaterThan(150);
  };

  it("has a significant winner and a split with no difference in the demo's report", async () => {
    const r = await apiCall<{
      totals: { entered: number; matured: number; open: number };
      experiments: { nodeId: string; winner: string | null; srmPValue: number }[];
    }>(server, token, "GET", `/api/journeys/${PLAY}/results`);
    expect(r.totals.entered).toBeGreaterThan(500);
    expect(r.totals.matured + r.totals.open).toBe(r.totals.entered);
    const byNode = new Map(r.experiments.map((e) => [e.nodeId, e]));
    // The demo replays the 90 days before now, so its draws differ from start to start: the response model
    // (docs/demo.md) makes the holdout's +30 points and SMS's +17–23 points over email significant whatever
    // the day (always-valid p-values far below 0.05), and the flat send time never.
    expect(byNode.get("h1")?.winner).toBe("continue");
    expect(byNode.get("s1")?.winner).toBeNull();
    expect(byNode.get("s2")?.winner).toBe("sms");
    for (const e of r.experiments) expect(e.srmPValue).toBeGreaterThan(0.001);
  });

  it("shows the verdicts, the charts, the intervals and the playbook band in English", async () => {
    await page.goto(server.url);
    await page.evaluate((t) => {
      localStorage.setItem("rekindle.token", t);
      localStorage.setItem("rekindle.lang", "en");
    }, token);
    await page.goto(`${server.url}/#/`);
    await page.reload();
    // Reachable from the journey list.
    await page.locator(`[data-journey="Dormant wake-up (tested)"] [data-testid="open-results"]`).click();
    await page.locator('[data-testid="results-page"]').waitFor({ timeout: 30_000 });

    const channel = page.locator('[data-testid="experiment"][data-node="h1"]');
    await expect(channel.locator('[data-testid="verdict"]').first().textContent()).resolves.toMatch(
      /^Got the journey beats Held back: \+\d+\.\d points, 95% CI \+\d+\.\d to \+\d+\.\d, significant$/,
    );
    await expect(channel.locator('[data-testid="winner"]').textContent()).resolves.toBe(
      "Winner: Got the journey",
    );
    await expect(
      page
        .locator('[data-testid="experiment"][data-node="s2"] [data-testid="verdict"]')
        .first()
        .textContent(),
    ).resolves.toMatch(/^sms beats email: \+\d+\.\d points, 95% CI \+\d+\.\d to \+\d+\.\d, significant$/);
    const sendTime = page.locator('[data-testid="experiment"][data-node="s1"]');
    await expect(sendTime.locator('[data-testid="verdict"]').first().textContent()).resolves.toMatch(
      /^No difference (yet )?between evening and morning/,
    );
    await expect(sendTime.locator('[data-testid="winner"]').count()).resolves.toBe(0);
    await canvasOf(channel.locator('[data-testid="arm-chart"]'));
    await canvasOf(channel.locator('[data-testid="timeline-chart"]'));
    await expect(channel.locator('[data-testid="rate-interval"]').first().textContent()).resolves.toMatch(
      /^\d+\.\d% – \d+\.\d%$/,
    );
    await expect(channel.locator('[data-testid="lift"]').first().textContent()).resolves.toMatch(
      /^\+\d+\.\d \(\+\d+\.\d … \+\d+\.\d\)$/,
    );
    await expect(
      page.locator('[data-testid="matured-open"] .results-kpi-hint').textContent(),
    ).resolves.toMatch(/^[\d,]+ matured · [\d,]+ still open$/);
    const band = page.locator('[data-testid="playbook-band"]');
    await expect(band.locator('[data-testid="industry-band"]').textContent()).resolves.toBe("20.0% – 30.0%");
    await expect(band.textContent()).resolves.toContain("Wake-up rate");
    await shot(page, "20-demo-results-en", true);
  }, 120_000);

  it("shows the same in Chinese, with no English left in the verdicts", async () => {
    await page.click('[data-lang="zh"]');
    const channel = page.locator('[data-testid="experiment"][data-node="h1"]');
    await expect
      .poll(() => channel.locator('[data-testid="verdict"]').first().textContent(), { timeout: 20_000 })
      .toMatch(
        /^参与旅程 优于 对照组（未参与）：\+\d+\.\d 个百分点，95% 置信区间 \+\d+\.\d 至 \+\d+\.\d，差异显著$/,
      );
    await expect(channel.locator('[data-testid="winner"]').textContent()).resolves.toBe("胜出：参与旅程");
    await expect(
      page
        .locator('[data-testid="experiment"][data-node="s2"] [data-testid="verdict"]')
        .first()
        .textContent(),
    ).resolves.toMatch(/^sms 优于 email：\+\d+\.\d 个百分点，95% 置信区间 \+\d+\.\d 至 \+\d+\.\d，差异显著$/);
    const sendTime = page.locator('[data-testid="experiment"][data-node="s1"]');
    await expect(sendTime.locator('[data-testid="verdict"]').first().textContent()).resolves.toMatch(
      /^evening 与 morning (暂)?无显著差异/,
    );
    await expect(page.locator('[data-testid="results-page"] h1').textContent()).resolves.toContain(
      "效果分析",
    );
    await expect(
      page.locator('[data-testid="matured-open"] .results-kpi-hint').textContent(),
    ).resolves.toMatch(/^已到期 [\d,]+ · 观察中 [\d,]+$/);
    await expect(page.locator('[data-testid="playbook-band"]').textContent()).resolves.toContain("唤醒率");
    await canvasOf(channel.locator('[data-testid="arm-chart"]'));
    await canvasOf(channel.locator('[data-testid="timeline-chart"]'));
    await shot(page, "21-demo-results-zh", true);
  }, 120_000);

  it("narrows the report to one version and an entry range", async () => {
    const headline = page.locator('[data-testid="matured-open"] .results-kpi-hint');
    const before = await headline.textContent();
    const answered = (part: string) =>
      page.waitForResponse((r) => r.url().includes("/results?") && r.url().includes(part));
    // Each change asks the server again; the page waits for one answer before the next change, as a person would.
    const byVersion = answered("version=1");
    await page.selectOption('[data-testid="results-filters"] select[name="version"]', "1");
    await byVersion;
    const byFrom = answered("from=2000-01-01");
    await page.fill('[data-testid="results-filters"] input[name="from"]', "2000-01-01");
    await byFrom;
    const byRange = answered("to=2000-01-03");
    await page.fill('[data-testid="results-filters"] input[name="to"]', "2000-01-02");
    const body = (await (await byRange).json()) as { version: number; totals: { entered: number } };
    expect(body).toMatchObject({ version: 1, totals: { entered: 0 } });
    await expect.poll(() => headline.textContent(), { timeout: 20_000 }).toMatch(/^已到期 0 · 观察中 0$/);
    await shot(page, "23-demo-results-range-zh");
    await page.click('[data-testid="results-clear"]');
    await expect.poll(() => headline.textContent(), { timeout: 20_000 }).toBe(before);
    await page.click('[data-lang="en"]');
  }, 90_000);

  it("shows each split's arm rates on the live canvas", async () => {
    await page.goto(`${server.url}/#/journeys/${PLAY}/live`);
    await page.locator(".react-flow__node").first().waitFor({ timeout: 30_000 });
    await shot(page, "22-demo-live-canvas");
    const rates = page.locator('.react-flow__node[data-id="s2"] [data-testid="split-rates"]');
    await rates.waitFor({ timeout: 30_000 });
    await expect(rates.textContent()).resolves.toMatch(/email\s*\d+\.\d%.*sms\s*\d+\.\d%/);
    await shot(page, "22-demo-live-split-rates");
  }, 60_000);
});
