// The wall's mediation trend and member growth charts drawn on the server, at the sizes a screen's
// panels have and in its language, so its cold load paints them before any chart code has run
// (web/views/wall/useServerCharts.ts asks for them; EChart `firstPaint` shows them until ECharts
// draws over them when the browser is idle). Nothing is drawn by other code than the screen's: the
// inputs are built from the wall's own answer by web/views/wall/chartInputs.ts, the options by
// web/charts/options (the wall's dark theme at the screen's root scale), the text in the screen's
// language from its message tables.
import type { Locale } from '../../core/format.ts';
import { growthOption } from '../../web/charts/options/growth.ts';
import { yearOverYearOption } from '../../web/charts/options/trend.ts';
import { darkTheme, type ChartContext } from '../../web/charts/theme.ts';
import en from '../../web/i18n/en.ts';
import { translatorFor } from '../../web/i18n/translate.ts';
import zhCN from '../../web/i18n/zh-CN.ts';
import { memberGrowthInput, mediationTrendInput } from '../../web/views/wall/chartInputs.ts';
import type { WallResponse } from '../schemas/wall.ts';
import { renderSvg } from './wall-svg.ts';

/** A chart's box on the screen, in CSS pixels. */
export interface ChartBox {
  width: number;
  height: number;
}

export interface WallChartsRequest {
  lang: Locale;
  /** the screen's root scale (its root font size / 16): text and lines are drawn at the screen's sizes */
  scale: number;
  mediation_trend?: ChartBox;
  member_growth?: ChartBox;
}

export interface WallChartsSvg {
  mediation_trend: string | null;
  member_growth: string | null;
}

/** The charts asked for (a size given) drawn from `wall`; null for a chart not asked for, and member growth without members. */
export async function wallChartsSvg(wall: WallResponse, req: WallChartsRequest): Promise<WallChartsSvg> {
  const language = { t: translatorFor(req.lang, { 'zh-CN': zhCN, en }), locale: req.lang };
  const ctx: ChartContext = { theme: darkTheme, scale: req.scale };
  const trend = req.mediation_trend;
  const growth = req.member_growth;
  const growthInput = growth ? memberGrowthInput(wall, language) : null;
  return {
    mediation_trend: trend ? await renderSvg(yearOverYearOption(mediationTrendInput(wall, language), ctx), trend.width, trend.height) : null,
    member_growth: growth && growthInput ? await renderSvg(growthOption(growthInput, ctx), growth.width, growth.height) : null,
  };
}
