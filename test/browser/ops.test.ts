/**
 * The ops console in real headless Chromium against the real server, in both languages: webhooks to a real
 * local HTTP receiver fail first, show in the live view's failed count and on the deliveries page, are
 * retried there (one, then many) and seen sent; the audit screen names who changed what.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { apiCall, buildUi, launch, serverReady, shot, startServer } from "./harness";
import type { RunningServer } from "./harness";

/** Refuses the first request of every idempotency key with a 400, accepts every later one. */
function flakyReceiver(): Promise<{
  url: string;
  seen: string[];
  accepted: string[];
  close: () => Promise<void>;
}> {
  const seen: string[] = [];
  const accepted: string[] = [];
  const srv: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"] ?? "");
      const first = !seen.includes(key);
      seen.push(key);
      if (first) {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "crm is not ready" }));
      } else {
        accepted.push(key);
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      }
    });
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/hook`,
        seen,
        accepted,
        close: () => new Promise((r) => srv.close(() => r())),
      });
    }),
  );
}

interface DeliveryOut {
  key: string;
  status: string;
  customerId: string;
}

describe.skipIf(!serverReady())("ops console in Chromium", () => {
  let server: RunningServer;
  let receiver: Awaited<ReturnType<typeof flakyReceiver>>;
  let page: Page;
  let close: () => Promise<void>;
  let token = "";
  let journeyId = "";

  beforeAll(async () => {
    buildUi();
    receiver = await flakyReceiver();
    server = await startServer({ REKINDLE_WEBHOOK_ALLOW: "127.0.0.1" });
    const b = await launch();
    page = b.page;
    close = b.close;
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  }, 180_000);

  afterAll(async () => {
    await close?.();
    await server?.stop();
    await receiver?.close();
  });

  it("a webhook refused by the receiver shows as failed in the live view", async () => {
    await page.goto(server.url);
    await page.fill('input[name="email"]', server.email);
    await page.fill('input[name="password"]', server.password);
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="overview-page"]').waitFor(); // the first page after sign-in
    token = (await page.evaluate(() => localStorage.getItem("rekindle.token"))) ?? "";

    const created = await apiCall<{ id: string }>(server, token, "POST", "/api/journeys", {
      doc: {
        schemaVersion: 1,
        name: "CRM sync (ops e2e)",
        settings: { reentry: { mode: "always" } },
        nodes: [
          { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
          {
            id: "a1",
            type: "action",
            position: { x: 0, y: 160 },
            data: { action: "webhook", params: { url: receiver.url } },
          },
        ],
        edges: [{ id: "e1", source: "t1", target: "a1" }],
      },
    });
    journeyId = created.id;
    await apiCall(server, token, "POST", `/api/journeys/${journeyId}/publish`);
    const key = server.writeKey!;
    const r = await fetch(`${server.url}/v1/batch`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        batch: ["ops-wang-fang", "ops-zhang-wei", "ops-li-lei"].map((userId) => ({
          type: "identify",
          userId,
          traits: { name: userId },
        })),
      }),
    });
    expect(r.status).toBe(200);
    await apiCall(server, token, "POST", `/api/journeys/${journeyId}/enter`, {
      customerIds: ["ops-wang-fang", "ops-zhang-wei", "ops-li-lei"],
    });
    await expect
      .poll(
        async () =>
          (await apiCall<{ items: DeliveryOut[] }>(server, token, "GET", "/api/outbox?status=failed")).items
            .length,
        { timeout: 30_000 },
      )
      .toBe(3);
    expect(receiver.accepted).toEqual([]);

    await page.goto(`${server.url}/#/journeys/${encodeURIComponent(journeyId)}/live`);
    const failedKpi = page.locator('[data-kpi="failed"] .live-kpi-value');
    await expect.poll(() => failedKpi.textContent(), { timeout: 15_000 }).toBe("3");
    await shot(page, "ops-01-live-failed-en");
  }, 90_000);

  it("retries one failed delivery from the deliveries page and sees it sent", async () => {
    await page.click('[data-testid="nav-deliveries"]');
    await page.locator('[data-testid="delivery-table"]').waitFor();
    // Failed is the default filter: the three refused webhooks, each with the receiver's answer.
    await expect.poll(() => page.locator('[data-testid="delivery-table"] tbody tr').count()).toBe(3);
    await expect(page.locator(".delivery-error").first().textContent()).resolves.toContain("HTTP 400");
    await shot(page, "ops-02-deliveries-failed-en");

    const first = page.locator('[data-testid="delivery-table"] tbody tr').first();
    const key = (await first.getAttribute("data-key"))!;
    await first.locator('[data-testid="retry-one"]').click();
    await page.locator('[data-testid="retry-result"]').waitFor();
    await expect(page.locator('[data-testid="retry-result"]').textContent()).resolves.toContain("Retried 1");
    await page.locator(`tr[data-key="${key}"] [data-delivery-status="sent"]`).waitFor({ timeout: 20_000 });
    expect(receiver.accepted).toEqual([key]);
    await shot(page, "ops-03-deliveries-retried-en");
  }, 60_000);

  it("retries the rest at once, in Chinese, and sees them sent", async () => {
    await page.click('[data-lang="zh"]');
    await page.click('[data-testid="deliveries-refresh"]');
    await expect.poll(() => page.locator('[data-testid="delivery-table"] tbody tr').count()).toBe(2);
    await expect(page.locator("h1").textContent()).resolves.toBe("投递");
    await page.click('[data-testid="select-all-failed"]');
    await page.click('[data-testid="retry-selected"]');
    // The earlier single retry's result stays on screen until this request answers: wait for the new one.
    await expect
      .poll(() => page.locator('[data-testid="retry-result"]').textContent(), { timeout: 10_000 })
      .toContain("已重试 2");
    await expect
      .poll(() => page.locator('[data-delivery-status="sent"]').count(), { timeout: 20_000 })
      .toBe(2);
    await expect(page.locator('[data-delivery-status="sent"]').first().textContent()).resolves.toBe("已发送");
    expect(receiver.accepted).toHaveLength(3);
    await shot(page, "ops-04-deliveries-retried-zh");

    // Every delivery is sent now: nothing failed, and the live view's failed count is back to 0.
    const failed = await apiCall<{ items: DeliveryOut[] }>(server, token, "GET", "/api/outbox?status=failed");
    expect(failed.items).toEqual([]);
    await page.goto(`${server.url}/#/journeys/${encodeURIComponent(journeyId)}/live`);
    await expect
      .poll(() => page.locator('[data-kpi="failed"] .live-kpi-value').textContent(), { timeout: 15_000 })
      .toBe("0");
  }, 60_000);

  it("reads the audit screen: who published, with the diff, and who retried", async () => {
    await page.goto(`${server.url}/#/audit`);
    await page.locator('[data-testid="audit-table"]').waitFor();
    const publish = page.locator('tr[data-action="journey.publish"]').first();
    await expect(publish.locator('[data-testid="audit-user"]').textContent()).resolves.toContain(
      server.email,
    );
    await expect(publish.locator('[data-testid="audit-change"]').textContent()).resolves.toContain(
      "新增步骤",
    );
    await expect(page.locator('tr[data-action="delivery.retry_many"]').count()).resolves.toBe(2);
    await shot(page, "ops-05-audit-zh");
    await page.click('[data-lang="en"]');
    await expect(publish.locator('[data-testid="audit-change"]').textContent()).resolves.toContain(
      "steps added: t1, a1",
    );
    await shot(page, "ops-06-audit-en");
  }, 60_000);
});
