// What a composite shown on a page stands for, shared by the wall's rankings panel, the analyst view
// and the county page: the year to date or the last complete year's final result (?score=final, which
// the API resolves: period=final), how the period is named (the API's period_scope), and how many
// indicators the composite covers (the engine's indicators_scored of indicators_total).
import type { LocationQuery } from 'vue-router';

export type ScoreScope = 'ytd' | 'final';

/** ?score=final asks for the last complete year; anything else is the year to date. */
export const scopeFromQuery = (q: LocationQuery): ScoreScope => (q.score === 'final' ? 'final' : 'ytd');

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** '2025 年度终评' for the last complete year, '2026 年初至今' for the running year (the API's period_scope), else the period. */
export function periodLabel(t: Translate, p: { period: string; period_scope: string }): string {
  if (p.period_scope === 'final') return t('scores.final', { year: p.period });
  if (p.period_scope === 'year_to_date') return t('scores.yearToDate', { year: p.period });
  return p.period;
}

/** "综合得分覆盖 16/47 项指标" (a range when units differ, e.g. a pilot indicator applies to some). */
export function coverageLabel(t: Translate, rows: { indicators_scored: number; indicators_total: number }[]): string | null {
  if (!rows.length) return null;
  const scored = rows.map((r) => r.indicators_scored);
  const [low, high, total] = [Math.min(...scored), Math.max(...scored), rows[0].indicators_total];
  return low === high ? t('scores.coverage', { scored: low, total }) : t('scores.coverageRange', { low, high, total });
}
