// Pieces every builder shares: text, axes and tooltip styled from the theme and scaled for the screen.
import { px, type ChartContext } from '../theme.ts';

export const textStyle = (ctx: ChartContext, size = 13) => ({
  color: ctx.theme.text,
  fontFamily: ctx.theme.fontFamily,
  fontSize: px(ctx, size),
});

export const tooltip = (ctx: ChartContext) => ({
  backgroundColor: ctx.theme.tooltipBg,
  borderColor: ctx.theme.tooltipBorder,
  borderWidth: 1,
  padding: [px(ctx, 6), px(ctx, 10)],
  textStyle: textStyle(ctx, 13),
  confine: true,
});

export const axisLabel = (ctx: ChartContext, size = 12) => ({
  color: ctx.theme.muted,
  fontFamily: ctx.theme.fontFamily,
  fontSize: px(ctx, size),
});

export const axisLine = (ctx: ChartContext) => ({ lineStyle: { color: ctx.theme.axis, width: Math.max(1, ctx.scale) } });

export const splitLine = (ctx: ChartContext) => ({ lineStyle: { color: ctx.theme.grid, width: Math.max(1, ctx.scale) } });

/** Animations: short and quiet on a wall that redraws every few minutes. */
export const animation = { animationDuration: 600, animationDurationUpdate: 400, animationEasing: 'cubicOut' as const };
