import { describe, expect, it } from "vitest";
import { translate } from "../i18n/translate";
import type { Translate } from "../i18n/translate";
import { countParts } from "./DryRunDialog";

const t =
  (lang: "en" | "zh"): Translate =>
  (k, v) =>
    translate(lang, k, v);
const fmt = (n: number): string => n.toLocaleString("en");

describe("a dry run's counts per step", () => {
  it("show ports and skip reasons with their numbers, never NaN, in both languages", () => {
    const c = { entered: 1200, executed: 1100, ports: { next: 1100, failed: 3 }, skipped: { capped: 97 } };
    const en = countParts(c, t("en"), fmt);
    expect(en).toEqual([
      "entered 1,200",
      "executed 1,100",
      "→ Next 1,100",
      "→ Failed 3",
      "skipped (Frequency cap) 97",
    ]);
    const zh = countParts(c, t("zh"), fmt).join(" · ");
    expect(zh).not.toMatch(/NaN|ports|skipped/);
    expect(zh).toContain("进入 1,200");
  });
});
