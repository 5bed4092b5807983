// Members per year since 2020: bars for members, a line for the year's growth.
import type { ChartOption } from '../option-types.ts';
import { px, type ChartContext } from '../theme.ts';
import { animation, axisLabel, axisLine, splitLine, textStyle, tooltip, valueAxisTicks, type ValueFormat } from './common.ts';

export interface GrowthInput {
  years: readonly { year: number; value: number; growth: number | null }[];
  valueName: string;
  growthName: string;
  formatValue: ValueFormat;
  formatGrowth: ValueFormat;
}

const finite = (xs: readonly (number | null)[]) => xs.filter((v): v is number => v !== null && Number.isFinite(v));

export function growthOption(input: GrowthInput, ctx: ChartContext): ChartOption {
  const { theme } = ctx;
  // Each axis from zero over its own values, three intervals, labels distinct.
  const values = finite(input.years.map((y) => y.value));
  const growth = finite(input.years.map((y) => y.growth));
  const valueTicks = valueAxisTicks(Math.min(0, ...values), Math.max(0, ...values), input.formatValue, 3);
  const growthTicks = valueAxisTicks(Math.min(0, ...growth), Math.max(0, ...growth), input.formatGrowth, 3);
  return {
    ...animation,
    grid: { left: px(ctx, 8), right: px(ctx, 8), top: px(ctx, 34), bottom: px(ctx, 6), outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
    legend: { top: 0, right: 0, itemWidth: px(ctx, 14), itemHeight: px(ctx, 8), textStyle: textStyle(ctx, 12), data: [input.valueName, input.growthName] },
    ...tooltip(ctx, { trigger: 'axis' }),
    xAxis: { type: 'category', data: input.years.map((y) => String(y.year)), axisLabel: axisLabel(ctx, 11), axisLine: axisLine(ctx), axisTick: { show: false } },
    yAxis: [
      { type: 'value', min: valueTicks.min, max: valueTicks.max, interval: valueTicks.interval, axisLabel: { ...axisLabel(ctx, 11), formatter: valueTicks.formatter }, splitLine: splitLine(ctx) },
      { type: 'value', min: growthTicks.min, max: growthTicks.max, interval: growthTicks.interval, axisLabel: { ...axisLabel(ctx, 11), formatter: growthTicks.formatter }, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: input.valueName,
        barMaxWidth: px(ctx, 28),
        itemStyle: { color: theme.series[0], borderRadius: [px(ctx, 2), px(ctx, 2), 0, 0] },
        label: { show: true, position: 'top', ...textStyle(ctx, 11), formatter: (p: { value?: unknown }) => (typeof p.value === 'number' ? input.formatValue(p.value) : '') },
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? input.formatValue(v) : '—') },
        data: input.years.map((y) => y.value),
      },
      {
        type: 'line',
        name: input.growthName,
        yAxisIndex: 1,
        symbolSize: px(ctx, 6),
        itemStyle: { color: theme.series[2] },
        lineStyle: { color: theme.series[2], width: Math.max(1, 2 * ctx.scale) },
        tooltip: { valueFormatter: (v) => (typeof v === 'number' ? input.formatGrowth(v) : '—') },
        data: input.years.map((y) => y.growth),
      },
    ],
  };
}
