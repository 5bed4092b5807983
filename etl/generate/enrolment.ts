// insurance_enrolment: one row per member per plan per plan_year.
//
// Members are integers; a member keeps its id, county and plans for life. Each plan_year, members
// of the previous year renew with a county-dependent probability (about 87-92%) and new members fill
// the gap to the year's exact target (1,440,000 in 2020, 2,270,000 in 2023, at scale 1), spread over
// counties by size and trend, with county-year noise in both, so each county's line bends its own way
// while the province's total stays exact. About 5% of members hold a second plan. Nobody enrols in
// the Spring Festival week (by its lunar date): those sign-ups land on the day offices reopen.
import { enums } from '../../core/contract.ts';
import { FIRST_YEAR, dayOf } from './calendar.ts';
import { qualityIn, volumeWeight } from './counties.ts';
import { enumIndex, type GenContext } from './context.ts';
import { Rng, allocate, mix32 } from './random.ts';
import { afterFestivalWeek, springFestival } from './season.ts';

/** Distinct members per plan_year at scale 1. */
export const memberTargets: Record<number, number> = {
  2020: 1_440_000,
  2021: 1_700_000,
  2022: 1_980_000,
  2023: 2_270_000,
  2024: 2_400_000,
  2025: 2_520_000,
  2026: 2_630_000,
};

export function memberTarget(year: number): number {
  if (memberTargets[year]) return memberTargets[year]!;
  const last = Math.max(...Object.keys(memberTargets).map(Number));
  return Math.round(memberTargets[last]! * 1.035 ** (year - last));
}

const plan = enumIndex(enums.plan);
/** Contribution tiers in yuan per plan (by enum index), typical of Guangxi workers' mutual aid. */
const contributionYuan: number[][] = [];
contributionYuan[plan.inpatient!] = [30, 40, 50, 60];
contributionYuan[plan.special_disease!] = [20, 30, 30, 40];
contributionYuan[plan.accident!] = [10, 20, 20, 30];
contributionYuan[plan.critical_illness!] = [60, 80, 100, 120];
contributionYuan[plan.women_special_disease!] = [20, 30, 30, 50];

/** A member's plans and contribution tier follow from a hash of the member number: stable for life. */
export class MemberTraits {
  private readonly salt: number;
  constructor(seed: number) {
    this.salt = mix32(seed * 2654435761);
  }
  hash(m: number): number {
    return mix32(m ^ this.salt);
  }
  primary(h: number): number {
    const u = (h & 0xffff) / 65536;
    return u < 0.72 ? plan.inpatient! : u < 0.82 ? plan.critical_illness! : u < 0.9 ? plan.accident! : u < 0.95 ? plan.special_disease! : plan.women_special_disease!;
  }
  /** The second plan, or -1 (about 5% of members have one). */
  second(h: number, primary: number): number {
    if (((h >>> 16) & 0xff) >= 13) return -1;
    const options = [plan.critical_illness!, plan.accident!, plan.women_special_disease!, plan.inpatient!].filter((p) => p !== primary);
    return options[(h >>> 24) % options.length]!;
  }
  contributionFen(h: number, p: number): number {
    return contributionYuan[p]![(h >>> 28) & 3]! * 100;
  }
}

/** The members of one plan_year, as claims.ts needs them. */
export interface YearMembers {
  year: number;
  count: number;
  members: Int32Array;
  enrolled: Int32Array;
}

export function memberId(m: number): string {
  return 'M' + (10_000_000 + m);
}

/** Writes the enrolment files year by year, handing each year's members to `onYear` (claims). */
export function generateEnrolment(ctx: GenContext, onYear: (members: YearMembers, county: Uint8Array, traits: MemberTraits) => void): void {
  const { counties, window, scale, seed } = ctx;
  const n = counties.codes.length;
  const traits = new MemberTraits(seed);
  let county = new Uint8Array(1 << 16);
  let nextMember = 0;
  let prev = new Int32Array(0);
  const v: any[] = new Array(6);
  for (const year of window.years) {
    const rng = new Rng(seed, 'enrolment', year);
    const target = Math.round(memberTarget(year) * scale);
    const retention = new Float64Array(n);
    const growth = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      retention[i] = Math.min(0.97, 0.875 + 0.045 * qualityIn(counties, i, year) + 0.012 * rng.normal());
      growth[i] = volumeWeight(counties, i, year) * (1 + 0.4 * counties.trend[i]!) * Math.exp(0.15 * rng.normal());
    }
    const members = new Int32Array(target);
    let count = 0;
    for (let k = 0; k < prev.length && count < target; k++) {
      const m = prev[k]!;
      if (rng.float() < retention[county[m]!]!) members[count++] = m;
    }
    const renewing = count;
    const perCounty = allocate(target - count, growth);
    if (nextMember + target - count > county.length) {
      const bigger = new Uint8Array(Math.max(county.length * 2, nextMember + target));
      bigger.set(county);
      county = bigger;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < perCounty[i]!; j++) {
        county[nextMember] = i;
        members[count++] = nextMember++;
      }
    }
    // New members arrive county by county above; shuffle them into the renewals' order of arrival.
    for (let k = count - 1; k > renewing; k--) {
      const x = renewing + rng.int(k - renewing + 1);
      const t = members[k]!;
      members[k] = members[x]!;
      members[x] = t;
    }

    const w = ctx.file('insurance_enrolment', year);
    const dec1 = dayOf(year - 1, 12, 1);
    const jan1 = dayOf(year, 1, 1);
    const festival = springFestival(year);
    const enrolled = new Int32Array(count);
    let kept = 0;
    v[2] = year;
    for (let k = 0; k < count; k++) {
      const m = members[k]!;
      // Renewals in the window Dec-Mar; new members Jan-Jun, most of them early.
      const u = rng.float();
      const day = afterFestivalWeek(k < renewing && year > FIRST_YEAR ? dec1 + Math.floor(121 * u ** 1.3) : jan1 + Math.floor(181 * u ** 1.6), festival);
      if (day > window.cutoff) continue;
      members[kept] = m;
      enrolled[kept++] = day;
      const h = traits.hash(m);
      const p1 = traits.primary(h);
      v[0] = memberId(m);
      v[1] = counties.codes[county[m]!];
      v[3] = p1;
      v[4] = day;
      v[5] = traits.contributionFen(h, p1);
      w.row(v);
      const p2 = traits.second(h, p1);
      if (p2 >= 0) {
        v[3] = p2;
        v[5] = traits.contributionFen(h, p2);
        w.row(v);
      }
    }
    prev = members.subarray(0, kept);
    onYear({ year, count: kept, members: prev, enrolled: enrolled.subarray(0, kept) }, county, traits);
  }
}
