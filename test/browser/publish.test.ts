/**
 * Publishing with confidence in real headless Chromium against the real server, in English and Chinese: the
 * publish dialog measures the audience now, lists the next runs in the journey's zone, warns about a live
 * journey on the same trigger and shows the diff against the live version; a test send of the message step
 * is received by a real local SMTP server; "run now" and publish-and-run enter the audience; the dry run
 * previews an audience trigger's customers and prints numbers, never NaN.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import type { ParsedMail } from "mailparser";
import type { Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, buildUi, launch, serverReady, shot, startServer } from "./harness";
import type { RunningServer } from "./harness";

const gold = { all: [{ fact: "customer", path: "$.traits.plan", operator: "equal", value: "gold" }] };
const audienceDoc = (
  name: string,
  schedule: string,
  extra: { nodes?: unknown[]; edges?: unknown[] } = {},
) => ({
  schemaVersion: 1,
  name,
  settings: { timezone: "Asia/Shanghai", reentry: { mode: "once" } },
  nodes: [
    {
      id: "t1",
      type: "trigger",
      position: { x: 0, y: 0 },
      data: { kind: "audience", schedule, conditions: gold },
    },
    {
      id: "a1",
      type: "action",
      position: { x: 0, y: 160 },
      data: { action: "email", template: "winback-coupon" },
    },
    ...(extra.nodes ?? []),
  ],
  edges: [{ id: "e1", source: "t1", target: "a1" }, ...(extra.edges ?? [])],
});

/** Text of the dialog a reader sees, without what is the customer's own data (names, ids, addresses). */
function builderText(page: Page, testId: string): Promise<string> {
  return page.evaluate((id) => {
    const root = document.querySelector(`[data-testid="${id}"]`);
    if (!root) return "";
    const copy = root.cloneNode(true) as HTMLElement;
    for (const el of copy.querySelectorAll(
      "[data-user-content], .mono, select, input, [data-testid='test-send-result']",
    ))
      el.remove();
    return copy.innerText;
  }, testId);
}

