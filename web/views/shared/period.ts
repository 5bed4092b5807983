// View logic more than one view needs (the wall, the analyst workbench, the county page): which
// month a page shows, and a monthly series laid out January..December. Pure functions.
import type { MediationSuccessRate } from '../../api/types.ts';

/** The month a page shows by default: the month of the newest data. */
export function wallPeriod(newestData: string | null | undefined, now = new Date()): { year: number; month: number; period: string } {
  const iso = newestData && /^\d{4}-\d{2}/.test(newestData) ? newestData : now.toISOString();
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return { year, month, period: `${year}-${String(month).padStart(2, '0')}` };
}

/** Twelve values (January..December) of a monthly success-rate series for one year, as the API gives them; null where absent. */
export function monthlyRates(series: MediationSuccessRate['series'], year: number): (number | null)[] {
  const out: (number | null)[] = Array(12).fill(null);
  for (const p of series ?? []) {
    if (Number(p.key.slice(0, 4)) !== year) continue;
    const m = Number(p.key.slice(5, 7));
    if (m >= 1 && m <= 12) out[m - 1] = p.rate;
  }
  return out;
}
