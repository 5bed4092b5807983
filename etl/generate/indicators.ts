// indicator_value: the reported indicators of the catalog (etl/catalog), for every unit and period.
//
// county47 indicators are reported by the 111 counties, reform88 ones by the 14 cities. Only
// indicators whose source is `reported` are written (a stream-sourced one is computed, and a report
// of it would be rejected). Periods follow the indicator (2023, 2023-Q2, 2023-07) and only periods
// that have ended by the cutoff are reported (the current year's annual figures are not in yet).
// Values follow the unit's quality and trend: percentages sit around their target, counts grow year
// on year by a noisy rate (so ">= prev" and ">= prev +5%" are sometimes met and sometimes not),
// booleans are 1/0. About 2% of reports are missing.
import { loadCatalog, type Catalog, type Indicator, type TargetRule } from '../catalog/catalog.ts';
import { dayOf, daysInMonth } from './calendar.ts';
import type { GenContext } from './context.ts';
import { Rng, hash32 } from './random.ts';

const MISSING = 0.02;

interface Unit {
  code: string;
  quality: number;
  trend: number;
  /** Size relative to an average county. */
  size: number;
}

function unitsOf(ctx: GenContext, set: 'county47' | 'reform88'): Unit[] {
  const c = ctx.counties;
  const mean = c.weight.reduce((a, b) => a + b, 0) / c.weight.length;
  if (set === 'county47') return c.codes.map((code, i) => ({ code, quality: c.quality[i]!, trend: c.trend[i]!, size: c.weight[i]! / mean }));
  return c.cityCodes.map((code, k) => ({ code, quality: c.cityQuality[k]!, trend: c.cityTrend[k]!, size: c.cityWeight[k]! / mean }));
}

