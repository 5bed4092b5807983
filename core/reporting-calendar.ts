// The reporting calendar (fixtures/reference/reporting-calendar.csv): for each stream, how often a
// county reports it and by which day of the following month. One reviewed file; the API serves it and
// the status matrix and lateness are worked out from it, nothing repeats it. Pure and IO-free, so the
// server, the web client and the tests share it.
//
// Periods are written as the contract writes them: 2023-07 (month), 2023-Q3 (quarter), 2023 (year).
// The deadline is day `deadline_day` of the month after the period ends, clamped to that month's last
// day (31 in a February means 28 or 29), and holds until the end of that day in China (UTC+8).

export const STREAMS = ['mediation', 'insurance_enrolment', 'insurance_claim', 'assistance', 'training', 'funding', 'indicator_value'] as const;
export type CalendarStream = (typeof STREAMS)[number];

export const PERIOD_KINDS = ['monthly', 'quarterly', 'annual', 'catalog'] as const;
/** `catalog`: each row follows its indicator's period in the indicator catalog (indicator values). */
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface CalendarEntry {
  stream: CalendarStream;
  period: PeriodKind;
  deadlineDay: number;
  nameZh: string;
  nameEn: string;
}

const HEADER = ['stream', 'period', 'deadline_day', 'name_zh', 'name_en'];

/** Parse the calendar; any bad row throws naming its line and what is wrong. */
export function parseCalendar(text: string): CalendarEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const head = lines[0].split(',').map((s) => s.trim());
  if (head.join(',') !== HEADER.join(',')) throw new Error(`reporting calendar line 1: header must be ${HEADER.join(',')}, found ${lines[0]}`);
  const out: CalendarEntry[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const cells = raw.split(',').map((s) => s.trim());
    const bad = (what: string) => new Error(`reporting calendar line ${line}: ${what}`);
    if (cells.length !== HEADER.length) throw bad(`expected ${HEADER.length} fields, found ${cells.length}`);
    const [stream, period, day, nameZh, nameEn] = cells;
    if (!(STREAMS as readonly string[]).includes(stream)) throw bad(`unknown stream "${stream}" (one of ${STREAMS.join(', ')})`);
    if (out.some((e) => e.stream === stream)) throw bad(`stream "${stream}" is listed twice`);
    if (!(PERIOD_KINDS as readonly string[]).includes(period)) throw bad(`period must be one of ${PERIOD_KINDS.join(', ')}, found "${period}"`);
    if (period === 'catalog' && stream !== 'indicator_value') throw bad('only indicator_value follows the catalog\'s periods');
    if (!/^\d{1,2}$/.test(day) || Number(day) < 1 || Number(day) > 31) throw bad(`deadline_day must be a day of the month 1-31, found "${day}"`);
    if (!nameZh || !nameEn) throw bad('name_zh and name_en are required');
    out.push({ stream: stream as CalendarStream, period: period as PeriodKind, deadlineDay: Number(day), nameZh, nameEn });
  });
  const missing = STREAMS.filter((s) => !out.some((e) => e.stream === s));
  if (missing.length) throw new Error(`reporting calendar: no entry for ${missing.join(', ')}`);
  return out;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

/** The kind of a period label, or null when it is not one. */
export function kindOfPeriod(period: string): Exclude<PeriodKind, 'catalog'> | null {
  return MONTH.test(period) ? 'monthly' : QUARTER.test(period) ? 'quarterly' : YEAR.test(period) ? 'annual' : null;
}

/** The last month (year, month 1-12) of a period label. */
function lastMonth(period: string): [number, number] {
  let m = MONTH.exec(period);
  if (m) return [Number(m[1]), Number(m[2])];
  if ((m = QUARTER.exec(period))) return [Number(m[1]), Number(m[2]) * 3];
  if ((m = YEAR.exec(period))) return [Number(m[1]), 12];
  throw new Error(`not a period: "${period}" (2023-07, 2023-Q3 or 2023)`);
}

/** The period of `kind` that contains the month `YYYY-MM` (catalog: the month itself). */
export function periodContaining(kind: PeriodKind, month: string): string {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: "${month}" (YYYY-MM)`);
  if (kind === 'quarterly') return `${m[1]}-Q${Math.ceil(Number(m[2]) / 3)}`;
  if (kind === 'annual') return m[1];
  return month;
}

/** Does `period` fit the entry (a catalog stream takes any of the three kinds)? */
export function fitsEntry(entry: CalendarEntry, period: string): boolean {
  const kind = kindOfPeriod(period);
  return kind !== null && (entry.period === 'catalog' || entry.period === kind);
}

/** The deadline of `period` for `entry`, as a date YYYY-MM-DD (clamped to the month's last day). */
export function deadlineOf(entry: CalendarEntry, period: string): string {
  if (!fitsEntry(entry, period)) throw new Error(`${entry.stream} is reported ${entry.period}: "${period}" does not fit`);
  const [y, m] = lastMonth(period);
  const year = m === 12 ? y + 1 : y;
  const month = m === 12 ? 1 : m + 1;
  const monthEnd = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(entry.deadlineDay, monthEnd);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Was an instant (ISO string) after the end of the deadline day in China (UTC+8)? */
export function isLate(deadline: string, at: string): boolean {
  const endOfDay = Date.parse(`${deadline}T23:59:59.999+08:00`);
  return Date.parse(at) > endOfDay;
}

/** The month before `now` in China (UTC+8), as YYYY-MM: the latest month a report can be due for. */
export function lastEndedMonth(now = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const d = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
