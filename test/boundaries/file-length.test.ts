import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles } from "../support/source-files";

// Small files, one concept each: a source file over ~300 lines opens with a `//` comment saying why it is
// long (data, one class per interface, ...), so the next reader knows it is on purpose.
const ROOT = join(import.meta.dirname, "..", "..");
const SCANNED = ["engine", "server", "cli", "builder-ui/src"];
const LIMIT = 300;

/** Over the limit (in lines, as `wc -l` counts them) without a `//` reason on its first line. */
function unexplained(src: string): boolean {
  const lines = src.split("\n").length - (src.endsWith("\n") ? 1 : 0);
  return lines > LIMIT && !/^\/\/ \S/.test(src);
}

describe("source files over ~300 lines", () => {
  it("each opens with the reason it is long", () => {
    expect(unexplained("import x from 'y';\n".repeat(LIMIT + 1))).toBe(true);
    expect(unexplained("// Over 300 lines: data.\n" + "const a = 1;\n".repeat(LIMIT + 1))).toBe(false);
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const file of sourceFiles(join(ROOT, top))) {
        if (/\.test\.tsx?$/.test(file)) continue;
        if (unexplained(readFileSync(file, "utf8"))) offenders.push(relative(ROOT, file));
      }
    }
    expect(offenders).toEqual([]);
  });
});
