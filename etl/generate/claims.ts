// insurance_claim: mutual-aid claims by enrolled members of the plan_year, in their county.
//
// About 80-130 thousand members a year receive a payment (scale 1), most of them once, some two or
// three times; amounts follow the member's plan (about 1,400 yuan on average), and the province pays
// 150-200 million yuan a year. About 7% of claims are rejected. Days to pay are mostly 3-15, shorter
// in better counties; a claim whose payment would fall after the cutoff is still pending. Claims are
// filed by the season (more in winter and in the December rush before the plan year closes, few in the
// Spring Festival week, by its lunar date); a payment due in that week is made when offices reopen.
// Each county's claim rate moves from year to year around its level.
import { enums } from '../../core/contract.ts';
import { dayOf } from './calendar.ts';
import { qualityIn } from './counties.ts';
import { enumIndex, type GenContext } from './context.ts';
import { memberId, memberTarget, type MemberTraits, type YearMembers } from './enrolment.ts';
import { Rng } from './random.ts';
import { SeasonYear, afterFestivalWeek, springFestival, type SeasonShape } from './season.ts';

/** Members with at least one claim filed, per year at scale 1 (about 93% of them get paid). */
export const claimantTargets: Record<number, number> = {
  2020: 92_000,
  2021: 99_000,
  2022: 108_000,
  2023: 119_000,
  2024: 125_000,
  2025: 131_000,
  2026: 137_000,
};

function claimantTarget(year: number): number {
  if (claimantTargets[year]) return claimantTargets[year]!;
  const last = Math.max(...Object.keys(claimantTargets).map(Number));
  return Math.round(claimantTargets[last]! * 1.03 ** (year - last));
}

const season: SeasonShape = {
  months: [0, 1.1, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.0, 0.95, 0.95, 1.05, 1.2],
  preFestival: 1,
  noise: 0.06,
};
const COUNTY_YEAR_NOISE = 0.08;

const status = enumIndex(enums.claimStatus);
const plan = enumIndex(enums.plan);
/** Claim amount range in yuan per plan (log-uniform between the bounds). */
const amountRange: [number, number][] = [];
amountRange[plan.inpatient!] = [150, 2_500];
amountRange[plan.special_disease!] = [400, 4_000];
amountRange[plan.accident!] = [100, 2_000];
amountRange[plan.critical_illness!] = [2_000, 15_000];
amountRange[plan.women_special_disease!] = [500, 3_000];

export function generateClaims(ctx: GenContext, ym: YearMembers, county: Uint8Array, traits: MemberTraits): void {
  const { counties, window, scale, seed } = ctx;
  const year = ym.year;
  const rng = new Rng(seed, 'claims', year);
  const n = counties.codes.length;
  const fullYear = Math.round(memberTarget(year) * scale);
  const base = (claimantTarget(year) * scale) / Math.max(1, fullYear);
  const p = new Float64Array(n);
  const payMode = new Float64Array(n);
  const reject = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = qualityIn(counties, i, year);
    p[i] = base * (1 + 0.15 * q) * Math.exp(COUNTY_YEAR_NOISE * rng.normal());
    payMode[i] = 7 - 3 * q;
    reject[i] = 0.07 - 0.02 * q;
  }
  const sy = new SeasonYear(year, season, new Rng(seed, 'claims-season', year));
  const nextFestival = springFestival(year + 1);
  const w = ctx.file('insurance_claim', year);
  const jan5 = dayOf(year, 1, 5);
  const dec31 = dayOf(year, 12, 31);
  const logRange = amountRange.map(([lo, hi]) => [Math.log(lo), Math.log(hi / lo)] as const);
  const v: any[] = new Array(8);
  v[3] = year;
  let seq = 0;
  for (let k = 0; k < ym.count; k++) {
    const m = ym.members[k]!;
    const c = county[m]!;
    if (rng.float() >= p[c]!) continue;
    const u = rng.float();
    const claims = u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
    const h = traits.hash(m);
    const p1 = traits.primary(h);
    const p2 = traits.second(h, p1);
    const from = Math.max(jan5, ym.enrolled[k]! + 7);
    for (let j = 0; j < claims; j++) {
      const submitted = sy.dayBetween(rng, from, dec31);
      if (submitted > window.cutoff) continue;
      const which = p2 >= 0 && rng.chance(0.3) ? p2 : p1;
      const [lo, span] = logRange[which]!;
      const fen = Math.round(Math.exp(lo + span * rng.float()) * 100);
      let st = status.paid!;
      let paid = -1;
      if (rng.float() < reject[c]!) st = status.rejected!;
      else {
        const d = rng.float();
        const days = d < 0.04 ? rng.range(1, 2) : d < 0.9 ? Math.round(rng.triangular(3, payMode[c]!, 15)) : rng.range(16, 45);
        paid = afterFestivalWeek(afterFestivalWeek(submitted + days, sy.festival), nextFestival);
        if (paid > window.cutoff) {
          st = status.pending!;
          paid = -1;
        }
      }
      seq++;
      v[0] = `BZ${year}${String(seq).padStart(7, '0')}`;
      v[1] = memberId(m);
      v[2] = counties.codes[c];
      v[4] = submitted;
      v[5] = paid;
      v[6] = fen;
      v[7] = st;
      w.row(v);
    }
  }
}
