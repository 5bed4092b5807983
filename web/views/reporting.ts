// What the reporting pages (/submit, /review) share, pure: a cell's state as the pages show it, the
// period a reviewer opens on, the matrix grouped by city, and the names of streams. Deadlines, late
// and overdue are the server's (GET /api/reporting/status, from the reporting calendar); nothing here
// works them out again.
import type { ReportingCalendar, ReportingStatus, StatusCell, Stream, SubmissionStatus, UnitTree } from '../api/types.ts';

/** What a matrix cell says: the submission's status, or overdue when nothing came by the deadline. */
export type CellState = StatusCell['status'] | 'overdue';

export const CELL_STATES: readonly CellState[] = ['not_submitted', 'overdue', 'submitted', 'returned', 'approved', 'published'];

export function cellState(cell: Pick<StatusCell, 'status' | 'overdue'>): CellState {
  return cell.overdue && cell.status === 'not_submitted' ? 'overdue' : cell.status;
}

/** An icon beside the colour, so the state reads without colour (and in print). */
export const STATE_ICON: Record<CellState | 'late', string> = {
  not_submitted: '○',
  overdue: '!',
  submitted: '◔',
  returned: '↩',
  approved: '✓',
  published: '●',
  late: '△',
};

/** Submission statuses as the county's list shows them (with the two that end a submission's life). */
export const SUBMISSION_ICON: Record<SubmissionStatus, string> = {
  validated: '✎',
  submitted: STATE_ICON.submitted,
  returned: STATE_ICON.returned,
  approved: STATE_ICON.approved,
  published: STATE_ICON.published,
  discarded: '×',
  replaced: '⇢',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The last month that has ended on `today` (a reviewer's default: its reports are now due). */
export function lastEndedMonth(today: Date): string {
  const y = today.getFullYear();
  const m = today.getMonth(); // 0-based: the previous month, 1-based
  return m === 0 ? `${y - 1}-12` : `${y}-${pad(m)}`;
}

/** A period picker's value, or null when it is not YYYY-MM. */
export function monthOrNull(value: unknown): string | null {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : null;
}

/** The stream's name in the current language, from the calendar (the code when the calendar has not come). */
export function streamName(calendar: ReportingCalendar | null, stream: string, locale: string): string {
  const s = calendar?.streams.find((x) => x.stream === stream);
  if (!s) return stream;
  return locale === 'en' ? s.name_en : s.name_zh;
}

export type StatusRow = ReportingStatus['counties'][number];
export interface CityGroup {
  code: string;
  name: string;
  name_en: string;
  rows: StatusRow[];
}

/**
 * The matrix's counties under their cities, in the unit tree's order. A county the tree does not
 * name (it should not happen) is kept, under a group of its own, rather than dropped.
 */
export function groupByCity(status: ReportingStatus, units: UnitTree | null): CityGroup[] {
  const byCode = new Map(status.counties.map((c) => [c.county_code, c]));
  const groups: CityGroup[] = [];
  for (const city of units?.cities ?? []) {
    const rows = city.counties.map((c) => byCode.get(c.code)).filter((r): r is StatusRow => !!r);
    for (const r of rows) byCode.delete(r.county_code);
    if (rows.length) groups.push({ code: city.code, name: city.name, name_en: city.name_en, rows });
  }
  if (byCode.size) groups.push({ code: '', name: '', name_en: '', rows: [...byCode.values()] });
  return groups;
}

/** Keep the counties that have at least one cell in the state (all of them for null). */
export function filterByState(groups: CityGroup[], state: CellState | 'late' | null): CityGroup[] {
  if (!state) return groups;
  const has = (c: StatusCell) => (state === 'late' ? c.late : cellState(c) === state);
  return groups.map((g) => ({ ...g, rows: g.rows.filter((r) => r.cells.some(has)) })).filter((g) => g.rows.length);
}

/** Streams in the calendar's order (the upload's stream picker, the template links). */
export function calendarStreams(calendar: ReportingCalendar | null): Stream[] {
  return calendar?.streams.map((s) => s.stream) ?? [];
}

/**
 * A server timestamp (ISO, UTC) as officials read it, in China's time: 2026-12-06 16:40. Deadlines
 * are dates already (YYYY-MM-DD) and pass through.
 */
export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * "What it would change", as lines in the current language, from whatever form the detail gives it:
 * a sentence, a list of sentences, or objects carrying `*_zh` / `*_en` sentences. Nothing when absent.
 */
export function previewLines(preview: unknown, locale: string): string[] {
  if (preview === null || preview === undefined) return [];
  if (typeof preview === 'string') return preview ? [preview] : [];
  if (Array.isArray(preview)) return preview.flatMap((p) => previewLines(p, locale));
  if (typeof preview === 'object') {
    const o = preview as Record<string, unknown>;
    const suffix = locale === 'en' ? '_en' : '_zh';
    const own = Object.keys(o).filter((k) => k.endsWith(suffix) && typeof o[k] === 'string').map((k) => o[k] as string);
    if (own.length) return own;
    return Object.values(o).flatMap((v) => (typeof v === 'object' ? previewLines(v, locale) : []));
  }
  return [];
}

/** The months a reviewer can pick, newest first: this month, then `count` ended months before it. */
export function monthChoices(today: Date, count = 36): string[] {
  const out: string[] = [];
  for (let i = 0; i <= count; i++) {
    const d = new Date(today.getFullYear(), today.getMonth() - i, 1);
    out.push(`${d.getFullYear()}-${pad(d.getMonth() + 1)}`);
  }
  return out;
}

/** A month inside a reporting period (2026-10, 2026-Q3, 2026), to ask the status matrix about it. */
export function monthInPeriod(period: string): string | null {
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return period;
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `${q[1]}-${pad((Number(q[2]) - 1) * 3 + 1)}`;
  return /^\d{4}$/.test(period) ? `${period}-01` : null;
}
