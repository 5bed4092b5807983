// The mediation success rate month by month, this year against last year, with the target. The
// current month, not yet over, is drawn as a dashed last segment with a hollow point, so a partial
// month reads as partial (its axis label says so: "12月(截至6日)") rather than as a collapse.
import type { ChartOption } from '../option-types.ts';
import { px, type ChartContext } from '../theme.ts';
import { animation, axisLabel, axisLine, splitLine, textStyle, tooltip, valueAxisTicks, type ValueFormat } from './common.ts';

export interface YearOverYearInput {
  /** axis labels, one per month: "1月" or "Jan"; the partial month's says how far it goes */
  months: readonly string[];
  current: { label: string; values: readonly (number | null)[] };
  previous: { label: string; values: readonly (number | null)[] } | null;
  target?: { value: number; label: string } | null;
  format: ValueFormat;
  /** index of the current month when it is not over yet (its value covers only part of it) */
  partialIndex?: number | null;
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
  const ticks = valueAxisTicks(input.min ?? range.min, input.max ?? range.max, input.format);
  const p = input.partialIndex ?? null;
  const partial = p !== null && p > 0 && p < input.current.values.length && input.current.values[p] !== null ? p : null;
  // The solid line stops before the partial month; a dashed segment joins it to the partial point.
  const solid = input.current.values.map((v, i) => (partial !== null && i >= partial ? null : v));
  const dashed = input.current.values.map((v, i) => (partial !== null && (i === partial || i === partial - 1) ? v : null));
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
    ...tooltip(ctx, { trigger: 'axis', formatter: (params: unknown) => tooltipText(params as TooltipParam[], input.format) }),
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: [...input.months],
      // The partial month's label is never the one dropped for room: every other month, counted from it.
      axisLabel: { ...axisLabel(ctx, 11), ...(partial !== null ? { interval: (i: number) => (partial - i) % 2 === 0 } : {}) },
      axisLine: axisLine(ctx),
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      min: ticks.min,
      max: ticks.max,
      interval: ticks.interval,
      axisLabel: { ...axisLabel(ctx, 11), formatter: ticks.formatter },
      splitLine: splitLine(ctx),
    },
    series: [
      {
        type: 'line',
        name: input.current.label,
        data: solid,
        smooth: 0.25,
        smoothMonotone: 'x',
        symbol: 'circle',
        symbolSize: px(ctx, 6),
        itemStyle: { color: theme.series[0] },
        lineStyle: line(theme.series[0], 2.5),
        areaStyle: { color: theme.series[0], opacity: 0.12 },
        connectNulls: false,
      },
      ...(partial !== null
        ? [
            {
              type: 'line' as const,
              name: input.current.label,
              data: dashed,
              symbol: 'emptyCircle',
              symbolSize: px(ctx, 7),
              itemStyle: { color: theme.series[0] },
              lineStyle: line(theme.series[0], 2.5, true),
              connectNulls: false,
            },
          ]
        : []),
      // The target: a flat dashed line labelled at its right end (a line series, not a mark line: the
      // wall then needs no mark-line code), outside the legend and the tooltip.
      ...(input.target
        ? [
            {
              type: 'line' as const,
              id: TARGET_ID,
              name: input.target.label,
              data: input.months.map((_, i) =>
                i === input.months.length - 1
                  ? { value: input.target!.value, label: { show: true, position: 'top' as const, align: 'right' as const, ...textStyle(ctx, 11), color: theme.warn, formatter: input.target!.label } }
                  : input.target!.value,
              ),
              silent: true,
              symbol: 'circle',
              symbolSize: 0,
              itemStyle: { color: theme.warn },
              lineStyle: { color: theme.warn, type: 'dashed' as const, width: Math.max(1, ctx.scale) },
              emphasis: { disabled: true },
            },
          ]
        : []),
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

const TARGET_ID = 'target';

interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  axisValueLabel?: string;
  marker?: string;
  value?: unknown;
}

/** The axis tooltip: the month, then each line once (the partial segment repeats this year's name). */
function tooltipText(params: TooltipParam[], format: ValueFormat): string {
  const seen = new Set<string>();
  const lines = params.flatMap((p) => {
    const name = p.seriesName ?? '';
    if (p.seriesId === TARGET_ID || seen.has(name) || typeof p.value !== 'number') return [];
    seen.add(name);
    return [`${p.marker ?? ''}${name} <b>${format(p.value)}</b>`];
  });
  return [params[0]?.axisValueLabel ?? '', ...lines].join('<br/>');
}
