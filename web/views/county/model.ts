// The county view's reading of a scorecard: pure functions, tested without a browser.
import type { Scorecard, ScorecardIndicator } from '../../api/types.ts';

/** Worst first: the indicators that cost the most points, then by code. */
export function byPointsLost(indicators: readonly ScorecardIndicator[]): ScorecardIndicator[] {
  return [...indicators].sort((a, b) => b.points_lost - a.points_lost || a.code.localeCompare(b.code));
}

/** The plain-words explanations of the indicators that lost points, most costly first. */
export function explanations(sc: Scorecard, locale: 'zh-CN' | 'en', max = 6): string[] {
  return byPointsLost(sc.indicators)
    .filter((i) => i.points_lost > 0)
    .slice(0, max)
    .map((i) => (locale === 'en' ? i.explanation_en : i.explanation_zh))
    .filter((s) => s.length > 0);
}

/** Width of an attainment bar, 0..100 (attainment above 100% fills the bar). */
export function attainmentWidth(attainment: number | null): number {
  if (attainment === null || !Number.isFinite(attainment)) return 0;
  return Math.max(0, Math.min(100, attainment));
}

/** The change in rank since the previous period: positive = moved up. */
export function rankChange(now: number, previous: number | null): number | null {
  return previous === null ? null : previous - now;
}
