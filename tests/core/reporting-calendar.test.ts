// The reporting calendar: the committed file parses, bad rows are refused naming their line, and
// deadlines fall on the given day of the month after the period, clamped to the month's end.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadlineOf, isLate, parseCalendar, periodContaining, STREAMS, type CalendarEntry } from '../../core/reporting-calendar.ts';

const HEAD = 'stream,period,deadline_day,name_zh,name_en\n';
const committed = readFileSync(path.join(import.meta.dirname, '../../fixtures/reference/reporting-calendar.csv'), 'utf8');
const entry = (over: Partial<CalendarEntry>): CalendarEntry => ({ stream: 'mediation', period: 'monthly', deadlineDay: 10, nameZh: '调解', nameEn: 'Mediation', ...over });

describe('parseCalendar', () => {
  it('reads the committed calendar: one entry per stream', () => {
    const cal = parseCalendar(committed);
    expect(cal.map((e) => e.stream).sort()).toEqual([...STREAMS].sort());
    expect(cal.find((e) => e.stream === 'mediation')).toEqual(entry({ nameZh: '劳动争议调解案件', nameEn: 'Labour-dispute mediation cases' }));
    expect(cal.find((e) => e.stream === 'indicator_value')?.period).toBe('catalog');
  });

  it('refuses bad rows naming the line', () => {
    const rest = committed.split('\n').slice(2).join('\n');
    expect(() => parseCalendar(HEAD + 'mediation,weekly,10,a,b\n' + rest)).toThrow('line 2: period must be one of monthly, quarterly, annual, catalog, found "weekly"');
    expect(() => parseCalendar(HEAD + 'mediation,monthly,32,a,b\n' + rest)).toThrow('line 2: deadline_day must be a day of the month 1-31, found "32"');
    expect(() => parseCalendar(HEAD + 'mediaton,monthly,10,a,b\n')).toThrow('line 2: unknown stream "mediaton"');
    expect(() => parseCalendar(HEAD + 'mediation,monthly,10,a,b\nmediation,monthly,10,a,b\n')).toThrow('line 3: stream "mediation" is listed twice');
    expect(() => parseCalendar(HEAD + 'training,catalog,10,a,b\n')).toThrow("line 2: only indicator_value follows the catalog's periods");
    expect(() => parseCalendar(HEAD + 'mediation,monthly,10,a,b\n')).toThrow('no entry for insurance_enrolment');
    expect(() => parseCalendar('stream,deadline\n')).toThrow('line 1: header must be');
  });
});

describe('deadlines', () => {
  it('falls on the day of the month after the period ends', () => {
    expect(deadlineOf(entry({}), '2023-07')).toBe('2023-08-10');
    expect(deadlineOf(entry({}), '2023-12')).toBe('2024-01-10');
    expect(deadlineOf(entry({ period: 'quarterly', deadlineDay: 15 }), '2023-Q2')).toBe('2023-07-15');
    expect(deadlineOf(entry({ period: 'annual', deadlineDay: 15 }), '2023')).toBe('2024-01-15');
  });

  it('is clamped to the last day of a short month', () => {
    expect(deadlineOf(entry({ deadlineDay: 31 }), '2024-01')).toBe('2024-02-29');
    expect(deadlineOf(entry({ deadlineDay: 31 }), '2023-01')).toBe('2023-02-28');
    expect(deadlineOf(entry({ deadlineDay: 31 }), '2023-03')).toBe('2023-04-30');
  });

  it('a catalog stream takes the period each row gives; others only their own kind', () => {
    const catalog = entry({ stream: 'indicator_value', period: 'catalog', deadlineDay: 15 });
    expect(deadlineOf(catalog, '2023-Q3')).toBe('2023-10-15');
    expect(deadlineOf(catalog, '2023')).toBe('2024-01-15');
    expect(() => deadlineOf(entry({}), '2023-Q3')).toThrow('mediation is reported monthly: "2023-Q3" does not fit');
  });

  it('the period containing a month follows the stream\'s kind', () => {
    expect(periodContaining('monthly', '2023-05')).toBe('2023-05');
    expect(periodContaining('quarterly', '2023-05')).toBe('2023-Q2');
    expect(periodContaining('annual', '2023-05')).toBe('2023');
  });

  it('is late only after the deadline day has ended in China (UTC+8)', () => {
    expect(isLate('2023-08-10', '2023-08-10T15:59:59Z')).toBe(false); // 23:59:59 in Nanning
    expect(isLate('2023-08-10', '2023-08-10T16:00:01Z')).toBe(true); // 00:00:01 on the 11th
  });
});