describe.skipIf(!serverReady())("publishing with confidence in Chromium", () => {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  let server: RunningServer;
  let page: Page;
  let close: () => Promise<void>;
  let token = "";
  let draftId = "";

  beforeAll(async () => {
    buildUi();
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await startServer(
      {
        REKINDLE_EMAIL_PROVIDER: "smtp",
        REKINDLE_SMTP_HOST: "127.0.0.1",
        REKINDLE_SMTP_PORT: String(port),
        REKINDLE_EMAIL_FROM: '"Rekindle Shop" <hello@shop.example.com>',
      },
      ["--no-demo"],
    );
    const b = await launch();
    page = b.page;
    close = b.close;
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));

    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: server.email, password: server.password }),
    });
    token = ((await login.json()) as { token: string }).token;
    const key = await apiCall<{ secret: string }>(server, token, "POST", "/api/keys", { name: "e2e" });
    const customers = [
      {
        userId: "li-na",
        traits: { plan: "gold", name: "李娜", email: "li.na@example.com", locale: "zh", tags: ["vip"] },
      },
      {
        userId: "wang-fang",
        traits: { plan: "gold", name: "王芳", email: "wang.fang@example.com", locale: "zh" },
      },
      { userId: "alex", traits: { plan: "gold", name: "Alex", email: "alex@example.com", locale: "en" } },
      { userId: "zhang-wei", traits: { plan: "gold", name: "张伟", email: "zhang.wei@example.com" } },
      { userId: "sam", traits: { plan: "silver", name: "Sam", email: "sam@example.com" } },
    ];
    const r = await fetch(`${server.url}/v1/batch`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${key.secret}:`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ batch: customers.map((c) => ({ type: "identify", ...c })) }),
    });
    expect(r.status).toBe(200);
    // A live journey on the same audience: publishing the draft would offer both to the same customers.
    const live = await apiCall<{ id: string }>(server, token, "POST", "/api/journeys", {
      doc: audienceDoc("Gold weekly digest", "0 10 * * 1"),
    });
    await apiCall(server, token, "POST", `/api/journeys/${live.id}/publish`);
    const draft = await apiCall<{ id: string }>(server, token, "POST", "/api/journeys", {
      doc: audienceDoc("Gold member offer", "0 9 * * *"),
    });
    draftId = draft.id;
  }, 240_000);

  afterAll(async () => {
    await close?.();
    await server?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  async function openEditor(lang: "en" | "zh"): Promise<void> {
    await page.goto(server.url);
    await page.evaluate(
      ([t, l]) => {
        localStorage.setItem("rekindle.token", t!);
        localStorage.setItem("rekindle.lang", l!);
      },
      [token, lang],
    );
    await page.goto(`${server.url}/#/journeys/${encodeURIComponent(draftId)}`);
    // The session and the language are read when the app starts: a hash change alone does not restart it.
    await page.reload();
    await page.locator('[data-testid="editor"]').waitFor();
    await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor({ timeout: 15_000 });
  }

  async function openPublish(): Promise<void> {
    await page.locator('[data-testid="publish"]:not([disabled])').waitFor({ timeout: 15_000 });
    await page.click('[data-testid="publish"]');
    await page.locator('[data-testid="publish-check"]').waitFor({ timeout: 30_000 });
  }

  async function testSend(to: string, customerId: string): Promise<ParsedMail> {
    const before = received.length;
    await page.fill('[data-testid="test-send-customer"]', customerId);
    await page.fill('[data-testid="test-send-to"]', to);
    await page.click('[data-testid="test-send-go"]');
    const result = page.locator('[data-testid="test-send-result"]');
    await result.waitFor({ timeout: 20_000 });
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(before + 1);
    const mail = received[received.length - 1]!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toContain(to);
    // The dialog names the subject the SMTP server received.
    expect(await result.textContent()).toContain(mail.subject ?? "no subject");
    return mail;
  }

  it("in English: measures the audience, lists the next runs, warns about the overlap, and test-sends", async () => {
    await openEditor("en");
    await openPublish();
    const reach = page.locator('[data-testid="reach-t1"]');
    await expect.poll(() => reach.textContent()).toContain("4 customers match the audience now");
    const fires = page.locator('[data-testid="next-fires"] li');
    expect(await fires.count()).toBe(5);
    // 09:00 in the journey's zone (Asia/Shanghai), whatever zone the browser runs in.
    for (const f of await fires.allTextContents()) expect(f).toContain("09:00");
    const overlaps = page.locator('[data-testid="publish-overlaps"]');
    expect(await overlaps.textContent()).toContain("Gold weekly digest");
    expect(await overlaps.textContent()).toContain("4 customers are in both audiences now");
    // Not live yet: no "run now", no diff; publishing can run the audience at once.
    expect(await page.locator('[data-testid="run-now"]').count()).toBe(0);
    expect(await page.locator('[data-testid="diff-summary"]').count()).toBe(0);
    await shot(page, "publish-confidence-en");

    const mail = await testSend("qa-en@shop.example.com", "alex");
    expect(mail.subject).toBeTruthy();
    expect(mail.text ?? "").toContain("Alex");
    await shot(page, "publish-test-send-en");
    expect(await page.locator('[data-testid="publish-dialog"]').innerText()).not.toMatch(/NaN|undefined/);

    // Publish and run the audience once right away: the four gold customers enter now.
    await page.check('[data-testid="run-after-publish"]');
    await page.click('[data-testid="publish-confirm"]');
    await page.locator('[data-testid="publish-dialog"]').waitFor({ state: "detached", timeout: 20_000 });
    await expect
      .poll(
        async () =>
          (
            await apiCall<{ totals: { entered: number } }>(
              server,
              token,
              "GET",
              `/api/journeys/${draftId}/stats`,
            )
          ).totals.entered,
        { timeout: 30_000 },
      )
      .toBe(4);
  }, 120_000);

  it("in Chinese: the same dialog speaks Chinese, shows the diff against the live version, and runs now", async () => {
    const edited = audienceDoc("Gold member offer", "0 9 * * *", {
      nodes: [{ id: "x1", type: "exit", position: { x: 0, y: 320 }, data: {} }],
      edges: [{ id: "e2", source: "a1", target: "x1" }],
    });
    await apiCall(server, token, "PUT", `/api/journeys/${draftId}/draft`, { doc: edited });
    await openEditor("zh");
    await openPublish();
    const reach = page.locator('[data-testid="reach-t1"]');
    await expect.poll(() => reach.textContent()).toContain("当前有 4 位客户符合受众条件");
    expect((await page.locator('[data-testid="next-fires"] li').allTextContents()).length).toBe(5);
    expect(await page.locator('[data-testid="publish-overlaps"]').textContent()).toContain(
      "同时在两个受众中",
    );
    const diff = page.locator('[data-testid="diff-summary"]');
    expect(await diff.textContent()).toContain("新增 1");
    const text = await builderText(page, "publish-dialog");
    expect(text).not.toMatch(/NaN|undefined/);
    // Every word the builder wrote is Chinese (codes such as the time zone name and v2 aside).
    const english = text.replace(/Asia\/Shanghai|v\d+|API/g, "").match(/[A-Za-z]{3,}/g);
    expect(english).toBeNull();
    await shot(page, "publish-confidence-zh");

    const mail = await testSend("qa-zh@shop.example.com", "li-na");
    expect(mail.text ?? "").toContain("李娜");
    await page.click('[data-testid="run-now"]');
    await page.locator('[data-testid="reach-t1"] [role="status"]', { hasText: "已排队" }).waitFor();
    await shot(page, "publish-test-send-run-now-zh");
    await page.click('[data-testid="publish-confirm"]');
    await page.locator('[data-testid="publish-dialog"]').waitFor({ state: "detached", timeout: 20_000 });
    const versions = await apiCall<unknown[]>(server, token, "GET", `/api/journeys/${draftId}/versions`);
    expect(versions).toHaveLength(2);
  }, 120_000);

  for (const lang of ["en", "zh"] as const)
    it(`the dry run previews the audience trigger's customers (${lang}), with numbers, never NaN`, async () => {
      await openEditor(lang);
      await page.click('[data-testid="open-dryrun"]');
      const preview = page.locator('[data-testid="dryrun-audience"]');
      await preview.waitFor({ timeout: 30_000 });
      expect(await preview.textContent()).toContain(
        lang === "en" ? "4 customers match the audience now" : "当前有 4 位客户符合受众条件",
      );
      expect(await preview.locator("li.mono").allTextContents()).toEqual(
        expect.arrayContaining(["li-na", "wang-fang", "alex", "zhang-wei"]),
      );
      await page.click('[data-testid="dryrun-run"]');
      await page.locator('[data-testid="dryrun-result"]').waitFor({ timeout: 60_000 });
      const dialog = await page.locator('[data-testid="dryrun-dialog"]').innerText();
      expect(dialog).not.toMatch(/NaN|undefined/);
      if (lang === "zh") {
        const english = (await builderText(page, "dryrun-dialog"))
          .replace(/Asia\/Shanghai|v\d+|API/g, "")
          .match(/[A-Za-z]{3,}/g);
        expect(english).toBeNull();
      }
      await shot(page, `dryrun-audience-${lang}`);
    }, 120_000);

  it("warns, in both languages, about a split arm that ends before the goal window closes", async () => {
    const created = await apiCall<{ id: string }>(server, token, "POST", "/api/journeys", {
      doc: {
        schemaVersion: 1,
        name: "Offer test",
        settings: { goal: { event: "order_completed", within: "14d" } },
        nodes: [
          {
            id: "t1",
            type: "trigger",
            position: { x: 0, y: 0 },
            data: { kind: "event", event: "churn_signal" },
          },
          {
            id: "s1",
            type: "split",
            position: { x: 0, y: 160 },
            data: {
              kind: "random",
              branches: [
                { id: "a", weight: 1 },
                { id: "b", weight: 1 },
              ],
            },
          },
          {
            id: "a1",
            type: "action",
            position: { x: -160, y: 320 },
            data: { action: "email", template: "winback-coupon" },
          },
          {
            id: "w1",
            type: "wait",
            position: { x: -160, y: 480 },
            data: { kind: "event", event: "order_completed", timeout: "14d" },
          },
        ],
        edges: [
          { id: "e1", source: "t1", target: "s1" },
          { id: "e2", source: "s1", sourceHandle: "a", target: "a1" },
          { id: "e3", source: "a1", target: "w1" },
        ],
      },
    });
    for (const lang of ["en", "zh"] as const) {
      draftId = created.id;
      await openEditor(lang);
      await page.waitForFunction(() => !document.querySelector('[data-testid="issue-panel"] .spinner'));
      const panel = page.locator('[data-testid="issue-panel"]');
      if ((await panel.locator(".issue-list").count()) === 0) await panel.locator(".issue-bar").click();
      const warning = panel.locator(".issue-warning .issue-msg");
      await warning.first().waitFor({ timeout: 15_000 });
      expect(await warning.count()).toBe(1);
      expect(await warning.textContent()).toContain(
        lang === "en"
          ? 'arm "b" of split "s1" ends every run by 0s after entry'
          : '分流 "s1" 的分支 "b" 最晚在进入后 0s 结束运行',
      );
      await shot(page, `goal-window-warning-${lang}`);
    }
  }, 90_000);

  for (const lang of ["en", "zh"] as const)
    it(`lists customers by stage and tag, exports CSV with a BOM, and opens a customer 360 (${lang})`, async () => {
      await page.goto(server.url);
      await page.evaluate(
        ([t, l]) => {
          localStorage.setItem("rekindle.token", t!);
          localStorage.setItem("rekindle.lang", l!);
        },
        [token, lang],
      );
      await page.goto(`${server.url}/#/customers`);
      await page.reload();
      const rows = page.locator('[data-testid="customer-table"] tbody tr');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(5);
      await page.selectOption('[data-testid="customer-filter-stage"]', "prospect");
      await expect.poll(() => rows.count()).toBe(5);
      await page.fill('[data-testid="customer-filter-tag"]', "vip");
      await page.press('[data-testid="customer-filter-tag"]', "Enter");
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain("li-na");
      expect(await page.locator('[data-testid="customer-pager"]').textContent()).toContain(
        lang === "en" ? "Page 1 of 1 · 1 customer(s)" : "第 1 / 1 页 · 共 1 位客户",
      );
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('[data-testid="customer-export"]'),
      ]);
      const csv = readFileSync(await download.path(), "utf8");
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv).toContain("li-na,李娜,li.na@example.com,prospect,");
      expect(csv.trim().split("\r\n")).toHaveLength(2);
      await shot(page, `customers-list-${lang}`);

      await rows.first().click();
      await page.locator('[data-testid="customer-card"]').waitFor();
      expect(await page.locator('[data-testid="c360-stage"]').textContent()).toBe(
        lang === "en" ? "Prospect" : "潜在客户",
      );
      await expect
        .poll(() => page.locator('[data-testid="c360-consent"] .tag').count(), { timeout: 10_000 })
        .toBe(4);
      expect(await page.locator('[data-testid="c360-tags"]').textContent()).toContain("vip");
      await page.locator('[data-testid="c360-timeline"] li').first().waitFor();
      // Every journey the customer is in, with its trace.
      await page.locator('[data-testid="trace"]').waitFor();
      const text = await page.locator(".page").innerText();
      expect(text).not.toMatch(/NaN|undefined|\[object Object\]/);
      if (lang === "zh") {
        const english = (await builderText(page, "customer-card"))
          .concat(await builderText(page, "c360-consent"), await builderText(page, "c360-signals"))
          .replace(/RFM|CLV|P\(alive\)/g, "")
          .match(/[A-Za-z]{3,}/g);
        expect(english).toBeNull();
      }
      await shot(page, `customer-360-${lang}`, true);
    }, 90_000);
});
