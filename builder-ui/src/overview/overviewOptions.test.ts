import { describe, expect, it } from "vitest";
import type { OverviewResponse } from "../../../engine/schema";
import { bandsByStageOption, flowMatrix, rfmCells } from "./overviewOptions";

const empty = (): OverviewResponse["latest"] => ({
  stage: [],
  rfm: [],
  rfm_cell: [],
  risk: [],
  transition: [],
  risk_stage: [],
  clv_stage: [],
});
const b = (bucket: string, customers: number, value = 0) => ({ bucket, customers, value, clv: 0 });

describe("the overview's chart data", () => {
  it("places stage flows at [to, from] and ignores an unknown stage", () => {
    const latest = { ...empty(), transition: [b("active>dormant", 7), b("new>active", 3), b("x>active", 9)] };
    const r = { latest } as OverviewResponse;
    expect(flowMatrix(r)).toEqual({
      cells: [
        [3, 2, 7],
        [2, 1, 3],
      ],
      max: 7,
    });
  });

  it("puts RFM cells at [f − 1, r − 1] with customers or value, keeping r and f for the click", () => {
    const latest = { ...empty(), rfm_cell: [b("5-3", 4, 120.6), b("1-1", 2, 9)] };
    const r = { latest } as OverviewResponse;
    expect(rfmCells(r, "customers")).toEqual([
      [2, 4, 4, 5, 3],
      [0, 0, 2, 1, 1],
    ]);
    expect(rfmCells(r, "value").map((c) => c[2])).toEqual([121, 9]);
  });

  it("stacks each band's customers per stage, zero where a stage has none", () => {
    const o = bandsByStageOption(
      [b("active|high", 5), b("dormant|high", 2), b("active|low", 1)],
      "risk",
      String,
      String,
    ) as {
      series: { name: string; data: number[] }[];
    };
    expect(o.series.map((s) => s.name)).toEqual(["low", "medium", "high", "unscored"]);
    expect(o.series[2]!.data).toEqual([0, 0, 5, 2, 0]);
    expect(o.series[0]!.data).toEqual([0, 0, 1, 0, 0]);
  });
});
