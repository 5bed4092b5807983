// Dates as integer day numbers (days since 1970-01-01, UTC), with precomputed text for every date
// format the contract allows, so hot loops format a date by one array lookup.

export type DateFormat = 'iso' | 'slash' | 'dot' | 'zh';
export const dateFormats: readonly DateFormat[] = ['iso', 'slash', 'dot', 'zh'];

export const FIRST_YEAR = 2020;
const MS_PER_DAY = 86_400_000;

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function partsOf(day: number): [year: number, month: number, day: number] {
  const d = new Date(day * MS_PER_DAY);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** A date in any contract form; `formatDate(dayOf(2023, 7, 1), 'zh')` is `2023年7月1日`. */
export function formatDate(day: number, format: DateFormat): string {
  const [y, m, d] = partsOf(day);
  return formatParts(y, m, d, format);
}

/** Formats a (possibly impossible) calendar date, e.g. 2023-02-30 for a bad row. */
export function formatParts(y: number, m: number, d: number, format: DateFormat): string {
  switch (format) {
    case 'iso':
      return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    case 'slash':
      return `${y}/${m}/${d}`;
    case 'dot':
      return `${y}.${m}.${d}`;
    case 'zh':
      return `${y}年${m}月${d}日`;
  }
}

/** Text of every day in [first, last] in one format, indexed by day - first. */
export class DateTable {
  private readonly tables = new Map<DateFormat, string[]>();
  constructor(
    readonly first: number,
    readonly last: number,
  ) {}

  strings(format: DateFormat): string[] {
    let table = this.tables.get(format);
    if (!table) {
      table = [];
      for (let day = this.first; day <= this.last; day++) table.push(formatDate(day, format));
      this.tables.set(format, table);
    }
    return table;
  }
}

/** The generation window: 2020-01-01 up to the cutoff, the earlier of the end of `until` and today. */
export interface Window {
  until: string; // YYYY-MM
  untilYear: number;
  untilMonth: number;
  /** First day of data (2020-01-01). */
  start: number;
  /** Last day any date may take: min(end of the until month, today). */
  cutoff: number;
  cutoffYear: number;
  cutoffMonth: number;
  years: number[];
}

export function makeWindow(until: string | undefined, today: Date): Window {
  const todayDay = dayOf(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
  const u = until ?? `${today.getUTCFullYear()}-${String(today.getUTCMonth() + 1).padStart(2, '0')}`;
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(u);
  if (!match) throw new Error(`until: expected YYYY-MM, got "${u}"`);
  const untilYear = Number(match[1]);
  const untilMonth = Number(match[2]);
  if (untilYear < FIRST_YEAR) throw new Error(`until: ${u} is before ${FIRST_YEAR}-01, where the data starts`);
  const cutoff = Math.min(dayOf(untilYear, untilMonth, daysInMonth(untilYear, untilMonth)), todayDay);
  const start = dayOf(FIRST_YEAR, 1, 1);
  if (cutoff < start) throw new Error(`until: ${u} leaves no days before today`);
  const [cutoffYear, cutoffMonth] = partsOf(cutoff);
  const years: number[] = [];
  for (let y = FIRST_YEAR; y <= cutoffYear; y++) years.push(y);
  return { until: u, untilYear, untilMonth, start, cutoff, cutoffYear, cutoffMonth, years };
}
