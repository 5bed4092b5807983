// The API over the committed sample (fixtures/sample, loaded through the real ETL): every unit of the
// province answers on every data route with plain JSON numbers, and the figures add up across levels
// the way each definition says they must.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SuccessRateResponse } from '../../server/schemas/mediation.ts';
import type { ClaimsResponse, MembersResponse } from '../../server/schemas/insurance.ts';
import type { UnitsResponse } from '../../server/schemas/units.ts';
import type { OverviewResponse } from '../../server/schemas/overview.ts';
import { indicatorScoreValue, metricValue } from './engine.ts';
import { buildTestApp } from './helpers.ts';

const env = await buildTestApp({ data: 'sample' });
const cookie = await env.login('leader');
let units: UnitsResponse;

beforeAll(async () => {
  units = await get<UnitsResponse>('/api/units');
});

async function get<T>(url: string): Promise<T> {
  const res = await env.app.inject({ url, headers: { cookie } });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round2 = (x: number) => Math.round(x * 100) / 100;
const YEAR = '/api/mediation/success-rate?from=2025-01&to=2025-12';

describe('the sample warehouse through the API', () => {
  it('says which snapshot it serves and how new its data is', async () => {
    const { snapshot } = await get<{ snapshot: { id: string; newest_data: string; built_at: string } }>('/api/meta');
    expect(snapshot.id).toBe(env.app.warehouse.current!.id);
    expect(snapshot.newest_data).toMatch(/^2026-10-\d\d$/);
    expect(snapshot.built_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('answers every unit of the province on every data route', async () => {
    const codes = ['450000', ...units.cities.flatMap((c) => [c.code, ...c.counties.map((k) => k.code)])];
    expect(codes).toHaveLength(1 + 14 + 111);
    for (const unit of codes) {
      const rate = await get<SuccessRateResponse>(`${YEAR}&unit=${unit}`);
      expect(typeof rate.success).toBe('number');
      const members = await get<MembersResponse>(`/api/insurance/members?unit=${unit}`);
      expect(members.years.map((y) => y.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
      const claims = await get<ClaimsResponse>(`/api/insurance/claims?unit=${unit}&year=2025`);
      expect(typeof claims.paid_amount).toBe('number');
    }
  });

  it('mediation: the province is the sum of its cities, a city the sum of its counties, every rate as defined', async () => {
    const province = await get<SuccessRateResponse>(`${YEAR}&unit=450000&by=city`);
    expect(province.success).toBeGreaterThan(0);
    expect(sum(province.series!.map((p) => p.success))).toBe(province.success);
    expect(sum(province.series!.map((p) => p.failed))).toBe(province.failed);
    expect(province.rate).toBe(round2((100 * province.success) / (province.success + province.failed)));
    for (const city of province.series!) {
      const counties = await get<SuccessRateResponse>(`${YEAR}&unit=${city.key}&by=county`);
      expect(counties.success).toBe(city.success);
      expect(sum(counties.series!.map((p) => p.success))).toBe(city.success);
      expect(sum(counties.series!.map((p) => p.failed))).toBe(city.failed);
      for (const p of counties.series!) {
        expect(p.rate).toBe(p.success + p.failed ? round2((100 * p.success) / (p.success + p.failed)) : null);
      }
    }
    const months = await get<SuccessRateResponse>(`${YEAR}&unit=450000&by=month`);
    expect(months.series).toHaveLength(12);
    expect(sum(months.series!.map((p) => p.success))).toBe(province.success);
  });

  it('claims: counts and amounts add up from counties; distinct beneficiaries do not exceed the sum', async () => {
    const province = await get<ClaimsResponse>('/api/insurance/claims?unit=450000&year=2025');
    expect(province.paid_count).toBeGreaterThan(0);
    const counties = await Promise.all(
      units.cities.flatMap((c) => c.counties).map((c) => get<ClaimsResponse>(`/api/insurance/claims?unit=${c.code}&year=2025`)),
    );
    expect(sum(counties.map((c) => c.paid_count))).toBe(province.paid_count);
    expect(round2(sum(counties.map((c) => c.paid_amount)))).toBe(province.paid_amount);
    expect(province.beneficiaries).toBeLessThanOrEqual(sum(counties.map((c) => c.beneficiaries)));
    expect(round2(sum(province.months.map((m) => m.paid_amount)))).toBe(province.paid_amount);
  });

  it('members: the province counts each member once, so no more than its counties together', async () => {
    const province = await get<MembersResponse>('/api/insurance/members?unit=450000');
    const counties = await Promise.all(
      units.cities.flatMap((c) => c.counties).map((c) => get<MembersResponse>(`/api/insurance/members?unit=${c.code}`)),
    );
    for (const [i, y] of province.years.entries()) {
      const perCounty = counties.map((c) => c.years[i].members);
      expect(y.members).toBeLessThanOrEqual(sum(perCounty));
      expect(y.members).toBeGreaterThanOrEqual(Math.max(...perCounty));
      if (i > 0) expect(y.growth).toBe(round2((100 * y.members) / province.years[i - 1].members - 100));
    }
  });

  it('overview: the tiles agree with the detail endpoints for the province, a city and a county', async () => {
    for (const unit of ['450000', '450100', '450102']) {
      const o = await get<OverviewResponse>(`/api/overview?period=2025-12&unit=${unit}`);
      const k = Object.fromEntries(o.kpis.map((x) => [x.key, x]));
      const rate = await get<SuccessRateResponse>(`${YEAR}&unit=${unit}`);
      expect(k.mediation_rate.value).toBe(rate.rate);
      expect(k.mediation_success.value).toBe(rate.success);
      const lastYear = await get<SuccessRateResponse>(`/api/mediation/success-rate?from=2024-01&to=2024-12&unit=${unit}`);
      expect(k.mediation_rate.last_year).toBe(lastYear.rate);
      const nov = await get<SuccessRateResponse>(`/api/mediation/success-rate?from=2025-01&to=2025-11&unit=${unit}`);
      expect(k.mediation_rate.previous).toBe(nov.rate);
      const claims = await get<ClaimsResponse>(`/api/insurance/claims?unit=${unit}&year=2025`);
      expect(k.claims_paid_amount.value).toBe(claims.paid_amount);
      expect(k.claims_beneficiaries.value).toBe(claims.beneficiaries);
      const members = await get<MembersResponse>(`/api/insurance/members?unit=${unit}`);
      expect(k.members.value).toBe(members.years.find((y) => y.year === 2025)!.members);
      expect(k.member_growth.value).toBe(members.years.find((y) => y.year === 2025)!.growth);
      expect(k.mediation_rate.target).toBe(72);
    }
  });

  it('overview, success rate and scorecard (C40) agree to the digit with the engine, for every county, this year to date', async () => {
    // 2026 is the scoring period running to the newest data (October 2026): the same window everywhere.
    const round2 = (v: number | null | undefined) => (v == null ? null : Math.round(v * 100) / 100);
    for (const county of units.cities.flatMap((c) => c.counties)) {
      const o = await get<OverviewResponse>(`/api/overview?period=2026-10&unit=${county.code}`);
      const tile = o.kpis.find((k) => k.key === 'mediation_rate')!;
      const rate = await get<SuccessRateResponse>(`/api/mediation/success-rate?from=2026-01&to=2026-10&unit=${county.code}`);
      const card = await get<{ indicators: { code: string; value: number | null }[] }>(`/api/units/${county.code}/scorecard?period=2026`);
      const c40 = card.indicators.find((i) => i.code === 'C40')!;
      const engine = round2(await metricValue(env.app, county.code, 'mediation_success_rate', 'ytd', '2026-10'));
      expect([tile.value, rate.rate, c40.value], county.code).toEqual([engine, engine, engine]);
      expect(c40.value, county.code).toBe(round2(await indicatorScoreValue(env.app, county.code, '2026', 'C40')));
    }
  }, 180_000); // 111 counties x 5 reads: half a minute on a busy machine
});
