// What a composite stands for on the pages (web/views/scoreScope.ts), with the real i18n messages.
import { describe, expect, it } from 'vitest';
import en from '../../web/i18n/en.ts';
import { createI18n } from '../../web/i18n/translate.ts';
import zhCN from '../../web/i18n/zh-CN.ts';
import { coverageLabel, periodLabel, scopeFromQuery } from '../../web/views/scoreScope.ts';

const translator = (locale: 'zh-CN' | 'en') => {
  const i18n = createI18n({ locale, messages: { 'zh-CN': zhCN, en } });
  return (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {});
};
const zh = translator('zh-CN');
const english = translator('en');

describe('score scope', () => {
  it('?score=final asks for the final result; anything else is the year to date', () => {
    expect(scopeFromQuery({ score: 'final' })).toBe('final');
    expect(scopeFromQuery({})).toBe('ytd');
    expect(scopeFromQuery({ score: 'x' })).toBe('ytd');
  });

  it('names the last complete year 年度终评 and the running year 年初至今', () => {
    expect(periodLabel(zh, { period: '2025', period_scope: 'final' })).toBe('2025 年度终评');
    expect(periodLabel(zh, { period: '2026', period_scope: 'year_to_date' })).toBe('2026 年初至今');
    expect(periodLabel(english, { period: '2025', period_scope: 'final' })).toBe('2025 final result');
    expect(periodLabel(zh, { period: '2026-Q2', period_scope: 'quarter' })).toBe('2026-Q2');
    expect(periodLabel(zh, { period: '2024', period_scope: 'year' })).toBe('2024');
  });

  it('says how many of 47 (or 88) indicators the composite covers, as a range when units differ', () => {
    expect(coverageLabel(zh, [{ indicators_scored: 16, indicators_total: 47 }])).toBe('综合得分覆盖 16/47 项指标');
    expect(coverageLabel(english, [{ indicators_scored: 16, indicators_total: 47 }])).toBe('Composite covers 16 of 47 indicators');
    const rows = [15, 16, 16].map((n) => ({ indicators_scored: n, indicators_total: 47 }));
    expect(coverageLabel(zh, rows)).toBe('综合得分覆盖 15–16/47 项指标');
    expect(coverageLabel(zh, [])).toBeNull();
  });
});
