// What the wall's mediation trend and member growth charts draw, from GET /api/wall's answer, in one
// language: the panels (MediationTrendPanel, MemberGrowthPanel) and the server's drawings of them
// (server/services/wall-charts-svg.ts, a cold load's first paint) both build their options from
// these, so the picture a screen paints first and the chart ECharts draws over it say the same. Pure.
import { formatPercent, formatQuantity, type Locale } from '../../../core/format.ts';
import type { Wall } from '../../api/types.ts';
import type { GrowthInput } from '../../charts/options/growth.ts';
import type { YearOverYearInput } from '../../charts/options/trend.ts';
import { monthAxis, TWELVE_MONTHS } from '../../format/months.ts';
import type { Translate } from '../../i18n/translate.ts';
import { monthlyRates, wallPeriod } from '../shared/period.ts';

/** The language a chart is drawn in: its translator and its locale (month names, 万/亿). */
export interface ChartLanguage {
  t: Translate;
  locale: Locale;
}

/** The wall's charts that are drawn on the server for a cold load's first paint, by panel. */
export const SERVER_DRAWN = ['mediation-trend', 'member-growth'] as const;
export type ServerDrawn = (typeof SERVER_DRAWN)[number];

/** The mediation success rate by month, this year against last year, with the province's target. */
export function mediationTrendInput(w: Wall, { t, locale }: ChartLanguage): YearOverYearInput {
  const p = wallPeriod(w.month);
  const last = w.mediation.last_year;
  // The target of the province's tile (the catalog indicator computing the same metric), if any.
  const target = w.overview.kpis.find((k) => k.key === 'mediation_rate')?.target ?? null;
  const axis = monthAxis(p.year, TWELVE_MONTHS, w.snapshot.newest_data, locale);
  return {
    months: axis.labels,
    partialIndex: axis.partialIndex,
    current: { label: t('wall.thisYear', { year: p.year }), values: monthlyRates(w.mediation.this_year.series, p.year) },
    previous: last ? { label: t('wall.lastYear', { year: p.year - 1 }), values: monthlyRates(last.series, p.year - 1) } : null,
    target: target !== null ? { value: target, label: `${t('wall.target')} ${formatPercent(target, 0)}` } : null,
    format: (v, d) => formatPercent(v, d ?? 1),
  };
}

/** Since 2020, the year the federation's mutual-aid drive started counting (1.44 million members). */
const FROM_YEAR = 2020;

/** Members per year since 2020 with the year's growth; null when no year has members. */
export function memberGrowthInput(w: Wall, { t, locale }: ChartLanguage): GrowthInput | null {
  const years = w.members.years.filter((y) => y.year >= FROM_YEAR && y.members > 0);
  if (!years.length) return null;
  return {
    years: years.map((y) => ({ year: y.year, value: y.members, growth: y.growth })),
    valueName: t('analyst.columns.members'),
    growthName: t('analyst.columns.growth'),
    formatValue: (v) => formatQuantity(v, 'count', locale),
    formatGrowth: (v, d) => formatPercent(v, d ?? 1),
  };
}
