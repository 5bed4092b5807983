// mediation: labour-dispute mediation cases, calibrated by quotas.
//
// For each year: successes in Jan-Jul and their success rate are fixed (2023: 34,800 at 72.20%;
// 2022: 29,800 at 69.98%), Aug-Dec follows the same level with the seasonal profile. Each month's
// successes, failures and withdrawals are exact counts (largest remainder by season), split over the
// counties by size and quality (largest remainder again), so published figures hold exactly at any
// scale instead of drifting with binomial noise. A case is drawn closed on a day of its month and
// received 1-90 (mostly 5-30) days before; a case that would close after the cutoff but was received
// by then is written as pending with no closed_date.
import { enums } from '../../core/contract.ts';
import { FIRST_YEAR, dayOf, daysInMonth, partsOf, seasonality } from './calendar.ts';
import { qualityIn, volumeWeight } from './counties.ts';
import { enumIndex, type GenContext } from './context.ts';
import { Rng, allocate, cumulative, weighted } from './random.ts';

/** Jan-Jul successes at scale 1 and the Jan-Jul success rate in percent, by closed_date. */
export const mediationCalibration: Record<number, [successes: number, rate: number]> = {
  2020: [24_600, 66.4],
  2021: [27_300, 68.1],
  2022: [29_800, 69.98],
  2023: [34_800, 72.2],
  2024: [36_900, 73.1],
  2025: [38_500, 73.8],
  2026: [39_800, 74.3],
};

export function mediationYear(year: number): [number, number] {
  const known = mediationCalibration[year];
  if (known) return known;
  const last = Math.max(...Object.keys(mediationCalibration).map(Number));
  const [s, r] = mediationCalibration[last]!;
  const ahead = year - last;
  return [Math.round(s * 1.03 ** ahead), Math.min(80, r + 0.4 * ahead)];
}

const outcome = enumIndex(enums.mediationOutcome);
const disputeCum = cumulative([45, 15, 20, 10, 10]); // wages, social_insurance, contract, injury, other
const channelCum = cumulative([20, 40, 30, 10]); // court, union, hrss, other
const WITHDRAWN_SHARE = 0.05;

/** Exact monthly quotas of a year (index 1..12). */
function monthlyQuotas(year: number, scale: number): { success: Int32Array; failed: Int32Array; withdrawn: Int32Array } {
  const [s, rate] = mediationYear(year);
  const r = rate / 100;
  const janJul: number[] = seasonality.slice(1, 8);
  const augDec: number[] = seasonality.slice(8, 13);
  const sumJJ = janJul.reduce((a, b) => a + b, 0);
  const sumAD = augDec.reduce((a, b) => a + b, 0);
  const sJJ = Math.round(s * scale);
  const fJJ = Math.round((sJJ * (1 - r)) / r);
  const rAD = r + 0.003;
  const sAD = Math.round(s * scale * (sumAD / sumJJ));
  const fAD = Math.round((sAD * (1 - rAD)) / rAD);
  const success = new Int32Array(13);
  const failed = new Int32Array(13);
  const withdrawn = new Int32Array(13);
  success.set(allocate(sJJ, janJul), 1);
  success.set(allocate(sAD, augDec), 8);
  failed.set(allocate(fJJ, janJul), 1);
  failed.set(allocate(fAD, augDec), 8);
  const wYear = Math.round(((sJJ + fJJ + sAD + fAD) * WITHDRAWN_SHARE) / (1 - WITHDRAWN_SHARE));
  withdrawn.set(allocate(wYear, seasonality.slice(1)), 1);
  return { success, failed, withdrawn };
}

export function generateMediation(ctx: GenContext): void {
  const { counties, window, scale, seed } = ctx;
  const n = counties.codes.length;
  const rng = new Rng(seed, 'mediation');
  const seq = new Map<number, number>();
  const v: any[] = new Array(9);
  const outcomes = new Int8Array(4096);
  const start = dayOf(FIRST_YEAR, 1, 1);
  // Months closing after the cutoff still yield the cases received by then: pending.
  const lastYear = window.cutoffYear + 1;
  for (let year = FIRST_YEAR; year <= lastYear; year++) {
    const q = monthlyQuotas(year, scale);
    const rate = mediationYear(year)[1] / 100;
    const wS = new Float64Array(n);
    const wF = new Float64Array(n);
    const wV = new Float64Array(n);
    const lagMode = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const vol = volumeWeight(counties, i, year);
      const qi = qualityIn(counties, i, year);
      const r = Math.max(0.35, Math.min(0.95, rate + 0.07 * qi));
      wS[i] = vol * r;
      wF[i] = vol * (1 - r);
      wV[i] = vol;
      lagMode[i] = 11 - 5 * qi;
    }
    for (let month = 1; month <= 12; month++) {
      const first = dayOf(year, month, 1);
      if (first > window.cutoff + 120) break;
      const dim = daysInMonth(year, month);
      const s = allocate(q.success[month]!, wS);
      const f = allocate(q.failed[month]!, wF);
      const w = allocate(q.withdrawn[month]!, wV);
      for (let i = 0; i < n; i++) {
        const total = s[i]! + f[i]! + w[i]!;
        if (total === 0) continue;
        // Outcomes in a random order within the county-month, not all successes first.
        const list = total <= outcomes.length ? outcomes : new Int8Array(total);
        let k = 0;
        for (let j = 0; j < s[i]!; j++) list[k++] = outcome.success!;
        for (let j = 0; j < f[i]!; j++) list[k++] = outcome.failed!;
        for (let j = 0; j < w[i]!; j++) list[k++] = outcome.withdrawn!;
        for (let j = total - 1; j > 0; j--) {
          const x = rng.int(j + 1);
          const t = list[j]!;
          list[j] = list[x]!;
          list[x] = t;
        }
        for (let j = 0; j < total; j++) {
          const closed = first + rng.int(dim);
          const u = rng.float();
          const lag = u < 0.12 ? rng.range(1, 4) : u < 0.95 ? Math.round(rng.triangular(5, lagMode[i]!, 30)) : rng.range(31, 90);
          const received = Math.max(start, closed - lag);
          if (received > window.cutoff) continue;
          const pending = closed > window.cutoff;
          const o = pending ? outcome.pending! : list[j]!;
          const fileYear = partsOf(pending ? received : closed)[0];
          const id = (seq.get(fileYear) ?? 0) + 1;
          seq.set(fileYear, id);
          const workersU = rng.float();
          const workers = workersU < 0.6 ? 1 : workersU < 0.85 ? rng.range(2, 5) : workersU < 0.98 ? rng.range(6, 50) : rng.range(51, 300);
          const hasAmount = rng.float() < (o === outcome.success ? 0.92 : o === outcome.failed ? 0.75 : 0.55);
          v[0] = `TJ${fileYear}${String(id).padStart(6, '0')}`;
          v[1] = counties.codes[i];
          v[2] = received;
          v[3] = pending ? -1 : closed;
          v[4] = weighted(rng, disputeCum);
          v[5] = weighted(rng, channelCum);
          v[6] = o;
          v[7] = workers;
          v[8] = hasAmount ? workers * rng.range(1_500, 30_000) * 100 + (rng.chance(0.3) ? rng.int(100) : 0) : -1;
          ctx.file('mediation', fileYear).row(v);
        }
      }
    }
  }
}
