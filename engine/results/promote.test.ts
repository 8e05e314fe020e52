import { describe, expect, it } from "vitest";
import type { SplitNode } from "../schema/journey";
import type { SplitArmSums } from "../store/types";
import { promotedArm } from "./promote";

const split = (promoteWinner?: { minPerArm: number }): SplitNode => ({
  id: "s1",
  type: "split",
  position: { x: 0, y: 0 },
  data: {
    kind: "random",
    branches: [
      { id: "email", weight: 1 },
      { id: "sms", weight: 1 },
    ],
    ...(promoteWinner ? { promoteWinner } : {}),
  },
});

const row = (
  arm: string,
  entered: number,
  converted: number,
  reason: "hash" | "winner" = "hash",
): SplitArmSums => ({
  arm,
  reason,
  entered,
  matured: entered,
  converted,
  maturedConverted: converted,
  revenue: 0,
  revenueSquares: 0,
});

describe("promotedArm", () => {
  const clear = [row("email", 600, 130), row("sms", 600, 180)];

  it("promotes the arm that beats every other significantly once each has minPerArm matured", () => {
    expect(promotedArm(split({ minPerArm: 500 }), clear)).toBe("sms");
    expect(promotedArm(split({ minPerArm: 601 }), clear)).toBeNull();
    expect(promotedArm(split(), clear)).toBeNull();
  });

  it("promotes nothing on a difference the always-valid test cannot yet call", () => {
    expect(promotedArm(split({ minPerArm: 10 }), [row("email", 100, 20), row("sms", 100, 26)])).toBeNull();
  });

  it("promotes nothing when the sample ratio is broken", () => {
    expect(promotedArm(split({ minPerArm: 10 }), [row("email", 300, 40), row("sms", 900, 300)])).toBeNull();
  });

  it("keeps a promotion once entries took it, whatever the counts say now", () => {
    const rows = [row("email", 100, 20), row("sms", 100, 21), row("sms", 5, 0, "winner")];
    expect(promotedArm(split({ minPerArm: 10 }), rows)).toBe("sms");
  });

  it("counts matured members, not all members, against minPerArm", () => {
    const young = clear.map((r) => ({ ...r, matured: 50 }));
    expect(promotedArm(split({ minPerArm: 100 }), young)).toBeNull();
  });
});
