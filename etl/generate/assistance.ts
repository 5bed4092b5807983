// assistance: hardship assistance cases (困难职工帮扶), tens of thousands a year at scale 1, slowly
// falling as hardship eases. Peaks in the four weeks before the Spring Festival (the "send warmth"
// visits, by the festival's lunar date) and in December; months and county-months vary with noise, and
// counties drift with their trend. The share of cases referred through the one-window service
// (一门受理转介) rises year by year, faster in better counties. Resolved and exited cases carry a closed_date after opened_date; a case whose closing
// would fall after the cutoff is still active, with no closed_date.
import { enums } from '../../core/contract.ts';
import { dayOf, daysInMonth } from './calendar.ts';
import { qualityIn, volumeWeight } from './counties.ts';
import { enumIndex, monthSpan, type GenContext } from './context.ts';
import { Rng, allocate, cumulative, weighted } from './random.ts';
import { SeasonYear, type SeasonShape } from './season.ts';

export const assistanceCases: Record<number, number> = {
  2020: 32_000,
  2021: 35_000,
  2022: 33_500,
  2023: 31_000,
  2024: 29_000,
  2025: 27_500,
  2026: 26_000,
};
const season: SeasonShape = {
  months: [0, 1.15, 1.05, 0.9, 0.85, 0.85, 0.9, 0.9, 0.9, 1.0, 0.9, 1.0, 1.35],
  preFestival: 1.6,
  noise: 0.06,
};
const COUNTY_NOISE = 0.15;

const level = enumIndex(enums.hardshipLevel);
const channel = enumIndex(enums.assistanceChannel);
const status = enumIndex(enums.assistanceStatus);
const levelCum = cumulative([22, 63, 15]); // deep, relative, sudden
// Causes by level: illness, disability, schooling, unemployment, disaster, other.
const causeCum = [
  cumulative([40, 25, 10, 10, 5, 10]),
  cumulative([30, 10, 25, 20, 3, 12]),
  cumulative([35, 10, 0, 5, 40, 10]),
];
/** Aid in yuan per level: [low, high, rounding step]. */
const aidRange: [number, number, number][] = [];
aidRange[level.deep!] = [3_000, 20_000, 100];
aidRange[level.relative!] = [1_000, 6_000, 50];
aidRange[level.sudden!] = [2_000, 30_000, 100];

export function generateAssistance(ctx: GenContext): void {
  const { counties, window, scale, seed } = ctx;
  const n = counties.codes.length;
  const v: any[] = new Array(9);
  for (const year of window.years) {
    const rng = new Rng(seed, 'assistance', year);
    const w = ctx.file('assistance', year);
    const total = Math.round((assistanceCases[year] ?? 26_000 * 0.96 ** (year - 2026)) * scale);
    const sy = new SeasonYear(year, season, new Rng(seed, 'assistance-season', year));
    const months = allocate(total, sy.months.subarray(1));
    const weights = new Float64Array(n);
    const referral = new Float64Array(n);
    const online = 0.06 + 0.03 * (year - 2020);
    const resolve = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const q = qualityIn(counties, i, year);
      referral[i] = Math.max(0.02, Math.min(0.65, 0.08 + 0.055 * (year - 2020) + 0.06 * q));
      resolve[i] = 0.62 + 0.12 * q;
    }
    let seq = 0;
    for (let month = 1; month <= 12; month++) {
      const first = dayOf(year, month, 1);
      const span = monthSpan(ctx, first, daysInMonth(year, month));
      if (span.days === 0) break;
      const t = year + (month - 0.5) / 12;
      for (let i = 0; i < n; i++) weights[i] = volumeWeight(counties, i, t) * (1 - 0.2 * qualityIn(counties, i, t)) * Math.exp(COUNTY_NOISE * rng.normal());
      const perCounty = allocate(Math.round(months[month - 1]! * span.share), weights);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < perCounty[i]!; j++) {
          const opened = sy.dayIn(rng, month, span.days);
          const lv = weighted(rng, levelCum);
          const [lo, hi, step] = aidRange[lv]!;
          const u = rng.float();
          const ch = u < referral[i]! ? channel.referral! : u < referral[i]! + online ? channel.online! : channel.union!;
          // How the case ends: resolved, exited, or still on file.
          const s = rng.float();
          let st = status.active!;
          let closed = -1;
          if (s < resolve[i]!) {
            st = status.resolved!;
            closed = opened + rng.range(60, 720);
          } else if (s < resolve[i]! + 0.2) {
            st = status.exited!;
            closed = opened + rng.range(30, 365);
          }
          if (closed > window.cutoff) {
            st = status.active!;
            closed = -1;
          }
          seq++;
          v[0] = `KN${year}${String(seq).padStart(6, '0')}`;
          v[1] = counties.codes[i];
          v[2] = opened;
          v[3] = lv;
          v[4] = weighted(rng, causeCum[lv]!);
          v[5] = ch;
          v[6] = Math.round((lo + (hi - lo) * rng.float()) / step) * step * 100;
          v[7] = st;
          v[8] = closed;
          w.row(v);
        }
      }
    }
  }
}
