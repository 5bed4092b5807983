// The reporting status of a month: for each county and stream, where its report for the period
// containing that month stands, whether it was first submitted after the deadline, and whether it is
// overdue (deadline passed, nothing submitted). Periods and deadlines come from the reporting calendar.
import { deadlineOf, isLate, periodContaining, type CalendarEntry } from '../../core/reporting-calendar.ts';
import type { AppDb } from '../appdb/db.ts';
import { submissionsForPeriods, type SubmissionRow } from '../appdb/submissions.ts';

export type CellStatus = 'not_submitted' | 'submitted' | 'returned' | 'approved' | 'published';

export interface StatusCell {
  stream: string;
  period: string;
  deadline: string | null;
  status: CellStatus;
  late: boolean;
  overdue: boolean;
  submission_id: number | null;
}

export interface CountyStatus {
  county_code: string;
  county_name: string;
  cells: StatusCell[];
}

/** The periods a month falls in for an entry: its own kind's, or for a catalog stream all three. */
function periodsOf(entry: CalendarEntry, month: string): string[] {
  if (entry.period !== 'catalog') return [periodContaining(entry.period, month)];
  return [month, periodContaining('quarterly', month), periodContaining('annual', month)];
}

const SHOWN: Partial<Record<SubmissionRow['status'], CellStatus>> = {
  submitted: 'submitted',
  returned: 'returned',
  approved: 'approved',
  published: 'published',
};

export function reportingStatus(
  db: AppDb,
  calendar: CalendarEntry[],
  month: string,
  counties: { code: string; name: string }[],
  now: string = new Date().toISOString(),
) {
  const all = calendar.flatMap((e) => periodsOf(e, month));
  const only = counties.length === 1 ? counties[0].code : undefined;
  const subs = submissionsForPeriods(db, [...new Set(all)], only);
  const rows: CountyStatus[] = counties.map((c) => ({
    county_code: c.code,
    county_name: c.name,
    cells: calendar.map((entry) => {
      const periods = periodsOf(entry, month);
      const mine = subs.filter((s) => s.county_code === c.code && s.stream === entry.stream && periods.includes(s.period));
      // The newest submission that has been sent for review tells where the report stands.
      const shown = mine.filter((s) => SHOWN[s.status]).at(-1);
      const period = shown?.period ?? periods[0];
      // A catalog stream's indicators each have their own period: only a submission names its deadline.
      const deadline = entry.period === 'catalog' && !shown ? null : deadlineOf(entry, period);
      const first = mine.map((s) => s.first_submitted_at).filter((x): x is string => !!x).sort()[0];
      return {
        stream: entry.stream,
        period,
        deadline,
        status: shown ? SHOWN[shown.status]! : 'not_submitted',
        late: !!first && !!deadline && isLate(deadline, first),
        overdue: !first && !!deadline && isLate(deadline, now),
        submission_id: shown?.id ?? null,
      };
    }),
  }));
  const totals = {
    counties: counties.length,
    /** counties that have sent every stream of the month for review */
    complete: rows.filter((r) => r.cells.every((c) => c.status !== 'not_submitted')).length,
    /** counties with at least one report past its deadline and not sent */
    overdue: rows.filter((r) => r.cells.some((c) => c.overdue)).length,
    by_stream: calendar.map((e, i) => ({
      stream: e.stream,
      submitted: rows.filter((r) => r.cells[i].status !== 'not_submitted').length,
      late: rows.filter((r) => r.cells[i].late).length,
      overdue: rows.filter((r) => r.cells[i].overdue).length,
    })),
  };
  return { period: month, streams: calendar.map((e) => e.stream), counties: rows, totals };
}
