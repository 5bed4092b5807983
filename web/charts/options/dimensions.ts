// A county's five dimension scores against its city and the province, as grouped bars. Scores are in
// percent of each dimension's maximum (dimensions carry different weights, so raw points would
// mislead): the API gives them so.
import { formatPercent } from '../../../core/format.ts';
import type { ChartOption } from '../option-types.ts';
import { px, type ChartContext } from '../theme.ts';
import { animation, axisLabel, axisLine, splitLine, textStyle, tooltip } from './common.ts';

export interface DimensionInput {
  /** scores in percent of the dimension's maximum, null where not scored */
  dimensions: readonly { name: string; self: number | null; city: number | null; province: number | null }[];
  labels: { self: string; city: string; province: string };
}

export function dimensionBarsOption(input: DimensionInput, ctx: ChartContext): ChartOption {
  const { theme } = ctx;
  const names = input.dimensions.map((d) => d.name);
  const bar = (name: string, color: string, values: (number | null)[]) => ({
    type: 'bar' as const,
    name,
    barMaxWidth: px(ctx, 12),
    itemStyle: { color },
    data: values,
  });
  return {
    ...animation,
    grid: { left: px(ctx, 8), right: px(ctx, 16), top: px(ctx, 30), bottom: px(ctx, 6), outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
    legend: { top: 0, textStyle: textStyle(ctx, 12), itemWidth: px(ctx, 14), itemHeight: px(ctx, 8) },
    ...tooltip(ctx, { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (typeof v === 'number' ? formatPercent(v, 1) : formatPercent(null)) }),
    xAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { ...axisLabel(ctx, 11), formatter: (v: number) => formatPercent(v, 0) }, splitLine: splitLine(ctx) },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: axisLabel(ctx, 12), axisLine: axisLine(ctx), axisTick: { show: false } },
    series: [
      bar(input.labels.self, theme.series[0], input.dimensions.map((d) => d.self)),
      bar(input.labels.city, theme.series[2], input.dimensions.map((d) => d.city)),
      bar(input.labels.province, theme.series[1], input.dimensions.map((d) => d.province)),
    ],
  };
}

/** The county's rank over recent periods: rank 1 at the top. */
export function rankTrendOption(input: { periods: readonly string[]; ranks: readonly (number | null)[]; of: number; name: string }, ctx: ChartContext): ChartOption {
  // Rank 1 at the top; the axis runs to the number of units ranked.
  const { theme } = ctx;
  return {
    ...animation,
    grid: { left: px(ctx, 8), right: px(ctx, 16), top: px(ctx, 16), bottom: px(ctx, 6), outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
    ...tooltip(ctx, { trigger: 'axis' }),
    xAxis: { type: 'category', data: [...input.periods], axisLabel: axisLabel(ctx, 11), axisLine: axisLine(ctx), axisTick: { show: false } },
    yAxis: { type: 'value', inverse: true, min: 1, max: input.of, minInterval: 1, axisLabel: axisLabel(ctx, 11), splitLine: splitLine(ctx) },
    series: [
      {
        type: 'line',
        name: input.name,
        data: [...input.ranks],
        symbolSize: px(ctx, 7),
        itemStyle: { color: theme.accent },
        lineStyle: { color: theme.accent, width: Math.max(1, 2 * ctx.scale) },
        label: { show: true, position: 'top', ...textStyle(ctx, 11) },
      },
    ],
  };
}
