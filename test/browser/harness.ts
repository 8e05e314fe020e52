/**
 * Browser-test harness: builds the UI, starts the real server on a temp data dir as a child process,
 * and drives Debian's chromium through playwright-core.
 */
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SCREENSHOTS = join(ROOT, "screenshots");
export const CHROMIUM = "/usr/bin/chromium";

/** The server exists once server/app.ts exports createApp. */
export function serverReady(): boolean {
  const app = join(ROOT, "server", "app.ts");
  return existsSync(app) && /export\s+(async\s+)?function\s+createApp\b/.test(readFileSync(app, "utf8"));
}

export function buildUi(): void {
  execFileSync(process.execPath, [join(ROOT, "builder-ui", "build-if-stale.mjs")], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  email: string;
  password: string;
  writeKey: string | null;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts the real server; `env` adds to its environment (e.g. `REKINDLE_WEBHOOK_ALLOW` for a loopback receiver). */
export async function startServer(
  env: Record<string, string> = {},
  args: string[] = [],
  opts: { readyTimeoutMs?: number } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), "rekindle-ui-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, "bin", "rekindle.js"), "start", "--port", String(port), "--data", data, ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      // The example custom action is loaded only through the documented extension point.
      env: {
        ...process.env,
        NODE_ENV: "test",
        REKINDLE_ACTIONS: join(ROOT, "examples", "actions", "loyalty-points.ts"),
        ...env,
      },
    },
  );
  let out = "";
  child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  // The first start replays the demo; on a machine shared with other work that can take minutes.
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 240_000);
  let creds: RegExpExecArray | null = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    creds = /email\s+(\S+@\S+)\s+password\s+(\S+)/.exec(out);
    if (creds && /running at/i.test(out)) {
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!creds) throw new Error(`no admin credentials in the server's output:\n${out}`);
  const key = /\b(wk_[A-Za-z0-9_-]+)/.exec(out);
  return {
    url,
    email: creds[1]!,
    password: creds[2]!,
    writeKey: key ? key[1]! : null,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 5000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  // A new, empty user-data-dir per run (playwright takes it as the persistent context's directory).
  const profile = mkdtempSync(join(tmpdir(), "rekindle-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`screenshot: ${path}`);
  return path;
}

export async function apiCall<T>(
  server: RunningServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
