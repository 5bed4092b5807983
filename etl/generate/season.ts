// The working year of a county union office, day by day, for the generators' monthly quotas and the
// days rows fall on. The Spring Festival moves with the lunar calendar: offices close for the statutory
// week, migrant workers leave in the fortnight before it and are back after the Lantern Festival; the
// October golden week closes offices too. Each stream adds its own months (a year-end rush in
// December, summer disputes) and, for some, a push in the weeks before the festival (back wages paid
// before workers go home, "send warmth" visits). Month totals come from the same daily weights the
// days are drawn from, so a month's count and the days of its rows tell one story.
import { dayOf, daysInMonth } from './calendar.ts';
import type { Rng } from './random.ts';

/** 正月初一 (Spring Festival day) by Gregorian year, [month, day]. */
const springFestivals: Record<number, [number, number]> = {
  2019: [2, 5], 2020: [1, 25], 2021: [2, 12], 2022: [2, 1], 2023: [1, 22], 2024: [2, 10], 2025: [1, 29],
  2026: [2, 17], 2027: [2, 6], 2028: [1, 26], 2029: [2, 13], 2030: [2, 3], 2031: [1, 23], 2032: [2, 11],
  2033: [1, 31], 2034: [2, 19], 2035: [2, 8],
};

/** The Spring Festival's day number; outside the table, the date 19 years away (the Metonic cycle, within a day or two). */
export function springFestival(year: number): number {
  let y = year;
  while (!springFestivals[y]) y += y > 2035 ? -19 : 19;
  const [m, d] = springFestivals[y]!;
  return dayOf(year, m, d);
}

export interface SeasonShape {
  /** Relative weight of each calendar month (index 1..12) apart from the holidays. */
  months: readonly number[];
  /** Multiplier over the four weeks before the festival's eve (1 = none). */
  preFestival: number;
  /** Standard deviation of each month's multiplicative noise. */
  noise: number;
}

const HOLIDAY_FROM = -2; // 除夕 ...
const HOLIDAY_TO = 6; // ... to 初六: the statutory week

/** Office activity on a day relative to an ordinary working day, from the holidays alone. */
function holidayActivity(day: number, festival: number, goldenWeek: number): number {
  const k = day - festival;
  if (k >= HOLIDAY_FROM && k <= HOLIDAY_TO) return 0.2;
  if (k > HOLIDAY_TO && k <= 14) return 0.7; // back to work slowly until 元宵
  if (k >= -14 && k < HOLIDAY_FROM) return 0.85; // workers leaving for home
  if (day >= goldenWeek && day < goldenWeek + 7) return 0.3;
  return 1;
}

/** The day itself, or the first day after the Spring Festival week if it falls in it (`festival` of that season). */
export function afterFestivalWeek(day: number, festival: number): number {
  const k = day - festival;
  return k >= HOLIDAY_FROM && k <= HOLIDAY_TO ? festival + HOLIDAY_TO + 1 : day;
}

/**
 * One year of a stream's season: the weight of every day (cumulated, for draws) and of every month
 * (the sum of its days). A month's noise scales all its days, so draws and month totals agree.
 * Seeded by the caller's Rng, so it is deterministic.
 */
export class SeasonYear {
  readonly first: number;
  readonly festival: number;
  /** Month weights, index 1..12 (0 unused). */
  readonly months = new Float64Array(13);
  private readonly cum: Float64Array;

  constructor(
    readonly year: number,
    shape: SeasonShape,
    rng: Rng,
  ) {
    this.first = dayOf(year, 1, 1);
    const days = dayOf(year + 1, 1, 1) - this.first;
    const festival = (this.festival = springFestival(year));
    const nextFestival = springFestival(year + 1); // its run-up can start in December
    const goldenWeek = dayOf(year, 10, 1);
    const preFestival = (day: number) => (day - festival >= -30 && day - festival < HOLIDAY_FROM) || (day - nextFestival >= -30 && day - nextFestival < HOLIDAY_FROM);
    this.cum = new Float64Array(days);
    let sum = 0;
    let d = 0;
    for (let m = 1; m <= 12; m++) {
      const dim = daysInMonth(year, m);
      const noise = Math.max(0.5, 1 + shape.noise * rng.normal());
      let monthSum = 0;
      for (let k = 0; k < dim; k++, d++) {
        const day = this.first + d;
        const w = noise * shape.months[m]! * holidayActivity(day, festival, goldenWeek) * (preFestival(day) ? shape.preFestival : 1);
        monthSum += w;
        this.cum[d] = sum += w;
      }
      this.months[m] = monthSum;
    }
  }

  /** A day in [from, to] (day numbers within this year), drawn by the daily weights. */
  dayBetween(rng: Rng, from: number, to: number): number {
    const a = from - this.first;
    const b = to - this.first;
    const lo = a > 0 ? this.cum[a - 1]! : 0;
    const target = lo + rng.float() * (this.cum[b]! - lo);
    let x = a;
    let y = b;
    while (x < y) {
      const mid = (x + y) >>> 1;
      if (this.cum[mid]! > target) y = mid;
      else x = mid + 1;
    }
    return this.first + x;
  }

  /** A day among the first `days` days of a month. */
  dayIn(rng: Rng, month: number, days: number): number {
    const first = dayOf(this.year, month, 1);
    return this.dayBetween(rng, first, first + days - 1);
  }
}
