// County profiles: the 111 county-level divisions of Guangxi (fixtures/reference) with a seeded size
// weight, quality level and trend. Every stream uses the same profiles, so a county that leads in
// mediation also pays claims faster and reports better indicators, and rankings mean something.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../catalog/csv.ts';
import { referenceDir } from '../../core/paths.ts';
import { Rng } from './random.ts';

export interface Counties {
  /** 111 county codes, in reference-file order; index = county index used everywhere. */
  codes: string[];
  names: string[];
  /** The county's city index into `cityCodes`. */
  city: Uint8Array;
  kind: string[];
  /** Relative size (workers, cases, members): districts of Nanning/Liuzhou/Guilin are biggest. */
  weight: Float64Array;
  /** Work quality in [-1, 1]: +1 leads the province, -1 lags. */
  quality: Float64Array;
  /** Direction over the years in [-1, 1]: +1 improving quickly, -1 slipping. */
  trend: Float64Array;
  cityCodes: string[];
  cityNames: string[];
  /** Quality and trend of each city (weighted from its counties), for the reform88 reports. */
  cityQuality: Float64Array;
  cityTrend: Float64Array;
  cityWeight: Float64Array;
  /** The 16 service-complex pilot counties (county indices), a seeded and stable choice. */
  pilots: number[];
  /** Pilots whose city matched less than half of the provincial grant (two or three of them). */
  weakMatchPilots: Set<number>;
}

function readTable(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path.join(referenceDir, file), 'utf8'));
  const names = header!.fields;
  return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r.fields[i] ?? ''])));
}

const bigCities = new Set(['450100', '450200', '450300']);
const clamp1 = (x: number) => Math.max(-1, Math.min(1, x));

export function loadCounties(seed: number): Counties {
  const countyRows = readTable('guangxi-counties.csv');
  const cityRows = readTable('guangxi-cities.csv');
  const cityCodes = cityRows.map((r) => r.city_code!);
  const rng = new Rng(seed, 'counties');
  const n = countyRows.length;
  const c: Counties = {
    codes: countyRows.map((r) => r.county_code!),
    names: countyRows.map((r) => r.county_name!),
    city: Uint8Array.from(countyRows.map((r) => cityCodes.indexOf(r.city_code!))),
    kind: countyRows.map((r) => r.kind!),
    weight: new Float64Array(n),
    quality: new Float64Array(n),
    trend: new Float64Array(n),
    cityCodes,
    cityNames: cityRows.map((r) => r.city_name!),
    cityQuality: new Float64Array(cityCodes.length),
    cityTrend: new Float64Array(cityCodes.length),
    cityWeight: new Float64Array(cityCodes.length),
    pilots: [],
    weakMatchPilots: new Set(),
  };
  for (let i = 0; i < n; i++) {
    const kind = c.kind[i]!;
    const big = bigCities.has(cityCodes[c.city[i]!]!);
    const [lo, hi] =
      kind === 'district' ? (big ? [2.4, 3.6] : [1.2, 2.0]) : kind === 'city' ? [1.1, 1.6] : kind === 'county' ? [0.6, 1.1] : [0.4, 0.8];
    c.weight[i] = lo + (hi - lo) * rng.float();
    // Bigger, urban units lead slightly more often; the spread is what makes a ranking.
    c.quality[i] = clamp1(0.45 * rng.normal() + (big && kind === 'district' ? 0.15 : 0) - (kind === 'autonomous_county' ? 0.1 : 0));
    c.trend[i] = clamp1(0.5 * rng.normal());
  }
  for (let k = 0; k < cityCodes.length; k++) {
    let w = 0;
    let q = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      if (c.city[i] !== k) continue;
      w += c.weight[i]!;
      q += c.weight[i]! * c.quality[i]!;
      t += c.weight[i]! * c.trend[i]!;
    }
    c.cityWeight[k] = w;
    c.cityQuality[k] = clamp1(q / w + 0.2 * rng.normal());
    c.cityTrend[k] = clamp1(t / w + 0.2 * rng.normal());
  }
  // 16 pilots: drawn by size, at most two per city.
  const pilotRng = new Rng(seed, 'pilots');
  const perCity = new Uint8Array(cityCodes.length);
  const candidates = Array.from({ length: n }, (_, i) => i);
  while (c.pilots.length < 16) {
    const total = candidates.reduce((s, i) => s + c.weight[i]!, 0);
    let u = pilotRng.float() * total;
    let pick = candidates[candidates.length - 1]!;
    for (const i of candidates) if ((u -= c.weight[i]!) < 0) { pick = i; break; }
    candidates.splice(candidates.indexOf(pick), 1);
    if (perCity[c.city[pick]!]! >= 2) continue;
    perCity[c.city[pick]!]!++;
    c.pilots.push(pick);
  }
  c.pilots.sort((a, b) => a - b);
  const weak = pilotRng.shuffle([...c.pilots]).slice(0, pilotRng.chance(0.5) ? 2 : 3);
  c.weakMatchPilots = new Set(weak);
  return c;
}

/** The county-volume weight in a year: size, drifting with the trend (improving counties grow). */
export function volumeWeight(c: Counties, i: number, year: number): number {
  return c.weight[i]! * (1 + 0.05 * c.trend[i]! * (year - 2020));
}

/** Quality in a year: the level plus the trend's drift, centred on 2023. */
export function qualityIn(c: Counties, i: number, year: number): number {
  return clamp1(c.quality[i]! + 0.12 * c.trend[i]! * (year - 2023));
}
