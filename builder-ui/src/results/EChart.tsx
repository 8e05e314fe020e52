/**
 * Apache ECharts, tree-shaken to what the results and overview pages draw (bars, lines, areas, heatmaps,
 * custom error bars on a canvas). Only their lazily loaded chunks import this file, so the editor's bundle
 * does not carry it.
 */
import { useEffect, useRef } from "react";
// echarts' `use` registers chart parts; it is not React's `use` hook.
import { init, use as registerChartParts } from "echarts/core";
import type { ECharts, EChartsCoreOption } from "echarts/core";
import { BarChart, CustomChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

registerChartParts([
  BarChart,
  LineChart,
  CustomChart,
  HeatmapChart,
  VisualMapComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export function EChart({
  option,
  height,
  testId,
  label,
  onClick,
}: {
  option: EChartsCoreOption;
  /** Called with a clicked data item's value (the overview's RFM cells open their customers). */
  onClick?: ((value: unknown) => void) | undefined;
  height: number;
  testId: string;
  /** What the chart shows, for screen readers (the numbers are in the table beside it). */
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = init(node, undefined, { renderer: "canvas" });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(node);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const handler = (p: { value?: unknown }) => onClick(p.value);
    c.on("click", handler);
    return () => {
      c.off("click", handler);
    };
  }, [onClick]);

  return (
    <div ref={el} className="echart" style={{ height }} data-testid={testId} role="img" aria-label={label} />
  );
}
