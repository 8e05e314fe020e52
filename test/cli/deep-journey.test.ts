import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "rekindle-deep-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rekindle(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return rekindleWith({}, ...args);
}

function rekindleWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin/rekindle.js"), ...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "", ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** A journey whose condition node nests 20,000 groups: built as text, JSON.stringify cannot go that deep. */
function deepJourneyFile(): string {
  let open = "";
  let close = "";
  for (let i = 0; i < 20_000; i++) {
    open += `{"${i % 2 ? "all" : "any"}":[`;
    close += "]}";
  }
  const condition = `{"all":[${open}{"fact":"traits","path":"$.x","operator":"equal","value":1}${close}]}`;
  const doc =
    `{"name":"deep","nodes":[{"id":"t","type":"trigger","data":{"kind":"event","event":"order"}},` +
    `{"id":"c","type":"condition","data":{"conditions":${condition}}},{"id":"e","type":"exit","data":{}}],` +
    `"edges":[{"id":"a","source":"t","target":"c"},{"id":"b","source":"c","target":"e","sourceHandle":"yes"}]}`;
  const file = join(tmp, "deep.json");
  writeFileSync(file, doc);
  return file;
}

const PATH =
  /deep\.json: node c: nodes\[1\]\.data\.conditions\.all\[0\]\.any\[0\]\.all\[0\][^\n]*: conditions nested more than 32 groups deep/;

// Each case spawns CLI processes (tsx start-up is slow on a busy machine): generous time, no timing asserted.
describe.concurrent("a journey nested 20,000 deep on the command line", { timeout: 120_000 }, () => {
  it("rekindle validate names the file, the node and the path", async ({ expect }) => {
    const file = deepJourneyFile();
    const r = await rekindle("validate", file);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(PATH);
    expect(r.stdout + r.stderr).not.toContain("Maximum call stack");
  });

  it("rekindle simulate names the file, the node and the path", async ({ expect }) => {
    const file = deepJourneyFile();
    const events = join(tmp, "events.ndjson");
    writeFileSync(
      events,
      '{"type":"track","userId":"u1","event":"order","timestamp":"2026-01-01T00:00:00Z"}\n',
    );
    const r = await rekindle("simulate", "--journey", file, "--events", events);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(PATH);
    expect(r.stderr).not.toContain("Maximum call stack");
  });

  it("speaks Chinese with --lang zh or a Chinese LANG, English otherwise", async ({ expect }) => {
    const file = join(tmp, "bad-duration.json");
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: "x",
        nodes: [
          { id: "t", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
          { id: "w", type: "wait", position: { x: 0, y: 0 }, data: { kind: "duration", duration: "3 days" } },
        ],
        edges: [{ id: "e", source: "t", target: "w" }],
      }),
    );
    const zh = '节点 w: nodes[1].data.duration: 时长 "3 days" 无效';
    expect((await rekindle("validate", "--lang", "zh", file)).stderr).toContain(zh);
    expect((await rekindleWith({ LANG: "zh_CN.UTF-8" }, "validate", file)).stderr).toContain(zh);
    expect((await rekindle("validate", file)).stderr).toContain(
      'node w: nodes[1].data.duration: bad duration "3 days"',
    );
  });
});
