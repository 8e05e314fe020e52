import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";

// `npm run check` must fail on a boundary import and on an import cycle. Each case writes a real offending
// file where a contributor would, runs the project's own lint (only its boundary rules, on that one file)
// or its cycle script, and expects a failure that names the file; the files are removed afterwards.
const ROOT = join(import.meta.dirname, "..", "..");
const written: string[] = [];

function offending(rel: string, text: string): string {
  const file = join(ROOT, rel);
  written.push(file);
  writeFileSync(file, text);
  return file;
}

afterAll(() => {
  for (const f of written) rmSync(f, { force: true });
});

// The project's config, without type information (the boundary rules do not need it) so one file lints fast.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId.startsWith("import-x/"),
});

async function boundaryErrors(file: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

const tag = `neg${process.pid}`;

describe("boundaries by name fail the lint", () => {
  it("engine → server", async () => {
    const f = offending(`engine/${tag}.ts`, `export { createApp } from "../server/app";\n`);
    expect(await boundaryErrors(f)).toEqual([
      expect.stringMatching(/no-restricted-paths.*engine\/ is the core/),
    ]);
  });

  it("builder-ui → engine/store", async () => {
    const f = offending(
      `builder-ui/src/${tag}.ts`,
      `export type { Store } from "../../engine/store/types";\n`,
    );
    expect(await boundaryErrors(f)).toEqual([
      expect.stringMatching(/no-restricted-paths.*only the contract/),
    ]);
  });

  it("engine/schema → engine/runtime, and → the file system", async () => {
    const f = offending(
      `engine/schema/${tag}.ts`,
      `export { systemClock } from "../runtime/clock";\nexport { readFileSync } from "node:fs";\n`,
    );
    const errors = await boundaryErrors(f);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/no-restricted-paths.*pure contract/);
    expect(errors[1]).toMatch(/no-nodejs-modules/);
  });

  it("server and cli → engine internals (past the front door)", async () => {
    const s = offending(`server/${tag}.ts`, `export { SqliteStore } from "../engine/store/sqlite/store";\n`);
    const c = offending(`cli/${tag}.ts`, `export { Engine } from "../engine/runtime/engine";\n`);
    expect(await boundaryErrors(s)).toEqual([expect.stringMatching(/no-restricted-paths.*front door/)]);
    expect(await boundaryErrors(c)).toEqual([expect.stringMatching(/no-restricted-paths.*front door/)]);
  });

  it("the front door and the contract pass", async () => {
    const f = offending(
      `server/${tag}-ok.ts`,
      `export { Engine } from "../engine/index";\nexport { validateJourney } from "../engine/schema";\n`,
    );
    expect(await boundaryErrors(f)).toEqual([]);
  });
});

describe("an import cycle fails npm run lint:cycles", () => {
  it("two engine files importing each other", () => {
    offending(
      `engine/${tag}-a.ts`,
      `import { b } from "./${tag}-b";\nexport const a = (): number => b() + 1;\n`,
    );
    offending(
      `engine/${tag}-b.ts`,
      `import { a } from "./${tag}-a";\nexport const b = (): number => a() - 1;\n`,
    );
    const run = spawnSync("npm", ["run", "-s", "lint:cycles"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`engine/${tag}-a.ts`);
  });
});
