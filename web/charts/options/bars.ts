// Ranked horizontal bars: the 14 cities on the reform index, counties by mediation success, and the
// analyst's ranking. Highest at the top; an optional target line.
import type { ChartOption } from '../option-types.ts';
import { px, type ChartContext } from '../theme.ts';
import { animation, axisLabel, axisLine, splitLine, textStyle, tooltip, valueAxisTicks, type ValueFormat } from './common.ts';

export interface RankedBarInput {
  rows: readonly { code: string; name: string; value: number | null }[];
  seriesName: string;
  /** values at the bar ends and in the tooltip; axis ticks with the decimals their step needs */
  format: ValueFormat;
  target?: { value: number; label: string } | null;
  /** the code to highlight */
  selected?: string | null;
  /** fix the axis (e.g. 0..100 for scores) */
  min?: number;
  max?: number;
  /** values at the bar ends */
  showValues?: boolean;
  /** at most this many bars in view, the best first; the rest scroll into it (wheel, touch, a slim
   * slider). The desk's alone: charts/desk.ts registers the scrolling. */
  window?: number;
}

export function rankedBarOption(input: RankedBarInput, ctx: ChartContext): ChartOption {
  const { theme } = ctx;
  // ECharts draws the first category at the bottom: reverse so the best is on top.
  const rows = [...input.rows].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity)).reverse();
  // Bars grow from zero; the axis covers the values and the target.
  const values = [...rows.map((r) => r.value), input.target?.value ?? null].filter((v): v is number => v !== null && Number.isFinite(v));
  const ticks = valueAxisTicks(input.min ?? Math.min(0, ...values), input.max ?? Math.max(0, ...values), input.format);
  const scroll = input.window !== undefined && rows.length > input.window;
  // The best are last (see above): the view starts on them.
  const view = scroll ? { startValue: rows.length - input.window!, endValue: rows.length - 1, zoomLock: true, filterMode: 'empty' as const } : null;
  return {
    ...animation,
    grid: { left: px(ctx, 8), right: px(ctx, (input.showValues === false ? 12 : 56) + (scroll ? 16 : 0)), top: px(ctx, 8), bottom: px(ctx, 8), outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const },
    ...tooltip(ctx, { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => (typeof v === 'number' ? input.format(v) : '—') }),
    xAxis: {
      type: 'value',
      min: ticks.min,
      max: ticks.max,
      interval: ticks.interval,
      axisLabel: { ...axisLabel(ctx, 11), formatter: ticks.formatter },
      splitLine: splitLine(ctx),
      axisLine: { show: false },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      // every name while scrolling: the window is sized for them
      axisLabel: { ...axisLabel(ctx, 12), ...(scroll ? { interval: 0 } : {}) },
      axisLine: axisLine(ctx),
      axisTick: { show: false },
    },
    ...(view
      ? {
          dataZoom: [
            { type: 'inside', yAxisIndex: 0, ...view, zoomOnMouseWheel: false, moveOnMouseWheel: true, moveOnMouseMove: true },
            { type: 'slider', yAxisIndex: 0, ...view, right: px(ctx, 2), width: px(ctx, 10), showDetail: false, showDataShadow: false, brushSelect: false, handleSize: 0, borderColor: 'transparent' },
          ],
        }
      : {}),
    series: [
      {
        type: 'bar',
        name: input.seriesName,
        barMaxWidth: px(ctx, 14),
        itemStyle: { color: theme.accent, borderRadius: [0, px(ctx, 2), px(ctx, 2), 0] },
        label: {
          show: input.showValues !== false,
          position: 'right',
          ...textStyle(ctx, 11),
          color: theme.text,
          formatter: (p: { value?: unknown }) => (typeof p.value === 'number' ? input.format(p.value) : ''),
        },
        data: rows.map((r) => ({
          value: r.value,
          code: r.code,
          ...(r.code === input.selected ? { itemStyle: { color: theme.warn } } : {}),
        })),
        markLine: input.target
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { color: theme.warn, type: 'dashed', width: Math.max(1, ctx.scale) },
              label: { ...textStyle(ctx, 11), color: theme.warn, formatter: input.target.label, position: 'end' },
              data: [{ xAxis: input.target.value }],
            }
          : undefined,
      },
    ],
  };
}
