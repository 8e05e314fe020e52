/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- HTTP response bodies are untyped JSON */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { simpleJourney } from "./helpers";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WAIT_MS = 8000;
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "rekindle-restart-"));

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `rekindle start` as `npm start` does, and waits for its banner. */
function start(): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(
    process.execPath,
    ["bin/rekindle.js", "start", "--port", "0", "--data", dir, "--no-demo"],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`no banner in 30 s: ${lines.join("\n")}`)), 30_000);
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const m = /running at (http:\/\/localhost:\d+)/.exec(line);
        if (m) {
          // The admin line follows the URL line in the same write burst.
          setTimeout(() => {
            clearTimeout(timer);
            resolve({ child, url: m[1]!.replace("localhost", "127.0.0.1"), lines });
          }, 200);
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => lines.push(d.toString()));
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${lines.join("\n")}`)));
  });
}

async function api(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

describe("npm start's server survives SIGKILL while runs wait", () => {
  it("waits fire on time after a kill and restart", async () => {
    const first = await start();
    const cred = first.lines.map((l) => /email (\S+)\s+password (\S+)/.exec(l)).find(Boolean);
    expect(cred).toBeTruthy();
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: cred![1], password: cred![2] }),
    });
    const { token } = (await login.json()) as { token: string };

    const key = await api(first.url, token, "POST", "/api/keys", { name: "restart-test" });
    const ids = Array.from({ length: 20 }, (_, i) => `r-${i}`);
    const batch = ids.map((id) => ({ type: "identify", userId: id, traits: { email: `${id}@example.com` } }));
    const ing = await fetch(`${first.url}/v1/batch`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${key.body.secret}:`).toString("base64")}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ batch }),
    });
    expect(((await ing.json()) as { accepted: number }).accepted).toBe(20);

    const j = await api(first.url, token, "POST", "/api/journeys", {
      doc: simpleJourney({ name: "Restart", wait: `${WAIT_MS / 1000}s` }),
    });
    expect((await api(first.url, token, "POST", `/api/journeys/${j.body.id}/publish`)).status).toBe(201);
    const entered = await api(first.url, token, "POST", `/api/journeys/${j.body.id}/enter`, {
      customerIds: ids,
    });
    expect(entered.body.every((e: { runId: number | null }) => e.runId !== null)).toBe(true);
    const enteredAt = Date.now();

    // Runs are waiting; kill the process without warning.
    const stats = await api(first.url, token, "GET", `/api/journeys/${j.body.id}/stats`);
    expect(stats.body.nodes.w1.waiting).toBe(20);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    expect(Date.now() - enteredAt).toBeLessThan(WAIT_MS);

    const second = await start();
    // Sessions are stored: the same token works after the restart.
    expect((await api(second.url, token, "GET", "/api/me")).status).toBe(200);
    const deadline = enteredAt + WAIT_MS + 10_000;
    let done = 0;
    while (Date.now() < deadline) {
      done = (await api(second.url, token, "GET", `/api/journeys/${j.body.id}/stats`)).body.totals.completed;
      if (done === 20) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(done).toBe(20);
    const steps = await api(
      second.url,
      token,
      "GET",
      `/api/steps?journeyId=${j.body.id}&nodeId=w1&outcome=released&limit=100`,
    );
    expect(steps.body.items).toHaveLength(20);
    const runs = await api(second.url, token, "GET", `/api/customers/r-0/runs`);
    const runEntered = Date.parse(runs.body[0].enteredAt);
    for (const s of steps.body.items as { at: string; dueAt: string; lateMs: number }[]) {
      // Released at the due time (entry + wait), never before, and late by less than the scheduler's poll cap.
      expect(Date.parse(s.at)).toBeGreaterThanOrEqual(Date.parse(s.dueAt));
      expect(Date.parse(s.dueAt) - runEntered).toBeGreaterThanOrEqual(WAIT_MS);
      expect(Date.parse(s.dueAt) - runEntered).toBeLessThan(WAIT_MS + 1000);
      expect(s.lateMs).toBeLessThan(1500);
    }
    const lateness = (steps.body.items as { lateMs: number }[]).map((s) => s.lateMs);
    console.log(
      `restart test: waits released late by max ${Math.max(...lateness)} ms (median ${lateness.sort((a, b) => a - b)[10]} ms)`,
    );

    // A clean shutdown on SIGTERM exits 0.
    second.child.kill("SIGTERM");
    const code = await new Promise((r) => second.child.once("exit", (c) => r(c)));
    expect(code).toBe(0);
  }, 90_000);
});
