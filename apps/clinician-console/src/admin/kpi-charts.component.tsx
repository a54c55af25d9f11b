/**
 * The KPI charts, and the only module that imports ECharts: the KPI page loads it lazily, so the
 * chart library stays out of the bundle every other clinician downloads. Core plus the two chart
 * types and four components used here, not the whole library.
 */
import EChartsReactCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

type Option = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface Series {
  name: string;
  values: number[];
  color: string;
  /** Drawn as a line on the right-hand axis (a share, in %). */
  percent?: boolean;
  stack?: string;
}

/** Bars per category (departments, months), optionally with a percentage line on a second axis. */
export function KpiBarChart({
  categories,
  series,
  testId,
}: {
  categories: string[];
  series: Series[];
  testId: string;
}) {
  const hasPercent = series.some((s) => s.percent);
  const option: Option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: hasPercent ? 56 : 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0 } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      ...(hasPercent ? [{ type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } }] : []),
    ],
    series: series.map((s): BarSeriesOption | LineSeriesOption =>
      s.percent
        ? { type: 'line', name: s.name, data: s.values, yAxisIndex: 1, color: s.color, smooth: true }
        : { type: 'bar', name: s.name, data: s.values, color: s.color, stack: s.stack, barMaxWidth: 36 },
    ),
  };
  return (
    <div data-testid={testId} data-chart-ready="true">
      <EChartsReactCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height: 300 }}
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}

export default KpiBarChart;
