// The mediation success rate month by month, this year against last year, with the target.
import type { ChartOption } from '../option-types.ts';
import { px, type ChartContext } from '../theme.ts';
import { animation, axisLabel, axisLine, splitLine, textStyle, tooltip } from './common.ts';

export interface YearOverYearInput {
  /** axis labels, one per month: "1月" or "Jan" */
  months: readonly string[];
  current: { label: string; values: readonly (number | null)[] };
  previous: { label: string; values: readonly (number | null)[] } | null;
  target?: { value: number; label: string } | null;
  format: (v: number) => string;
  /** y axis range; by default it hugs the data (rates of 60-80% should not sit on a 0-100 axis) */
  min?: number;
  max?: number;
}

/** A y-axis range around the values with some air, on whole numbers. */
export function hugRange(values: readonly (number | null)[], pad = 0.15): { min: number; max: number } {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (!v.length) return { min: 0, max: 100 };
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const span = Math.max(hi - lo, 1);
  return { min: Math.floor(lo - span * pad), max: Math.ceil(hi + span * pad) };
}

export function yearOverYearOption(input: YearOverYearInput, ctx: ChartContext): ChartOption {
  const { theme } = ctx;
  const all = [...input.current.values, ...(input.previous?.values ?? []), ...(input.target ? [input.target.value] : [])];
  const range = hugRange(all);
  const line = (color: string, width: number, dashed = false) => ({
    color,
    width: Math.max(1, width * ctx.scale),
    type: dashed ? ('dashed' as const) : ('solid' as const),
  });
  return {
    ...animation,
    grid: { left: px(ctx, 8), right: px(ctx, 16), top: px(ctx, 34), bottom: px(ctx, 6), outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
    legend: {
      top: 0,
      right: 0,
      itemWidth: px(ctx, 16),
      itemHeight: px(ctx, 8),
      textStyle: textStyle(ctx, 12),
      data: [input.current.label, ...(input.previous ? [input.previous.label] : [])],
    },
    tooltip: { ...tooltip(ctx), trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? input.format(v) : '—') },
    xAxis: { type: 'category', boundaryGap: false, data: [...input.months], axisLabel: axisLabel(ctx, 11), axisLine: axisLine(ctx), axisTick: { show: false } },
    yAxis: {
      type: 'value',
      min: input.min ?? range.min,
      max: input.max ?? range.max,
      splitNumber: 4,
      axisLabel: { ...axisLabel(ctx, 11), formatter: (v: number) => input.format(v) },
      splitLine: splitLine(ctx),
    },
    series: [
      {
        type: 'line',
        name: input.current.label,
        data: [...input.current.values],
        smooth: 0.25,
        smoothMonotone: 'x',
        symbol: 'circle',
        symbolSize: px(ctx, 6),
        itemStyle: { color: theme.series[0] },
        lineStyle: line(theme.series[0], 2.5),
        areaStyle: { color: theme.series[0], opacity: 0.12 },
        connectNulls: false,
        markLine: input.target
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { color: theme.warn, type: 'dashed', width: Math.max(1, ctx.scale) },
              label: { ...textStyle(ctx, 11), color: theme.warn, position: 'insideEndTop', formatter: input.target.label },
              data: [{ yAxis: input.target.value }],
            }
          : undefined,
      },
      ...(input.previous
        ? [
            {
              type: 'line' as const,
              name: input.previous.label,
              data: [...input.previous.values],
              smooth: 0.25,
              smoothMonotone: 'x' as const,
              symbol: 'none',
              itemStyle: { color: theme.series[1] },
              lineStyle: line(theme.series[1], 1.5, true),
            },
          ]
        : []),
    ],
  };
}
