import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles, withoutComments } from "../support/source-files";

// A run's status and due time have one writer: engine/runtime/transitions/ (apply.ts applies a step's
// transition; start.ts creates a run). Executors return transitions instead of writing run state, so the
// rules of how a run moves live in one place (and a PostgreSQL store sees the same writes).
const ROOT = join(import.meta.dirname, "..", "..");
const SCANNED = ["engine", "server", "cli", "bin", "examples"];
const OWNER = /^engine\/runtime\/transitions\//;
const EXEMPT = [/^engine\/store\//, /\.test\.tsx?$/];

/** Assignments to a run's status or due time (`run.status = …`, `r.dueAt = …`), and new run rows' literals. */
const WRITES = [
  /\b\w*[rR]un\w*\.(?:status|dueAt)\s*(?:=(?!=)|\?\?=)/g,
  /\b\w*[rR]un\w*\[\s*["'](?:status|dueAt)["']\s*\]\s*=(?!=)/g,
  /:\s*RunRow\s*=\s*\{/g,
];

function writesIn(src: string): string[] {
  const code = withoutComments(src);
  return WRITES.flatMap((re) => [...code.matchAll(re)].map((m) => m[0]));
}

describe("run state is written only by the transition module", () => {
  it("finds run-state writes in a sample", () => {
    expect(writesIn('run.status = "ready";')).toHaveLength(1);
    expect(writesIn("claimedRun.dueAt = now + 5;")).toHaveLength(1);
    expect(writesIn("const r: RunRow = { id: 1 };")).toHaveLength(1);
    expect(writesIn('if (run.status === "waiting") return;')).toEqual([]);
    expect(writesIn("// run.status = 'x' in a comment")).toEqual([]);
  });

  it("finds none outside engine/runtime/transitions", () => {
    const offenders: string[] = [];
    let owned = 0;
    let scanned = 0;
    for (const top of SCANNED) {
      let files: string[];
      try {
        files = sourceFiles(join(ROOT, top));
      } catch {
        continue;
      }
      for (const f of files) {
        const rel = relative(ROOT, f).split("\\").join("/");
        if (EXEMPT.some((re) => re.test(rel))) continue;
        const hits = writesIn(readFileSync(f, "utf8"));
        if (OWNER.test(rel)) owned += hits.length;
        else {
          scanned++;
          for (const h of hits) offenders.push(`${rel}: ${h}`);
        }
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(owned).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});
