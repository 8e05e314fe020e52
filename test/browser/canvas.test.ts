/**
 * The canvas in Chromium: a connection dropped on a step's body (not exactly on its entry handle) connects,
 * and one that cannot be made says why, in the reader's language.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { en, zh } from "../../builder-ui/src/i18n/dict";
import { apiCall, buildUi, launch, serverReady, shot, startServer } from "./harness";
import type { RunningServer } from "./harness";

describe.skipIf(!serverReady())("connecting steps in Chromium", () => {
  let server: RunningServer;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    buildUi();
    server = await startServer({}, ["--no-demo"]);
    const b = await launch();
    page = b.page;
    close = b.close;
    page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  }, 300_000);

  afterAll(async () => {
    await close?.();
    await server?.stop();
  });

  const node = (id: string): string => `.react-flow__node[data-id="${id}"]`;
  /** Drags from a step's exit handle and drops on the middle of another step's body. */
  async function dragToBody(from: string, port: string, to: string): Promise<void> {
    const a = (await page
      .locator(`${node(from)} .react-flow__handle.source[data-handleid="${port}"]`)
      .boundingBox())!;
    const b = (await page.locator(node(to)).boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x + 30, a.y + 40, { steps: 5 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height * 0.6, { steps: 12 });
    await page.mouse.up();
  }

  it("connects a drop on a step's body, and says why a connection cannot be made, in both languages", async () => {
    await page.goto(server.url);
    await page.fill('input[name="email"]', server.email);
    await page.fill('input[name="password"]', server.password);
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="overview-page"]').waitFor(); // the first page after sign-in
    const token = (await page.evaluate(() => localStorage.getItem("rekindle.token"))) ?? "";
    const created = await apiCall<{ id: string }>(server, token, "POST", "/api/journeys", {
      doc: {
        schemaVersion: 1,
        name: "Canvas feedback (e2e)",
        settings: {},
        nodes: [
          { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
          {
            id: "w1",
            type: "wait",
            position: { x: -200, y: 260 },
            data: { kind: "duration", duration: "1d" },
          },
          { id: "x1", type: "exit", position: { x: 240, y: 260 }, data: {} },
        ],
        edges: [],
      },
    });
    await page.goto(`${server.url}/#/journeys/${encodeURIComponent(created.id)}`);
    await page.locator(node("w1")).waitFor();

    await dragToBody("t1", "next", "w1");
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(1);

    // The trigger's one exit is used now: a second connection from it is refused, with the reason.
    await dragToBody("t1", "next", "x1");
    await expect.poll(() => page.locator('[data-testid="toast"]').textContent()).toBe(en["conn.portUsed"]);
    expect(await page.locator(".react-flow__edge").count()).toBe(1);
    await shot(page, "canvas-01-refused-en");

    await page.click('[data-lang="zh"]');
    await page.waitForTimeout(3500); // the English toast goes away first
    await dragToBody("w1", "next", "t1");
    await expect.poll(() => page.locator('[data-testid="toast"]').textContent()).toBe(zh["conn.intoTrigger"]);
    expect(await page.locator(".react-flow__edge").count()).toBe(1);
    await shot(page, "canvas-02-refused-zh");
  }, 120_000);
});
