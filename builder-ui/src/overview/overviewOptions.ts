/** ECharts options for the overview, built from `GET /api/overview`'s answer alone (pure, unit-tested). */
import type { EChartsCoreOption } from "echarts/core";
import { CLV_BANDS, LIFECYCLE_STAGES, SNAPSHOT_RISK_BANDS } from "../../../engine/schema";
import type { OverviewBucket, OverviewResponse } from "../../../engine/schema";

/** One colour per stage, the same in every chart: prospect, new, active, dormant, churned. */
export const STAGE_COLORS = ["#a1a1aa", "#0ea5e9", "#22c55e", "#f59e0b", "#ef4444"];
const BAND_COLORS = ["#22c55e", "#f59e0b", "#ef4444", "#d4d4d8"];
const CLV_COLORS = ["#c7d2fe", "#a5b4fc", "#6366f1", "#3730a3", "#d4d4d8"];
const AXIS = { color: "#71717a", fontSize: 11 };

type Label = (key: string) => string;

/** Stacked area of customers per stage, one point per snapshot day. */
export function stageAreaOption(r: OverviewResponse, stage: Label): EChartsCoreOption {
  return {
    animation: false,
    color: STAGE_COLORS,
    grid: { left: 56, right: 16, top: 36, bottom: 28 },
    tooltip: { trigger: "axis" },
    legend: { top: 0, textStyle: AXIS },
    xAxis: { type: "category", boundaryGap: false, data: r.days.map((d) => d.day), axisLabel: AXIS },
    // No axis name: the card's title says what is counted (a name collided with the legend).
    yAxis: { type: "value", axisLabel: AXIS },
    series: LIFECYCLE_STAGES.map((s) => ({
      type: "line",
      name: stage(s),
      stack: "stages",
      areaStyle: { opacity: 0.75 },
      symbol: "none",
      lineStyle: { width: 1 },
      emphasis: { focus: "series" },
      data: r.days.map((d) => d.stages[s]),
    })),
  };
}

/** The period's stage changes as a from × to matrix: [toIndex, fromIndex, count] cells. */
export function flowMatrix(r: OverviewResponse): { cells: [number, number, number][]; max: number } {
  const idx = new Map<string, number>(LIFECYCLE_STAGES.map((s, i) => [s, i]));
  const cells: [number, number, number][] = [];
  for (const b of r.latest.transition) {
    const [from, to] = b.bucket.split(">");
    const f = idx.get(from ?? "");
    const t = idx.get(to ?? "");
    if (f !== undefined && t !== undefined) cells.push([t, f, b.customers]);
  }
  return { cells, max: Math.max(1, ...cells.map((c) => c[2])) };
}

export function flowOption(
  r: OverviewResponse,
  stage: Label,
  text: { from: string; to: string },
): EChartsCoreOption {
  const names = LIFECYCLE_STAGES.map((s) => stage(s));
  const { cells, max } = flowMatrix(r);
  return {
    animation: false,
    // "To" across the top, "from" down the side, the colour scale below: no label meets another.
    grid: { left: 104, right: 16, top: 48, bottom: 44 },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${names[p.value[1]]} → ${names[p.value[0]]}: ${p.value[2]}`,
    },
    xAxis: {
      type: "category",
      data: names,
      name: text.to,
      position: "top",
      nameLocation: "middle",
      nameGap: 28,
      nameTextStyle: AXIS,
      axisLabel: AXIS,
    },
    yAxis: {
      type: "category",
      data: names,
      name: text.from,
      nameLocation: "middle",
      nameGap: 76,
      nameTextStyle: AXIS,
      axisLabel: AXIS,
      inverse: true,
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#eef2ff", "#6366f1", "#312e81"] },
      textStyle: AXIS,
    },
    series: [{ type: "heatmap", data: cells, label: { show: true, color: "#18181b" } }],
  };
}

/** The RFM grid: recency score (rows, 5 on top) × frequency score (columns); [f−1, r−1, measure, r, f]. */
export function rfmCells(
  r: OverviewResponse,
  by: "customers" | "value",
): [number, number, number, number, number][] {
  const out: [number, number, number, number, number][] = [];
  for (const b of r.latest.rfm_cell) {
    const [rs, fs] = b.bucket.split("-").map(Number);
    if (!rs || !fs) continue;
    out.push([fs - 1, rs - 1, by === "customers" ? b.customers : Math.round(b.value), rs, fs]);
  }
  return out;
}

export function rfmOption(
  r: OverviewResponse,
  by: "customers" | "value",
  text: { recency: string; frequency: string; measure: string },
): EChartsCoreOption {
  const data = rfmCells(r, by);
  const scores = ["1", "2", "3", "4", "5"];
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 16, bottom: 80 },
    tooltip: {
      formatter: (p: { value: number[] }) =>
        `R${p.value[3]} · F${p.value[4]}<br/>${text.measure}: ${p.value[2]}`,
    },
    xAxis: {
      type: "category",
      data: scores,
      name: text.frequency,
      nameLocation: "middle",
      nameGap: 28,
      axisLabel: AXIS,
    },
    yAxis: {
      type: "category",
      data: scores,
      name: text.recency,
      nameLocation: "middle",
      nameGap: 36,
      axisLabel: AXIS,
    },
    visualMap: {
      min: 0,
      max: Math.max(1, ...data.map((d) => d[2])),
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#ecfeff", "#14b8a6", "#134e4a"] },
      textStyle: AXIS,
    },
    series: [{ type: "heatmap", data, label: { show: true, color: "#18181b" }, cursor: "pointer" }],
  };
}

/** Stacked bars: per stage (x), customers in each band of `dimension` (`stage|band` buckets). */
export function bandsByStageOption(
  buckets: readonly OverviewBucket[],
  kind: "risk" | "clv",
  stage: Label,
  band: Label,
): EChartsCoreOption {
  const bands = kind === "risk" ? SNAPSHOT_RISK_BANDS : CLV_BANDS;
  const count = new Map(buckets.map((b) => [b.bucket, b.customers]));
  return {
    animation: false,
    color: kind === "risk" ? BAND_COLORS : CLV_COLORS,
    grid: { left: 56, right: 16, top: 36, bottom: 28 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, textStyle: AXIS },
    xAxis: { type: "category", data: LIFECYCLE_STAGES.map((s) => stage(s)), axisLabel: AXIS },
    yAxis: { type: "value", axisLabel: AXIS },
    series: bands.map((b) => ({
      type: "bar",
      name: band(b),
      stack: kind,
      barMaxWidth: 48,
      data: LIFECYCLE_STAGES.map((s) => count.get(`${s}|${b}`) ?? 0),
    })),
  };
}
