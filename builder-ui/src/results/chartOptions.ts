/** ECharts options for the results page, built from the report alone (pure, so they can be unit-tested). */
import type { EChartsCoreOption } from "echarts/core";
import type { ExperimentResult } from "../../../engine/schema";

const COLORS = ["#6366f1", "#14b8a6", "#f97316", "#8b5cf6", "#0ea5e9", "#ef4444", "#22c55e", "#eab308"];
const AXIS = { color: "#71717a", fontSize: 11 };
const pct = (x: number): number => Math.round(x * 1000) / 10;

/** Bars of each arm's conversion rate with its Wilson interval drawn as an error bar. */
export function armRateOption(
  exp: ExperimentResult,
  names: string[],
  text: { axis: string; interval: string },
): EChartsCoreOption {
  const top = Math.max(5, ...exp.arms.map((a) => pct(a.ci95[1])));
  return {
    animation: false,
    color: COLORS,
    grid: { left: 56, right: 16, top: 24, bottom: 32 },
    tooltip: { trigger: "item" },
    xAxis: { type: "category", data: names, axisLabel: { ...AXIS, fontSize: 12, color: "#3f3f46" } },
    yAxis: {
      type: "value",
      name: text.axis,
      nameLocation: "middle",
      nameGap: 40,
      nameTextStyle: AXIS,
      max: Math.min(100, Math.ceil((top * 1.15) / 5) * 5),
      axisLabel: AXIS,
    },
    series: [
      {
        type: "bar",
        barMaxWidth: 72,
        data: exp.arms.map((a, i) => ({
          value: pct(a.rate),
          itemStyle: { color: COLORS[i % COLORS.length], opacity: 0.85 },
        })),
        // Beside the bar, not inside it: the interval's whisker runs through the bar's middle and would
        // cross a label on a short bar.
        label: {
          show: true,
          position: "right",
          distance: 6,
          formatter: (p: { value: number }) => `${p.value.toFixed(1)}%`,
          color: "#344054",
          fontWeight: 600,
        },
        tooltip: { valueFormatter: (v: number) => `${v}%` },
      },
      {
        type: "custom",
        name: text.interval,
        data: exp.arms.map((a, i) => [i, pct(a.ci95[0]), pct(a.ci95[1])]),
        renderItem: errorBar,
        z: 10,
        tooltip: {
          formatter: (p: { name: string; value: number[] }) =>
            `${text.interval}: ${p.value[1]}% – ${p.value[2]}%`,
        },
      },
    ],
  };
}

interface RenderApi {
  value: (dim: number) => number;
  coord: (point: [number, number]) => number[];
  size: (value: [number, number]) => number[];
}

/** An I-beam from the interval's low to its high end, centred on the bar. */
function errorBar(_params: unknown, api: RenderApi): unknown {
  const x = api.value(0);
  const lo = api.coord([x, api.value(1)]);
  const hi = api.coord([x, api.value(2)]);
  const half = Math.min(14, (api.size([1, 0])[0] ?? 40) * 0.12);
  const style = { stroke: "#18181b", lineWidth: 1.5 };
  const line = (x1: number, y1: number, x2: number, y2: number): unknown => ({
    type: "line",
    shape: { x1, y1, x2, y2 },
    style,
  });
  return {
    type: "group",
    children: [
      line(hi[0]!, hi[1]!, lo[0]!, lo[1]!),
      line(hi[0]! - half, hi[1]!, hi[0]! + half, hi[1]!),
      line(lo[0]! - half, lo[1]!, lo[0]! + half, lo[1]!),
    ],
  };
}

/** Cumulative conversions per arm by day, each arm's line carried flat over days it has no point for. */
export function timelineOption(exp: ExperimentResult, names: string[], axis: string): EChartsCoreOption {
  const days = [...new Set(exp.arms.flatMap((a) => a.timeline.map((p) => p.date)))].sort();
  const series = exp.arms.map((a, i) => {
    const byDay = new Map(a.timeline.map((p) => [p.date, p.converted]));
    let last = 0;
    return {
      type: "line",
      name: names[i],
      showSymbol: days.length < 20,
      data: days.map((d) => (last = byDay.get(d) ?? last)),
    };
  });
  return {
    animation: false,
    color: COLORS,
    grid: { left: 56, right: 16, top: 36, bottom: 32 },
    legend: { top: 0, textStyle: { color: "#3f3f46" } },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: days, boundaryGap: false, axisLabel: AXIS },
    yAxis: {
      type: "value",
      name: axis,
      nameLocation: "middle",
      nameGap: 40,
      nameTextStyle: AXIS,
      minInterval: 1,
      axisLabel: AXIS,
    },
    series,
  };
}
