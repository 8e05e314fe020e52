import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every source file under `dir` (ts, tsx, js, mjs), skipping installed packages and build output. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && e.name !== "dist") out.push(...sourceFiles(p));
    } else if (/\.(ts|tsx|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Source text without its comments, so a commented-out example never counts as code. */
export const withoutComments = (src: string): string => src.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
