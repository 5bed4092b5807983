// Answers in the shapes issue 4 documents (and web/api/types.ts types) for the endpoints the server
// does not have yet: rankings, map, alerts, a unit's scorecard. The browser tests serve
// them with page.route only while the real endpoint is missing, so the wall's and the county view's
// panels are exercised now and the same tests run against the real endpoints once they exist.
// Figures are deterministic and calibrated to the published 2023 review (DATA-CONTRACT.md).
import { loadCatalog } from '../../etl/catalog/catalog.ts';
import { dimensionsBySet } from '../../etl/catalog/schema.ts';
import type { Alerts, MapValues, RankingRow, Rankings, Scorecard, ScorecardIndicator, UnitRef, UnitTree } from '../../web/api/types.ts';

/** A fixed pseudo-random number in [0, 1) for a key: the same figures every run. */
function noise(key: string): number {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

function countiesOf(units: UnitTree): UnitRef[] {
  return units.cities.flatMap((c) => c.counties.map((k) => ({ code: k.code, name: k.name, short_name: k.short_name, level: 'county' as const, city_code: c.code })));
}
function citiesOf(units: UnitTree): UnitRef[] {
  return units.cities.map((c) => ({ code: c.code, name: c.name, short_name: c.short_name, level: 'city' as const, city_code: c.code }));
}

function ranked(set: 'county47' | 'reform88', list: UnitRef[]): RankingRow[] {
  const dims = dimensionsBySet[set];
  const max = 100 / dims.length;
  const scored = list.map((unit) => {
    const dimensions = dims.map((d) => ({ dimension: d.zh, score: round(max * (0.55 + 0.43 * noise(`${unit.code}${d.zh}`)), 2), max: round(max, 2) }));
    return { unit, dimensions, composite: round(dimensions.reduce((s, d) => s + d.score, 0), 2) };
  });
  const order = [...scored].sort((a, b) => b.composite - a.composite);
  const previous = [...scored].sort((a, b) => b.composite + 8 * noise(`prev${b.unit.code}`) - (a.composite + 8 * noise(`prev${a.unit.code}`)));
  return order.map((r, i) => {
    const prev = previous.findIndex((p) => p.unit.code === r.unit.code) + 1;
    const sameCity = order.filter((o) => o.unit.city_code === r.unit.city_code);
    return {
      unit: r.unit,
      composite: r.composite,
      rank: i + 1,
      rank_city: set === 'county47' ? sameCity.findIndex((o) => o.unit.code === r.unit.code) + 1 : null,
      previous_rank: prev,
      rank_change: prev - (i + 1),
      dimensions: r.dimensions,
    };
  });
}

export function rankings(units: UnitTree, set: 'county47' | 'reform88', period: string, city?: string | null): Rankings {
  const rows = ranked(set, set === 'county47' ? countiesOf(units) : citiesOf(units));
  return { set, period, previous_period: null, rows: city ? rows.filter((r) => r.unit.city_code === city) : rows };
}

export function mapValues(units: UnitTree, set: 'county47' | 'reform88', period: string, level: 'county' | 'city'): MapValues {
  const rows = ranked(set, level === 'county' ? countiesOf(units) : citiesOf(units));
  return { set, period, level, values: rows.map((r) => ({ code: r.unit.code, name: r.unit.name, value: r.composite })) };
}

export function alerts(units: UnitTree, period: string): Alerts {
  const c = countiesOf(units);
  const pick = (i: number) => c[Math.floor(noise(`alert${i}`) * c.length)];
  return {
    period,
    alerts: [
      { level: 'high', unit: pick(1), indicator_code: 'C40', message_zh: '调解成功率 61.2%，较上月下降 11.4%', message_en: 'Mediation success 61.2%, down 11.4% on last month' },
      { level: 'high', unit: pick(2), indicator_code: null, message_zh: '7月指标填报缺报 6 项', message_en: '6 July indicator reports missing' },
      { level: 'medium', unit: pick(3), indicator_code: 'C41', message_zh: '调解成功件数同比减少 32%', message_en: 'Successful mediations down 32% year on year' },
      { level: 'medium', unit: pick(4), indicator_code: 'C42', message_zh: '平均办结天数 21.5 天，超过 15 天', message_en: 'Mean days to close 21.5, above 15' },
      { level: 'low', unit: pick(5), indicator_code: 'C19', message_zh: '互助参保人数环比下降 4.1%', message_en: 'Mutual-aid enrolment down 4.1% on last month' },
    ],
  };
}

export function scorecard(units: UnitTree, code: string, period: string): Scorecard {
  const catalog = loadCatalog();
  const rows = ranked('county47', countiesOf(units));
  const row = rows.find((r) => r.unit.code === code)!;
  const cityRows = rows.filter((r) => r.unit.city_code === row.unit.city_code);
  const indicators: ScorecardIndicator[] = catalog.bySet('county47').map((ind) => {
    const a = round(60 + 55 * noise(`${code}${ind.code}`), 1);
    const status = a >= 100 ? 'met' : a >= 90 ? 'near' : 'behind';
    const points = round(ind.weight * Math.min(1, a / 100), 2);
    const lost = round(ind.weight - points, 2);
    const target = ind.unit === 'percent' ? 72 : ind.unit === 'boolean' ? 1 : 10;
    const value = ind.unit === 'boolean' ? (a >= 100 ? 1 : 0) : round((target * a) / 100, 1);
    return {
      code: ind.code,
      name_zh: ind.nameZh,
      name_en: ind.nameEn,
      dimension: ind.dimension,
      unit: ind.unit,
      direction: ind.direction,
      value,
      target,
      target_text: ind.targetRule,
      attainment: a,
      weight: ind.weight,
      points,
      points_lost: lost,
      status,
      projection: ind.unit === 'boolean' ? value : round(value * 1.05, 1),
      explanation_zh: lost > 0 ? `${ind.nameZh} ${value}，低于目标 ${ind.targetRule.replace('>=', '').trim()}，失分 ${lost.toFixed(1)}` : '',
      explanation_en: lost > 0 ? `${ind.nameEn}: ${value}, below the target ${ind.targetRule}, ${lost.toFixed(1)} points lost` : '',
    };
  });
  const worst = [...indicators].sort((x, y) => y.points_lost - x.points_lost).slice(0, 3);
  return {
    unit: row.unit,
    set: 'county47',
    period,
    composite: row.composite,
    rank: { province: row.rank, province_of: rows.length, city: row.rank_city, city_of: cityRows.length, previous_province: row.previous_rank, previous_city: row.rank_city },
    trend: ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', period].map((p, i, all) => ({
      period: p,
      composite: round(row.composite - (all.length - 1 - i) * 0.4, 2),
      rank: i === all.length - 1 ? row.rank : Math.max(1, row.rank + Math.round(6 * (noise(`${code}${p}`) - 0.4))),
    })),
    dimensions: row.dimensions.map((d) => ({
      ...d,
      city_avg: round(cityRows.reduce((s, r) => s + (r.dimensions.find((x) => x.dimension === d.dimension)?.score ?? 0), 0) / cityRows.length, 2),
      province_avg: round(rows.reduce((s, r) => s + (r.dimensions.find((x) => x.dimension === d.dimension)?.score ?? 0), 0) / rows.length, 2),
    })),
    indicators,
    path_up: worst.map((w, i) => ({ code: w.code, places_gained: 6 - 2 * i, points_gained: w.points_lost })),
    data_quality: [{ code: 'C03', period: '2026-Q3', message_zh: '2026年第三季度“职工思想动态调研报告报送次数”未报送', message_en: '2026-Q3 worker sentiment survey reports not received' }],
  };
}
