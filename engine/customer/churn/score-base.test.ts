import { describe, expect, it } from "vitest";
import { emptyProfile } from "../profile";
import { DAY_MS } from "../time";
import { ownValue, withChurn } from "./score-base";

describe("CLV with the churn model", () => {
  const NOW = 1000 * DAY_MS;
  const customer = (firstDay: number, spent: number) => {
    const p = emptyProfile();
    p.firstOrderAt = firstDay * DAY_MS;
    p.totalSpent = spent;
    return p;
  };

  it("own value: net spend, scaled to the horizon once the tenure is longer (known answers)", () => {
    expect(ownValue(customer(900, 1000), NOW, 365)).toBe(1000);
    expect(ownValue(customer(270, 1000), NOW, 365)).toBe(500);
    expect(ownValue(customer(900, -20), NOW, 365)).toBe(0);
    expect(ownValue(emptyProfile(), NOW, 365)).toBe(0);
  });

  it("blends the model's CLV with the own value and weights by the chance of an order (known answers)", () => {
    // √(400 × 100) × (1 − 0.75) = 200 × 0.25.
    expect(withChurn(400, 0.75, 100)).toBe(50);
    expect(withChurn(400, 0.75)).toBe(100);
    // No churn model: the BG/NBD CLV as it is.
    expect(withChurn(400, undefined, 100)).toBe(400);
    expect(withChurn(400, 0.2, 0)).toBe(0);
  });
});