/** Periods of a year that have ended by the cutoff, for an indicator's period kind. */
function periodsOf(kind: Indicator['period'], year: number, cutoff: number): string[] {
  const out: string[] = [];
  if (kind === 'annual') {
    if (dayOf(year, 12, 31) <= cutoff) out.push(String(year));
  } else if (kind === 'quarterly') {
    for (let q = 1; q <= 4; q++) if (dayOf(year, q * 3, daysInMonth(year, q * 3)) <= cutoff) out.push(`${year}-Q${q}`);
  } else {
    for (let m = 1; m <= 12; m++) if (dayOf(year, m, daysInMonth(year, m)) <= cutoff) out.push(`${year}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

/** A typical level for a count or amount indicator at an average county in 2020, from its name. */
function magnitude(ind: Indicator): number {
  const name = ind.nameEn;
  if (ind.unit === 'yuan') return 600_000;
  if (/workforce size/i.test(name)) return 60_000;
  if (/^skilled workers in total/i.test(name)) return 18_000;
  if (/^high-skilled workers in total/i.test(name)) return 5_000;
  if (/workers reached|visits|participations|trainees|who joined|union members|graduates|upgrading|sent on/i.test(name)) return 2_500;
  if (/cases handled|proposals/i.test(name)) return 400;
  if (/^(enterprises|employers)/i.test(name)) return 40;
  return 12;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/** One unit's value series for one indicator: year -> values of that year's periods, in order. */
function series(ind: Indicator, unit: Unit, years: number[], catalog: Catalog, rng: Rng): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const q0 = unit.quality;
  const t = unit.trend;
  const sub = ind.period === 'annual' ? 1 : ind.period === 'quarterly' ? 4 : 12;
  const subFactor = (k: number) => (sub === 1 ? 1 : sub === 4 ? [0.85, 1.0, 1.05, 1.1][k]! / 4 : 1 / 12);
  let level = Number.NaN; // the running level for ">= prev" series
  let flag = rng.float() < 0.45 + 0.35 * q0 ? 1 : 0;
  const base = magnitude(ind) * unit.size * (1 + 0.3 * q0) * (0.7 + 0.6 * rng.float());
  for (const year of years) {
    const q = clamp(q0 + 0.12 * t * (year - 2023), -1, 1);
    const rule: TargetRule = catalog.targetFor(ind.code, year);
    const values: number[] = [];
    if (ind.unit === 'boolean') {
      if (flag === 0 && rng.float() < 0.2 + 0.15 * q + 0.1 * t) flag = 1;
      else if (flag === 1 && rng.float() < 0.04 - 0.03 * q) flag = 0;
      for (let k = 0; k < sub; k++) values.push(flag);
    } else if (rule.op === '>=prev' || ind.unit === 'yuan') {
      const growth = 0.05 + 0.045 * t + 0.02 * q + 0.06 * rng.normal();
      if (ind.unit === 'percent') {
        level = Number.isNaN(level) ? clamp(40 + 25 * (q0 + 1) * 0.5 + 5 * rng.normal(), 10, 90) : clamp(level + 1 + 0.8 * t + 0.6 * q + rng.normal(), 1, 99.5);
        for (let k = 0; k < sub; k++) values.push(level + (sub > 1 ? 0.5 * rng.normal() : 0));
      } else {
        level = Number.isNaN(level) ? base : level * (1 + growth);
        for (let k = 0; k < sub; k++) values.push(level * subFactor(k) * (1 + 0.04 * rng.normal()));
      }
    } else if (rule.op === '>=' || rule.op === '<=') {
      const T = rule.value;
      for (let k = 0; k < sub; k++) {
        const noise = rng.normal();
        if (ind.unit === 'percent' && rule.op === '<=') values.push(clamp(T - 5 * q - 0.8 * t * (year - 2023) + 2 * noise, 0.5, 40));
        else if (ind.unit === 'percent' && T <= 20) values.push(clamp(T + 3 * q + 2 * t + 2.5 * noise, 0, 30));
        else if (ind.unit === 'percent') {
          const spread = clamp(100 - T + 3, 3, 8);
          values.push(clamp(T + spread * q - 1 + 1.0 * t * (year - 2023) + 1.5 * noise, 0, 100));
        } else if (ind.unit === 'ratio') values.push(clamp(T + 0.15 * q + 0.02 * t * (year - 2023) + 0.05 * noise, 0.6, 2.5));
        else if (rule.op === '<=') values.push(Math.max(0.5, T * (1 - 0.3 * q) + 0.1 * T * noise));
        else values.push(Math.max(0, T * (1.2 + 0.8 * q + 0.1 * t * (year - 2023)) + Math.max(1, 0.3 * T) * noise));
      }
    } else if (rule.op === 'between') {
      const mid = (rule.low + rule.high) / 2;
      const half = (rule.high - rule.low) / 2;
      for (let k = 0; k < sub; k++) values.push(clamp(mid + 0.4 * half * q + 0.7 * half * rng.normal(), mid - 4 * half, mid + 2.5 * half));
    } else {
      for (let k = 0; k < sub; k++) values.push(flag);
    }
    out.set(year, values.map((x) => round(ind, x)));
  }
  return out;
}

function round(ind: Indicator, x: number): number {
  switch (ind.unit) {
    case 'percent':
    case 'days':
      return Math.round(x * 10) / 10;
    case 'ratio':
      return Math.round(x * 100) / 100;
    case 'boolean':
      return x >= 0.5 ? 1 : 0;
    default:
      return Math.round(x);
  }
}

export function generateIndicators(ctx: GenContext, catalog: Catalog = loadCatalog()): void {
  const { window, seed } = ctx;
  const v: any[] = new Array(4);
  for (const set of ['county47', 'reform88'] as const) {
    const indicators = catalog.bySet(set).filter((i) => i.source === 'reported');
    const units = unitsOf(ctx, set);
    // Whole series first (each year depends on the last), then rows file by file.
    const all = units.map((u) =>
      indicators.map((ind) => series(ind, u, window.years, catalog, new Rng(seed, 'indicator', ind.code, u.code))),
    );
    for (const year of window.years) {
      const w = ctx.file('indicator_value', year, set);
      const rng = new Rng(seed, 'indicator-missing', set, year);
      units.forEach((u, ui) => {
        indicators.forEach((ind, ii) => {
          if (ind.appliesTo === 'service_complex_pilot' && !ctx.counties.pilots.includes(ctx.counties.codes.indexOf(u.code))) return;
          const values = all[ui]![ii]!.get(year)!;
          const periods = periodsOf(ind.period, year, window.cutoff);
          periods.forEach((p, k) => {
            if (rng.float() < MISSING) return;
            const x = values[k]!;
            v[0] = ind.code;
            v[1] = u.code;
            v[2] = p;
            v[3] = ind.unit === 'percent' && w.style.percentSign && hash32(ind.code, u.code, p) % 3 !== 0 ? `${x}%` : x;
            w.row(v);
          });
        });
      });
    }
  }
}
