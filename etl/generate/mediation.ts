// mediation: labour-dispute mediation cases, calibrated by quotas.
//
// For each year the Jan-Jul successes and their success rate are fixed (2023: 34,800 at 72.20%; 2022:
// 29,800 at 69.98%). Those totals are spread over the months unevenly: by the office season
// (season.ts: the Spring Festival by its lunar date, a back-wages push before it, the golden week, a
// December rush, busier summers), a slow rise towards next year's level and month-to-month noise; the
// monthly success rate moves too (higher when back wages are pushed, lower in the summer peak). Aug-Dec
// continue the same curve, uncalibrated. Each month's successes, failures and withdrawals are exact
// counts (largest remainder), split over the counties (largest remainder again) by their size and rate
// in that month: a level (quality), a direction of their own (trend: some improve, some slip) and
// county-month noise. So the published figures hold exactly at any scale while no two months or
// counties look alike. A case is drawn closed on a day of its month (by the season's daily weights) and
// received 1-90 (mostly 5-30) days before; a case that would close after the cutoff but was received by
// then is written as pending with no closed_date.
import { enums } from '../../core/contract.ts';
import { FIRST_YEAR, dayOf, daysInMonth, partsOf } from './calendar.ts';
import { qualityIn, volumeWeight } from './counties.ts';
import { enumIndex, type GenContext } from './context.ts';
import { Rng, allocate, cumulative, weighted } from './random.ts';
import { SeasonYear, type SeasonShape } from './season.ts';

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

/** Cases closed by month apart from the holidays: job changes after the festival, summer, the December rush. */
const season: SeasonShape = {
  months: [0, 1.0, 1.0, 1.1, 1.0, 0.98, 1.03, 1.07, 1.05, 1.0, 1.0, 1.06, 1.32],
  preFestival: 1.3,
  noise: 0.045,
};
/** Success rate offset by month in points: back wages settled in winter, the summer peak harder. */
const rateShape = [0, 0.6, -0.4, -0.2, 0, 0, -0.5, -0.8, -0.5, 0, 0.2, 0.4, 1.0];
const RATE_NOISE = 0.5; // points, month to month
const COUNTY_VOLUME_NOISE = 0.12;
const COUNTY_RATE_NOISE = 0.02;
/**
 * How far a county's rate sits from the province's per unit of quality (which itself drifts with the
 * trend, counties.ts), and the extra drift per year per unit of trend that makes slipping counties slip.
 */
const COUNTY_RATE_LEVEL = 0.07;
const COUNTY_RATE_DRIFT = 0.02;

const outcome = enumIndex(enums.mediationOutcome);
const disputeCum = cumulative([45, 15, 20, 10, 10]); // wages, social_insurance, contract, injury, other
const channelCum = cumulative([20, 40, 30, 10]); // court, union, hrss, other
const WITHDRAWN_SHARE = 0.05;

export interface MediationQuotas {
  success: Int32Array;
  failed: Int32Array;
  withdrawn: Int32Array;
  /** The province's success rate the month aims at (0-1), index 1..12: the counties' rates centre on it. */
  rate: Float64Array;
  season: SeasonYear;
}

/** Exact monthly quotas of a year (index 1..12) at a scale. */
export function mediationQuotas(year: number, scale: number, seed: number): MediationQuotas {
  const [s, ratePct] = mediationYear(year);
  const [sNext, rateNextPct] = mediationYear(year + 1);
  const rng = new Rng(seed, 'mediation-season', year);
  const sy = new SeasonYear(year, season, rng);
  const r = ratePct / 100;
  const slope = (rateNextPct - ratePct) / 100 / 12; // per month, centred on April (the middle of Jan-Jul)
  const growth = (sNext / s) ** (1 / 12);
  const rate = new Float64Array(13);
  const cases = new Float64Array(13);
  for (let m = 1; m <= 12; m++) {
    rate[m] = Math.max(0.3, Math.min(0.97, r + slope * (m - 4) + (rateShape[m]! + RATE_NOISE * rng.normal()) / 100));
    cases[m] = sy.months[m]! * growth ** (m - 4);
  }
  const sJJ = Math.round(s * scale);
  const fJJ = Math.round((sJJ * (1 - r)) / r);
  const wS = (m: number) => cases[m]! * rate[m]!;
  const wF = (m: number) => cases[m]! * (1 - rate[m]!);
  const months = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  const janJul = months(1, 7);
  const augDec = months(8, 12);
  // Aug-Dec at the level Jan-Jul set, per unit of season weight.
  const levelS = sJJ / janJul.reduce((a, m) => a + wS(m), 0);
  const levelF = fJJ / janJul.reduce((a, m) => a + wF(m), 0);
  const sAD = Math.round(levelS * augDec.reduce((a, m) => a + wS(m), 0));
  const fAD = Math.round(levelF * augDec.reduce((a, m) => a + wF(m), 0));
  const success = new Int32Array(13);
  const failed = new Int32Array(13);
  const withdrawn = new Int32Array(13);
  success.set(allocate(sJJ, janJul.map(wS)), 1);
  success.set(allocate(sAD, augDec.map(wS)), 8);
  failed.set(allocate(fJJ, janJul.map(wF)), 1);
  failed.set(allocate(fAD, augDec.map(wF)), 8);
  const wYear = Math.round(((sJJ + fJJ + sAD + fAD) * WITHDRAWN_SHARE) / (1 - WITHDRAWN_SHARE));
  withdrawn.set(allocate(wYear, months(1, 12).map((m) => cases[m]! * (1 + 0.1 * rng.normal()))), 1);
  return { success, failed, withdrawn, rate, season: sy };
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
    const q = mediationQuotas(year, scale, seed);
    const countyRng = new Rng(seed, 'mediation-counties', year);
    const wS = new Float64Array(n);
    const wF = new Float64Array(n);
    const wV = new Float64Array(n);
    const lagMode = new Float64Array(n);
    for (let month = 1; month <= 12; month++) {
      const first = dayOf(year, month, 1);
      if (first > window.cutoff + 120) break;
      const t = year + (month - 0.5) / 12;
      for (let i = 0; i < n; i++) {
        const vol = volumeWeight(counties, i, t) * Math.exp(COUNTY_VOLUME_NOISE * countyRng.normal());
        const qi = qualityIn(counties, i, t);
        const drift = COUNTY_RATE_DRIFT * counties.trend[i]! * (t - 2023);
        const r = Math.max(0.35, Math.min(0.95, q.rate[month]! + COUNTY_RATE_LEVEL * qi + drift + COUNTY_RATE_NOISE * countyRng.normal()));
        wS[i] = vol * r;
        wF[i] = vol * (1 - r);
        wV[i] = vol;
        lagMode[i] = 11 - 5 * qi;
      }
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
          const closed = q.season.dayIn(rng, month, dim);
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
