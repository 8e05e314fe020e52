import { describe, expect, it } from "vitest";
import { smsInfo } from "./sms";

describe("smsInfo", () => {
  it("counts GSM-7 text: 160 in one part, 153 per part beyond", () => {
    expect(smsInfo("")).toMatchObject({ segments: 0, length: 0 });
    expect(smsInfo("a".repeat(160))).toEqual({ encoding: "GSM-7", length: 160, units: 160, segments: 1 });
    expect(smsInfo("a".repeat(161))).toMatchObject({ encoding: "GSM-7", segments: 2 });
    expect(smsInfo("a".repeat(306))).toMatchObject({ segments: 2 });
    expect(smsInfo("a".repeat(307))).toMatchObject({ segments: 3 });
    expect(smsInfo("Ça va? £5 @ Ñoño é")).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("counts extension characters as two septets and never splits them", () => {
    expect(smsInfo("€".repeat(80))).toMatchObject({ encoding: "GSM-7", length: 80, units: 160, segments: 1 });
    expect(smsInfo("€".repeat(81))).toMatchObject({ units: 162, segments: 2 });
    // 152 plain + one € (2 septets) does not fit 153: the € moves to the next part.
    expect(smsInfo("a".repeat(152) + "€" + "a".repeat(152))).toMatchObject({ units: 306, segments: 3 });
  });

  it("counts Chinese text as UCS-2: 70 in one part, 67 per part beyond", () => {
    expect(smsInfo("您".repeat(70))).toEqual({ encoding: "UCS-2", length: 70, units: 70, segments: 1 });
    expect(smsInfo("您".repeat(71))).toMatchObject({ encoding: "UCS-2", segments: 2 });
    expect(smsInfo("您".repeat(134))).toMatchObject({ segments: 2 });
    expect(smsInfo("您".repeat(135))).toMatchObject({ segments: 3 });
    // One non-GSM character switches the whole message to UCS-2.
    expect(smsInfo("a".repeat(100) + "好")).toMatchObject({ encoding: "UCS-2", segments: 2 });
  });

  it("counts an emoji as two UCS-2 units and keeps surrogate pairs whole", () => {
    expect(smsInfo("😀".repeat(35))).toMatchObject({ length: 35, units: 70, segments: 1 });
    expect(smsInfo("a" + "😀".repeat(34))).toMatchObject({ units: 69, segments: 1 });
    // 134 units would fit 2 parts of 67 if the pair could be split; whole, it needs 3.
    expect(smsInfo("a".repeat(66) + "😀" + "a".repeat(66))).toMatchObject({ units: 134, segments: 3 });
  });
});
