import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LIFECYCLE_STAGES, OPERATORS, WEEKDAYS } from "../../../engine/schema";
import { en, zh } from "./dict";
import type { MessageKey } from "./dict";
import { translate } from "./translate";

const SRC = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe("i18n dictionary", () => {
  const enKeys = Object.keys(en).sort();
  const zhKeys = Object.keys(zh).sort();

  it("has the same keys in English and Chinese", () => {
    expect(enKeys.filter((k) => !(k in zh))).toEqual([]);
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
  });

  it("has a text for every key in both languages, with the same placeholders", () => {
    for (const k of enKeys as MessageKey[]) {
      if (k === "diff.same") continue;
      expect(en[k].trim(), `en ${k}`).not.toBe("");
      expect(zh[k].trim(), `zh ${k}`).not.toBe("");
      expect(placeholders(zh[k]), `placeholders of ${k}`).toEqual(placeholders(en[k]));
    }
  });

  it("has every key the source uses", () => {
    const used = new Set<string>();
    const families = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([\w.]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bt\(\s*`([\w.]+)\.\$\{/g)) families.add(m[1]!);
      // Keys kept in tables, e.g. `"node.trigger"` in a Record<string, MessageKey>.
      for (const m of text.matchAll(/:\s*"((?:node|port|unit|unitLong|help|day|status|cond|insp)\.[\w]+)"/g))
        used.add(m[1]!);
    }
    const missing = [...used].filter((k) => !(k in en) || !(k in zh));
    expect(missing).toEqual([]);
    for (const f of families)
      expect(
        enKeys.some((k) => k.startsWith(`${f}.`)),
        `family ${f}`,
      ).toBe(true);
  });

  it("covers every operator, stage, weekday, role and status", () => {
    const need = [
      ...OPERATORS.map((o) => `op.${o}`),
      ...LIFECYCLE_STAGES.map((s) => `stage.${s}`),
      ...WEEKDAYS.map((d) => `day.${d}`),
      ...["admin", "marketer", "ops", "viewer"].map((r) => `role.${r}`),
      ...["draft", "live", "paused", "archived"].map((s) => `status.${s}`),
      ...["self", "noPort", "portUsed", "intoTrigger", "fromExit", "cycleWithoutWait"].map(
        (p) => `conn.${p}`,
      ),
      ...["event", "audience", "stage", "manual"].map((k) => `trigger.${k}`),
      ...["duration", "until", "event"].map((k) => `wait.${k}`),
    ];
    expect(need.filter((k) => !(k in en) || !(k in zh))).toEqual([]);
  });

  it("interpolates placeholders", () => {
    expect(translate("en", "summary.wait", { duration: "72 h" })).toBe("Wait 72 h");
    expect(translate("zh", "summary.wait", { duration: "72 小时" })).toBe("等待 72 小时");
  });
});
