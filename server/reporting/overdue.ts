// The 催报 list: the reports a reviewer has to chase for a month, from the status matrix: a stream
// overdue (deadline passed, nothing sent) or returned and not sent again. One row per county and stream,
// longest overdue first, rendered by the exports' XLSX renderer.
import type { CalendarEntry } from '../../core/reporting-calendar.ts';
import { t, type Lang, type Report, type Row } from '../exports/report.ts';
import type { CountyStatus } from './status.ts';

const DAY = 86_400_000;

/** Whole days from the end of the deadline day (UTC+8) to `now`; 0 before the deadline has passed. */
export function daysOverdue(deadline: string, now: string): number {
  const endOfDay = Date.parse(`${deadline}T23:59:59.999+08:00`);
  return Math.max(0, Math.ceil((Date.parse(now) - endOfDay) / DAY));
}

export interface OverdueInput {
  month: string;
  counties: CountyStatus[];
  /** county code → its city's name */
  cityOf: Map<string, string>;
  calendar: CalendarEntry[];
  lang: Lang;
  now: string;
}

export function overdueReport(x: OverdueInput): Report {
  const streamName = new Map<string, string>(x.calendar.map((e) => [e.stream, x.lang === 'en' ? e.nameEn : e.nameZh]));
  const rows: Row[] = [];
  for (const c of x.counties) {
    for (const cell of c.cells) {
      if (!cell.overdue && cell.status !== 'returned') continue;
      rows.push({
        city: x.cityOf.get(c.county_code) ?? null,
        county_code: c.county_code,
        county: c.county_name,
        stream: streamName.get(cell.stream) ?? cell.stream,
        period: cell.period,
        deadline: cell.deadline,
        days: cell.deadline ? daysOverdue(cell.deadline, x.now) : null,
        status: cell.overdue ? t(x.lang, '逾期未报', 'overdue, not sent') : t(x.lang, '已退回，待重报', 'returned, not sent again'),
      });
    }
  }
  rows.sort((a, b) => Number(b.days ?? -1) - Number(a.days ?? -1) || String(a.county_code).localeCompare(String(b.county_code)));
  return {
    filename: `overdue-${x.month}`,
    title: t(x.lang, `催报清单 ${x.month}`, `Reports to chase, ${x.month}`),
    notes: [
      t(x.lang, `截至 ${x.now.slice(0, 16).replace('T', ' ')} UTC：逾期未报，或已退回尚未重报`, `As of ${x.now.slice(0, 16).replace('T', ' ')} UTC: past the deadline and not sent, or returned and not sent again`),
    ],
    columns: [
      { key: 'city', header: t(x.lang, '市', 'City'), type: 'text' },
      { key: 'county_code', header: t(x.lang, '县区代码', 'County code'), type: 'text' },
      { key: 'county', header: t(x.lang, '县区', 'County'), type: 'text' },
      { key: 'stream', header: t(x.lang, '报表', 'Report'), type: 'text' },
      { key: 'period', header: t(x.lang, '报告期', 'Period'), type: 'text' },
      { key: 'deadline', header: t(x.lang, '截止日期', 'Deadline'), type: 'text' },
      { key: 'days', header: t(x.lang, '逾期天数', 'Days overdue'), type: 'integer' },
      { key: 'status', header: t(x.lang, '状态', 'Status'), type: 'text' },
    ],
    rows,
    lang: x.lang,
  };
}
