import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles, withoutComments } from "../support/source-files";

// SQL lives in engine/store only (the lint rule bans the drivers elsewhere; this catches SQL text), so a
// PostgreSQL store can be added by implementing the Store interface and nothing else.
const ROOT = join(import.meta.dirname, "..", "..");
const SCANNED = ["engine", "server", "builder-ui/src", "bin", "examples"];
const EXEMPT = [/^engine\/store\//, /\.test\.tsx?$/, /\/migrations\//];

const SQL = [
  /\bSELECT\s+(?:DISTINCT\s+)?[\w*(]+[\s\S]{0,200}?\bFROM\s+\w+/,
  /\bINSERT\s+INTO\s+\w+/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\s+\w+/,
  /\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\b/,
  /\.prepare\s*(?:<[^>]*>)?\s*\(/,
];

/** String literals of a source file (quotes and template literals), good enough to find SQL text. */
function stringLiterals(src: string): string[] {
  return [...src.matchAll(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]);
}

function findSql(src: string): string[] {
  const hits = stringLiterals(src).filter((s) => SQL.slice(0, 5).some((re) => re.test(s)));
  if (SQL[5]!.test(withoutComments(src))) hits.push(".prepare(");
  return hits;
}

describe("no SQL outside engine/store", () => {
  it("finds SQL in a sample, and none in the sources outside engine/store", () => {
    expect(findSql('db.prepare("SELECT id FROM runs WHERE x = ?").all()')).not.toEqual([]);
    expect(findSql("const q = `UPDATE outbox SET status = 'pending'`;")).not.toEqual([]);
    expect(findSql('const label = "Select a journey from the list";')).toEqual([]);
    const offenders: string[] = [];
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
        scanned++;
        for (const hit of findSql(readFileSync(f, "utf8"))) offenders.push(`${rel}: ${hit.slice(0, 80)}`);
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });
});
