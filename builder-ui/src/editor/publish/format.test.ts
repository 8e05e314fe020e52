import { describe, expect, it } from "vitest";
import type { TriggerCheck, TriggerOverlap } from "../../../../engine/schema";
import { translate } from "../../i18n/translate";
import type { Lang, Translate } from "../../i18n/translate";
import { audienceLine, audienceNote, formatFires, overlapLine } from "./format";

const t =
  (lang: Lang): Translate =>
  (k, v) =>
    translate(lang, k, v);
const fmt = (n: number): string => n.toLocaleString("en");
const base: TriggerCheck = {
  nodeId: "t1",
  kind: "audience",
  measure: "matching_now",
  customers: 1234,
  scanned: 2000,
  total: 2000,
  estimated: false,
  nextFires: [],
  sample: [],
};

describe("the publish check's words", () => {
  it("shows fire times in the schedule's zone, in both languages, dropping anything unparsable", () => {
    // 01:00 UTC is 09:00 in Shanghai, whatever zone the browser is in.
    const fires = ["2026-03-02T01:00:00.000Z", "not a time", "2026-03-09T01:00:00.000Z"];
    const en = formatFires(fires, "Asia/Shanghai", "en");
    expect(en).toHaveLength(2);
    expect(en[0]).toMatch(/Mon.*Mar 2, 2026.*09:00/);
    const zh = formatFires(fires, "Asia/Shanghai", "zh");
    expect(zh[0]).toMatch(/2026年3月2日.*周一.*09:00/);
    expect(formatFires(fires, "America/New_York", "en")[0]).toMatch(/Sun.*Mar 1, 2026.*20:00/);
    expect(formatFires(fires, "Not/AZone", "en")).toEqual([]);
  });

  it("says what each number is, with numbers and no placeholders left, in both languages", () => {
    const checks: TriggerCheck[] = [
      base,
      { ...base, estimated: true, scanned: 1000, total: 2000 },
      {
        ...base,
        kind: "event",
        measure: "event_senders",
        event: "cart_abandoned",
        sinceDays: 7,
        customers: 88,
      },
      { ...base, kind: "stage", measure: "at_stage_now", stage: "dormant", customers: 5 },
      { ...base, kind: "manual", measure: "manual", customers: null },
    ];
    for (const lang of ["en", "zh"] as const)
      for (const c of checks) {
        const words = [audienceLine(c, t(lang), fmt), audienceNote(c, t(lang), fmt) ?? ""].join(" ");
        expect(words).not.toMatch(/NaN|undefined|\{\w+\}/);
      }
    expect(audienceLine(checks[0]!, t("en"), fmt)).toBe("1,234 customers match the audience now");
    expect(audienceLine(checks[0]!, t("zh"), fmt)).toBe("当前有 1,234 位客户符合受众条件");
    expect(audienceNote(checks[1]!, t("en"), fmt)).toBe("Estimated from the first 1,000 of 2,000 customers.");
    expect(audienceLine(checks[2]!, t("zh"), fmt)).toBe("最近 7 天有 88 位客户发送了“cart_abandoned”事件");
    expect(audienceNote(checks[2]!, t("en"), fmt)).toMatch(/estimate of who will enter/);
    expect(audienceLine(checks[3]!, t("zh"), fmt)).toBe("当前有 5 位客户处于「沉睡」阶段");
  });

  it("words an overlapping journey by what it shares", () => {
    const o: TriggerOverlap = {
      nodeId: "t1",
      journeyId: "j2",
      journeyName: "Other",
      version: 3,
      kind: "audience",
      key: "0 9 * * *",
      sharedCustomers: 40,
    };
    expect(overlapLine(o, t("en"), fmt)).toBe("40 customers are in both audiences now");
    expect(overlapLine({ ...o, kind: "event", key: "churn_signal" }, t("zh"), fmt)).toBe(
      "同样由“churn_signal”事件触发",
    );
    expect(overlapLine({ ...o, kind: "stage", key: "churned" }, t("en"), fmt)).toBe(
      "also starts when a customer becomes Churned",
    );
  });
});
