// GET /api/catalog: the catalog copy in the snapshot (dim_indicator), which is the one that scored it.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../etl/catalog/catalog.ts';
import type { CatalogResponse } from '../../server/schemas/catalog.ts';
import { buildTestApp } from './helpers.ts';

const env = await buildTestApp();
let body: CatalogResponse;
beforeAll(async () => {
  const cookie = await env.login('county-450102');
  const res = await env.app.inject({ url: '/api/catalog', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  body = res.json();
});

describe('GET /api/catalog', () => {
  it('holds the 47 county and 88 reform indicators of the catalog version that scored the snapshot', async () => {
    const file = loadCatalog();
    expect(body.version).toBe(file.version);
    expect(body.indicators.filter((i) => i.set === 'county47')).toHaveLength(47);
    expect(body.indicators.filter((i) => i.set === 'reform88')).toHaveLength(88);
    // In the file's order within each set, county47 first.
    expect(body.indicators.map((i) => i.code)).toEqual([...file.bySet('county47'), ...file.bySet('reform88')].map((i) => i.code));
  });

  it('gives each dimension its weight; each set sums to 100', () => {
    for (const set of ['county47', 'reform88'] as const) {
      const dims = body.dimensions.filter((d) => d.set === set);
      expect(dims.map((d) => d.order)).toEqual(dims.map((_, i) => i + 1));
      expect(dims.reduce((s, d) => s + d.weight, 0)).toBeCloseTo(100, 3);
      expect(dims.reduce((s, d) => s + d.indicators, 0)).toBe(set === 'county47' ? 47 : 88);
    }
  });

  it('states targets as written, with the per-year overrides (mediation success: 70% in 2022, else 72%)', () => {
    const c40 = body.indicators.find((i) => i.code === 'C40')!;
    expect(c40).toMatchObject({
      set: 'county47',
      name_zh: '劳动争议调解成功率',
      unit: 'percent',
      direction: 'higher_better',
      target_rule: '>= 72%',
      targets_by_year: [{ year: 2022, target_rule: '>= 70%' }],
      metric: 'mediation_success_rate',
    });
    expect(body.indicators.find((i) => i.code === 'C01')).toMatchObject({ source: 'reported', metric: null, targets_by_year: [] });
  });
});
