/**
 * A custom action module kept outside the checkout (a temp folder with no package.json) loads at start:
 * it imports `zod` (the product's dependency) and a package of its own from its folder's node_modules, and
 * start-up says which custom actions loaded. Runs the real CLI, as an operator would.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const dirs: string[] = [];
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function actionFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "rekindle-ext-"));
  dirs.push(dir);
  // Its own dependency, found in its own node_modules.
  mkdirSync(join(dir, "node_modules", "acme-greetings"), { recursive: true });
  writeFileSync(
    join(dir, "node_modules", "acme-greetings", "package.json"),
    JSON.stringify({ name: "acme-greetings", version: "1.0.0", type: "module", main: "index.js" }),
  );
  writeFileSync(join(dir, "node_modules", "acme-greetings", "index.js"), 'export const hello = "你好";\n');
  writeFileSync(
    join(dir, "greet.ts"),
    `import { z } from "zod";
import { hello } from "acme-greetings";
import { suffix } from "./suffix.ts";

export default {
  type: "acme/greet",
  version: 2,
  title: { en: "Greet", zh: hello + suffix },
  config: z.object({ name: z.string().default("friend") }),
  effect: "internal",
  execute: () => Promise.resolve({ status: "done" as const }),
};
`,
  );
  writeFileSync(join(dir, "suffix.ts"), 'export const suffix: string = "！";\n');
  return dir;
}

describe("custom actions from a folder outside the checkout", () => {
  it("load with the product's and their own dependencies, and start-up lists them", async () => {
    const ext = actionFolder();
    const data = mkdtempSync(join(tmpdir(), "rekindle-ext-data-"));
    dirs.push(data);
    child = spawn(
      process.execPath,
      [join(ROOT, "bin", "rekindle.js"), "start", "--port", "0", "--data", data, "--no-demo"],
      { cwd: ext, env: { ...process.env, NODE_ENV: "test", REKINDLE_ACTIONS: join(ext, "greet.ts") } },
    );
    let out = "";
    child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    await expect
      .poll(() => (child?.exitCode !== null ? "exited" : /running at/.test(out) ? "up" : ""), {
        timeout: 90_000,
        interval: 200,
      })
      .toBe("up");
    expect(out).toContain(`Custom actions loaded: acme/greet v2 (${join(ext, "greet.ts")})`);
    const url = /running at (\S+)/.exec(out)![1]!;
    const creds = /email\s+(\S+@\S+)\s+password\s+(\S+)/.exec(out)!;
    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: creds[1], password: creds[2] }),
    });
    const { token } = (await login.json()) as { token: string };
    const types = (await (
      await fetch(`${url}/api/node-types`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { actions: { type: string; title: { zh: string } }[] };
    expect(types.actions.find((a) => a.type === "acme/greet")?.title.zh).toBe("你好！");
  }, 120_000);
});
