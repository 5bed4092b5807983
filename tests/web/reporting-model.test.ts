// The reporting pages' pure rules (web/views/reporting.ts): what a matrix cell says, the month a
// reviewer opens on, the matrix under its cities, the status filter, times in China's time, and the
// "what it would change" lines in the current language.
import { describe, expect, it } from 'vitest';
import type { ReportingStatus, StatusCell, UnitTree } from '../../web/api/types.ts';
import { cellState, chinaTime, filterByState, groupByCity, lastEndedMonth, monthChoices, monthInPeriod, monthOrNull, previewLines, STATE_ICON } from '../../web/views/reporting.ts';

const cell = (over: Partial<StatusCell>): StatusCell => ({
  stream: 'mediation', period: '2026-11', deadline: '2026-12-10', status: 'not_submitted', late: false, overdue: false, submission_id: null, ...over,
});

describe('a matrix cell', () => {
  it('says overdue when nothing came by the deadline, otherwise its status', () => {
    expect(cellState(cell({ overdue: true }))).toBe('overdue');
    expect(cellState(cell({}))).toBe('not_submitted');
    expect(cellState(cell({ status: 'returned' }))).toBe('returned');
    expect(cellState(cell({ status: 'published', late: true }))).toBe('published');
  });
  it('every state has its own icon, so it reads without colour', () => {
    const icons = Object.values(STATE_ICON);
    expect(new Set(icons).size).toBe(icons.length);
  });
});

describe('the period a reviewer opens on', () => {
  it('is the month that has just ended, across the year end', () => {
    expect(lastEndedMonth(new Date(2026, 11, 6))).toBe('2026-11');
    expect(lastEndedMonth(new Date(2027, 0, 3))).toBe('2026-12');
  });
  it('the picker offers this month and the ended ones before it, newest first', () => {
    expect(monthChoices(new Date(2026, 0, 15), 2)).toEqual(['2026-01', '2025-12', '2025-11']);
  });
  it("a submission's period is asked about by a month inside it", () => {
    expect([monthInPeriod('2026-10'), monthInPeriod('2026-Q3'), monthInPeriod('2025'), monthInPeriod('bad')]).toEqual(['2026-10', '2026-07', '2025-01', null]);
  });
  it('a picked month is kept only when it is YYYY-MM', () => {
    expect(monthOrNull('2026-10')).toBe('2026-10');
    expect(monthOrNull('2026-13')).toBeNull();
    expect(monthOrNull(['2026-10'])).toBeNull();
  });
});

const row = (code: string, name: string, cells: StatusCell[]) => ({ county_code: code, county_name: name, cells });
const status = {
  period: '2026-11',
  streams: ['mediation'],
  counties: [row('450203', '鱼峰区', [cell({ overdue: true })]), row('450102', '兴宁区', [cell({ status: 'submitted', submission_id: 7, late: true })]), row('459999', '未知县', [cell({})])],
  totals: { counties: 3, complete: 1, overdue: 1, by_stream: [] },
} satisfies ReportingStatus;
const names = (code: string, name: string) => ({ code, name, short_name: name, name_en: code, pinyin: code });
const units = {
  province: names('450000', '广西'),
  cities: [
    { ...names('450100', '南宁市'), counties: [{ ...names('450102', '兴宁区'), kind: 'district' }] },
    { ...names('450200', '柳州市'), counties: [{ ...names('450203', '鱼峰区'), kind: 'district' }] },
  ],
} satisfies UnitTree;

describe('the matrix by city', () => {
  it("puts counties under their cities in the tree's order and keeps one the tree does not name", () => {
    const groups = groupByCity(status, units);
    expect(groups.map((g) => [g.name, g.rows.map((r) => r.county_code)])).toEqual([
      ['南宁市', ['450102']],
      ['柳州市', ['450203']],
      ['', ['459999']],
    ]);
  });
  it('the status filter keeps counties with a cell in that state, late included', () => {
    const groups = groupByCity(status, units);
    expect(filterByState(groups, 'overdue').flatMap((g) => g.rows.map((r) => r.county_code))).toEqual(['450203']);
    expect(filterByState(groups, 'late').flatMap((g) => g.rows.map((r) => r.county_code))).toEqual(['450102']);
    expect(filterByState(groups, null)).toBe(groups);
  });
});

describe('times and previews', () => {
  it("a server timestamp reads in China's time; a date passes through", () => {
    expect(chinaTime('2026-12-05T17:30:00.000Z')).toBe('2026-12-06 01:30');
    expect(chinaTime('2026-12-10')).toBe('2026-12-10');
    expect(chinaTime(null)).toBe('—');
  });
  it('the preview gives the sentences in the current language, whatever its form', () => {
    const p = [{ sentence_zh: '兴宁区 1–7月 调解成功率 76.4% → 80.0%', sentence_en: 'Xingning Jan–Jul success rate 76.4% → 80.0%' }];
    expect(previewLines(p, 'zh-CN')).toEqual(['兴宁区 1–7月 调解成功率 76.4% → 80.0%']);
    expect(previewLines(p, 'en')).toEqual(['Xingning Jan–Jul success rate 76.4% → 80.0%']);
    expect(previewLines('+5 行，替换 2 行', 'en')).toEqual(['+5 行，替换 2 行']);
    expect(previewLines(undefined, 'zh-CN')).toEqual([]);
  });
});
