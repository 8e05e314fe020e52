/**
 * The lifecycle overview in real headless Chromium against the real server with a small demo (300
 * customers, 90 days replayed, so the daily snapshots back-filled by the replay fill the charts): the charts
 * and KPI cards in English and Chinese, and a click on an RFM grid cell opens the customer list filtered to
 * that cell. Screenshots go to screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { OverviewResponse } from "../../engine/schema";
import { apiCall, buildUi, launch, shot, startServer } from "./harness";
import type { RunningServer } from "./harness";

describe("the lifecycle overview in Chromium", () => {
  let server: RunningServer;
  let page: Page;
  let close: () => Promise<void>;
  let token = "";
  let overview: OverviewResponse;

  beforeAll(async () => {
    buildUi();
    server = await startServer({}, ["--demo-customers", "300"], { readyTimeoutMs: 600_000 });
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
    overview = await apiCall<OverviewResponse>(server, token, "GET", "/api/overview?days=90");
  }, 700_000);

  afterAll(async () => {
    await close?.();
    await server?.stop();
  });

  const open = async (lang: "en" | "zh") => {
    await page.goto(server.url);
    await page.evaluate(
      ([t, l]) => {
        localStorage.setItem("rekindle.token", t);
        localStorage.setItem("rekindle.lang", l);
      },
      [token, lang] as const,
    );
    await page.goto(`${server.url}/#/`);
    await page.reload();
    await page.locator('[data-testid="nav-overview"]').click();
    await page.locator('[data-testid="overview-page"]').waitFor({ timeout: 30_000 });
    for (const id of ["overview-stages", "overview-flows", "overview-rfm", "overview-risk", "overview-clv"])
      await page.locator(`[data-testid="${id}"] canvas`).first().waitFor();
  };

  it("has months of back-filled snapshots from the demo's replay", () => {
    // One snapshot per replayed day (03:30 Shanghai), so about 90 in the last 90 days.
    expect(overview.days.length).toBeGreaterThanOrEqual(85);
    // Stage counts add up to the base as it stood that day: it grows to the demo's 300 customers.
    const sizes = overview.days.map((d) => Object.values(d.stages).reduce((a, b) => a + b, 0));
    expect(sizes.at(-1)).toBe(300);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThanOrEqual(sizes[i - 1]!);
    expect(overview.latest.transition.length).toBeGreaterThan(0);
    expect(overview.latest.rfm_cell.length).toBeGreaterThan(5);
  });

  it("draws the overview in English with every KPI beside its definition", async () => {
    await open("en");
    await page.locator('[data-testid="overview-period"]').selectOption("90");
    await expect
      .poll(() => page.locator('[data-testid="overview-range"]').getAttribute("data-from"))
      .toBe(overview.from);
    await expect.poll(() => page.locator('[data-testid^="kpi-"]').count()).toBe(6);
    const wake = await page.locator('[data-testid="kpi-wakeUp"]').innerText();
    expect(wake).toContain("Wake-up rate of dormant customers contacted");
    expect(wake).toContain("20.0% – 30.0%");
    expect(wake).toMatch(/within 14 days/);
    await shot(page, "overview-en", true);
  });

  it("clicks the largest RFM cell through to its customers, in Chinese", async () => {
    await open("zh");
    await expect.poll(() => page.locator("h1").innerText()).toBe("生命周期概览");
    await shot(page, "overview-zh", true);
    // The grid is a canvas: click the middle of the largest cell (frequency across, recency up, 5 on top).
    const cell = [...overview.latest.rfm_cell].sort((a, b) => b.customers - a.customers)[0]!;
    const [r, f] = cell.bucket.split("-").map(Number) as [number, number];
    const box = (await page.locator('[data-testid="overview-rfm"] canvas').first().boundingBox())!;
    const grid = { left: 64, right: 16, top: 16, bottom: 80 };
    const w = (box.width - grid.left - grid.right) / 5;
    const h = (box.height - grid.top - grid.bottom) / 5;
    await page.mouse.click(box.x + grid.left + (f - 0.5) * w, box.y + grid.top + (5 - r + 0.5) * h);
    await page.waitForURL(new RegExp(`#/customers\\?rfm=${r}-${f}$`));
    const chip = page.locator('[data-testid="customer-filter-rfm"]');
    await expect.poll(() => chip.innerText()).toContain(`最近购买 ${r} × 购买频次 ${f}`);
    await page.locator('[data-testid="customer-table"] tbody tr').first().waitFor();
    const rows = await page.locator('[data-testid="customer-table"] tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(50);
    // The list's answer is the same filter on the API, and narrower than the whole base.
    const list = await apiCall<{ total: number }>(server, token, "GET", `/api/customer-list?rfm=${r}-${f}`);
    expect(list.total).toBeGreaterThan(0);
    expect(list.total).toBeLessThan(300);
    await shot(page, "overview-rfm-customers-zh");
  });
});
