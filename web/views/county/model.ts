// The county view's reading of a scorecard: pure functions, tested without a browser.
import type { Scorecard, ScorecardIndicator } from '../../api/types.ts';

/** Worst first: the indicators that cost the most points (not scored: last), then by code. */
export function byPointsLost(indicators: readonly ScorecardIndicator[]): ScorecardIndicator[] {
  return [...indicators].sort((a, b) => (b.points_lost ?? -1) - (a.points_lost ?? -1) || a.code.localeCompare(b.code));
}

/**
 * The plain-words explanations of the indicators that lost points, most costly first, each led by
 * the indicator's name unless the sentence already says it.
 */
export function explanations(sc: Scorecard, locale: 'zh-CN' | 'en', max = 6): string[] {
  return byPointsLost(sc.indicators)
    .filter((i) => (i.points_lost ?? 0) > 0)
    .slice(0, max)
    .map((i) => {
      const sentence = locale === 'en' ? i.explanation_en : i.explanation_zh;
      const name = locale === 'en' ? i.name_en : i.name_zh;
      if (!sentence || !name || sentence.includes(name)) return sentence;
      return locale === 'en' ? `${name}: ${sentence}` : `${name}：${sentence}`;
    })
    .filter((s) => s.length > 0);
}

/** Width of an attainment bar, 0..100 (attainment above 100% fills the bar). */
export function attainmentWidth(attainment: number | null): number {
  if (attainment === null || !Number.isFinite(attainment)) return 0;
  return Math.max(0, Math.min(100, attainment));
}

/**
 * "已收 44/47 份，其中集中导入 30 份，迟报 2，缺报 3，截止后更正 1" as numbers for the data-quality card:
 * only county submissions can be late; central loads and corrections are counted apart.
 */
export function reportsSummary(dq: Scorecard['data_quality']): {
  received: number; expected: number; central: number; late: number; missing: number; corrected: number; complete: boolean;
} {
  return {
    received: dq.reports_received,
    expected: dq.reports_expected,
    central: dq.reports_central,
    late: dq.reports_late,
    missing: dq.reports_missing,
    corrected: dq.reports_corrected,
    complete: dq.reports_missing === 0 && dq.notes.length === 0,
  };
}
