// The twelve months of a year as an axis reads them, with the current month marked partial while it
// runs: the snapshot's newest data date (/api/meta) says how far it goes. A date fact, not a KPI.
import { formatMonth, type Locale } from '../../core/format.ts';

/** The day the data reaches when `newestData` (YYYY-MM-DD) falls inside year-month before its last day; else null. */
export function partialDay(newestData: string | null | undefined, year: number, month: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(newestData ?? '');
  if (!m || Number(m[1]) !== year || Number(m[2]) !== month) return null;
  const day = Number(m[3]);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day < lastDay ? day : null;
}

/** Labels for `months` (1-12) of `year`; the partial one says "12月(截至6日)" and is returned by index. */
export function monthAxis(year: number, months: readonly number[], newestData: string | null | undefined, locale: Locale): { labels: string[]; partialIndex: number | null } {
  let partialIndex: number | null = null;
  const labels = months.map((month, i) => {
    const day = partialDay(newestData, year, month);
    if (day !== null) partialIndex = i;
    return formatMonth(month, locale, day);
  });
  return { labels, partialIndex };
}

/** January to December. */
export const TWELVE_MONTHS: readonly number[] = Array.from({ length: 12 }, (_, i) => i + 1);
