// Pieces every builder shares: text, axes and tooltip styled from the theme and scaled for the screen.
import type { TooltipComponentOption } from 'echarts/components';
import { niceScale } from '../../../core/format.ts';
import { px, type ChartContext } from '../theme.ts';

export const textStyle = (ctx: ChartContext, size = 13) => ({
  color: ctx.theme.text,
  fontFamily: ctx.theme.fontFamily,
  fontSize: px(ctx, size),
});

/** The chart's `tooltip` option styled from the theme, or nothing where the theme has no tooltips (the wall). */
export const tooltip = (ctx: ChartContext, options: TooltipComponentOption): { tooltip?: TooltipComponentOption } =>
  ctx.theme.tooltips
    ? {
        tooltip: {
          backgroundColor: ctx.theme.tooltipBg,
          borderColor: ctx.theme.tooltipBorder,
          borderWidth: 1,
          padding: [px(ctx, 6), px(ctx, 10)],
          textStyle: textStyle(ctx, 13),
          confine: true,
          ...options,
        },
      }
    : {};

export const axisLabel = (ctx: ChartContext, size = 12) => ({
  color: ctx.theme.muted,
  fontFamily: ctx.theme.fontFamily,
  fontSize: px(ctx, size),
});

export const axisLine = (ctx: ChartContext) => ({ lineStyle: { color: ctx.theme.axis, width: Math.max(1, ctx.scale) } });

export const splitLine = (ctx: ChartContext) => ({ lineStyle: { color: ctx.theme.grid, width: Math.max(1, ctx.scale) } });

/** Animations: short and quiet on a wall that redraws every few minutes. */
export const animation = { animationDuration: 600, animationDurationUpdate: 400, animationEasing: 'cubicOut' as const };

/**
 * How a chart shows its values, through core/format.ts. Axis ticks pass `decimals` (from the tick
 * step, so neighbouring ticks never print the same label); tooltips and bar labels leave it out and
 * get the value's own precision.
 */
export type ValueFormat = (v: number, decimals?: number) => string;

/** An explicit value axis (min, max, interval) and a tick formatter whose labels are all distinct. */
export function valueAxisTicks(lo: number, hi: number, format: ValueFormat, count = 4) {
  const s = niceScale(lo, hi, count);
  return { min: s.min, max: s.max, interval: s.interval, formatter: (v: number) => format(v, s.decimals) };
}
