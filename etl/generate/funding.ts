// funding: subsidy disbursements. Per unit, so it does not scale with --scale.
//
// - county_strengthening (县级工会加强年), from 2023: 100,000 yuan to each of the 111 counties from the
//   regional federation (2023: one grant each, 11.1 million in total); later years in two tranches
//   (60,000 in spring, 40,000 in autumn), and a few lagging counties miss the autumn tranche.
// - service_complex (服务职工综合体), from 2023: the 16 pilot counties get 200,000 yuan from the
//   regional federation (100,000 in later years) and a city_match grant to the same county of at least
//   half of it, except two or three pilots whose city matched less.
// - workers_palace, outdoor_station, hardship and other: a plausible spread of programmes and sources.
import { enums } from '../../core/contract.ts';
import { dayOf } from './calendar.ts';
import { qualityIn } from './counties.ts';
import { enumIndex, type GenContext } from './context.ts';
import { Rng } from './random.ts';

const program = enumIndex(enums.fundingProgram);
const source = enumIndex(enums.fundingSource);
export const STRENGTHENING_FROM = 2023;

interface Grant {
  recipient: string;
  program: number;
  source: number;
  fen: number;
  day: number;
}

export function fundingGrants(ctx: GenContext, year: number): Grant[] {
  const { counties, seed } = ctx;
  const rng = new Rng(seed, 'funding', year);
  const n = counties.codes.length;
  const grants: Grant[] = [];
  const at = (month: number, from: number, to: number) => dayOf(year, month, rng.range(from, to));
  const add = (recipient: string, prog: number, src: number, yuan: number, day: number) =>
    grants.push({ recipient, program: prog, source: src, fen: Math.round(yuan * 100), day });

  // Hardship funds before the Spring Festival ("send warmth"), every county, by size.
  for (let i = 0; i < n; i++) {
    const yuan = Math.round(counties.weight[i]! * rng.range(120, 260)) * 1_000;
    add(counties.codes[i]!, program.hardship!, rng.chance(0.6) ? source.finance! : source.acftu!, yuan, at(1, 5, 25));
    if (rng.chance(0.35)) add(counties.codes[i]!, program.hardship!, source.regional_federation!, rng.range(20, 80) * 1_000, at(rng.range(6, 9), 1, 28));
  }
  if (year >= STRENGTHENING_FROM) {
    for (let i = 0; i < n; i++) {
      const code = counties.codes[i]!;
      if (year === STRENGTHENING_FROM) {
        add(code, program.county_strengthening!, source.regional_federation!, 100_000, at(rng.range(3, 5), 1, 28));
      } else {
        add(code, program.county_strengthening!, source.regional_federation!, 60_000, at(rng.range(3, 4), 1, 28));
        const lagging = qualityIn(counties, i, year) < -0.45 && rng.chance(0.6);
        if (!lagging) add(code, program.county_strengthening!, source.regional_federation!, 40_000, at(rng.range(9, 10), 1, 28));
      }
    }
    for (const i of counties.pilots) {
      const code = counties.codes[i]!;
      const grant = year === STRENGTHENING_FROM ? 200_000 : 100_000;
      add(code, program.service_complex!, source.regional_federation!, grant, at(rng.range(4, 6), 1, 28));
      const share = counties.weakMatchPilots.has(i) ? rng.range(20, 45) / 100 : rng.pick([0.5, 0.6, 0.75, 0.8, 1.0]);
      add(code, program.service_complex!, source.city_match!, Math.round((grant * share) / 1_000) * 1_000, at(rng.range(7, 10), 1, 28));
    }
  }
  // Workers' palaces: a few large grants a year, to cities or big counties.
  const palaces = rng.range(3, 5);
  for (let k = 0; k < palaces; k++) {
    const city = rng.chance(0.6);
    const recipient = city ? rng.pick(counties.cityCodes) : counties.codes[rng.int(n)]!;
    add(recipient, program.workers_palace!, rng.chance(0.5) ? source.acftu! : source.finance!, rng.range(50, 300) * 10_000, at(rng.range(3, 11), 1, 28));
  }
  // Union rest stations for outdoor workers: more counties each year.
  for (let i = 0; i < n; i++) {
    if (!rng.chance(0.3 + 0.07 * (year - 2020) + 0.1 * qualityIn(counties, i, year))) continue;
    const s = rng.float();
    const src = s < 0.5 ? source.acftu! : s < 0.8 ? source.regional_federation! : source.city_match!;
    add(counties.codes[i]!, program.outdoor_station!, src, rng.range(20, 60) * 1_000, at(rng.range(4, 11), 1, 28));
  }
  const others = rng.range(10, 20);
  for (let k = 0; k < others; k++) {
    const recipient = rng.chance(0.2) ? rng.pick(counties.cityCodes) : counties.codes[rng.int(n)]!;
    const yuan = rng.range(10_000, 200_000) + (rng.chance(0.3) ? rng.int(100) / 100 + 0.5 : 0);
    add(recipient, program.other!, rng.pick([source.finance!, source.acftu!, source.regional_federation!]), yuan, at(rng.range(1, 12), 1, 28));
  }
  return grants.sort((a, b) => a.day - b.day || a.recipient.localeCompare(b.recipient));
}

export function generateFunding(ctx: GenContext): void {
  const v: any[] = new Array(6);
  for (const year of ctx.window.years) {
    const w = ctx.file('funding', year);
    let seq = 0;
    for (const g of fundingGrants(ctx, year)) {
      if (g.day > ctx.window.cutoff) continue;
      seq++;
      v[0] = `BF${year}${String(seq).padStart(4, '0')}`;
      v[1] = g.recipient;
      v[2] = g.program;
      v[3] = g.source;
      v[4] = g.fen;
      v[5] = g.day;
      w.row(v);
    }
  }
}
