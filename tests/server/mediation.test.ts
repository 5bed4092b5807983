// The mediation success rate against figures counted by hand from the rows in helpers.ts:
// success / (success + failed) of cases closed in the months, the engine's metric_value published
// with two decimals.
import { describe, expect, it } from 'vitest';
import { metricValue as engineValue } from './engine.ts';
import { buildTestApp } from './helpers.ts';

const round2 = (v: number | null | undefined) => (v == null ? v : Math.round(v * 100) / 100);

const env = await buildTestApp();
const cookie = await env.login('analyst');

async function rate(query: string) {
  const res = await env.app.inject({ url: `/api/mediation/success-rate?${query}`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('mediation success rate', () => {
  it('counts cases by closing month: M1 was received in December and closed in January', async () => {
    // 450102 closings in Jan-Feb 2023: M1, M2, M3 success; M4 failed; M5 withdrawn (not counted); M6 pending.
    expect(await rate('unit=450102&from=2023-01&to=2023-02')).toMatchObject({ success: 3, failed: 1, rate: 75 });
  });

  it('a case closed after the range is not counted (M7 closed in March)', async () => {
    expect(await rate('unit=450102&from=2023-01&to=2023-03')).toMatchObject({ success: 3, failed: 2, rate: 60 });
  });

  it('a city adds up its counties (Nanning: 450102 and 450103)', async () => {
    expect(await rate('unit=450100&from=2023-01&to=2023-02')).toMatchObject({ success: 5, failed: 3, rate: 62.5 });
  });

  it('the province rounds to two decimals: 6 / 9 = 66.67', async () => {
    const body = await rate('unit=450000&from=2023-01&to=2023-02');
    expect(body).toMatchObject({ success: 6, failed: 3, rate: 66.67, from: '2023-01', to: '2023-02' });
    expect(body.unit).toEqual({ code: '450000', name: '广西壮族自治区', name_en: 'Guangxi', short_name: '广西', level: 'province', city_code: null });
    expect(body.series).toBeUndefined();
  });

  it("is the engine's value for the same unit and window (metric_value), to the published digit", async () => {
    const metricValue = async (...a: Parameters<typeof engineValue>) => round2(await engineValue(...a));
    for (const unit of ['450000', '450100', '450102', '450103']) {
      const ytd = await rate(`unit=${unit}&from=2023-01&to=2023-03&by=month`);
      expect(ytd.rate).toBe(await metricValue(env.app, unit, 'mediation_success_rate', 'ytd', '2023-03'));
      for (const p of ytd.series) expect(p.rate).toBe(await metricValue(env.app, unit, 'mediation_success_rate', 'month', p.key));
      const month = await rate(`unit=${unit}&from=2023-02&to=2023-02`);
      expect(month.rate).toBe(await metricValue(env.app, unit, 'mediation_success_rate', 'month', '2023-02'));
    }
    const byCounty = await rate('unit=450100&from=2023-01&to=2023-02&by=county');
    for (const p of byCounty.series) expect(p.rate).toBe(await metricValue(env.app, p.key, 'mediation_success_rate', 'ytd', '2023-02'));
  });

  it('answers only the windows the engine computes: the year to date or one month, else 400 naming from', async () => {
    const res = await env.app.inject({ url: '/api/mediation/success-rate?unit=450000&from=2023-02&to=2023-03', headers: { cookie } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^from: rates are computed for the year to date or a single month: from=2023-01 or from=2023-03/);
  });

  it('a range without closings has no rate', async () => {
    expect(await rate('unit=450000&from=2021-01&to=2021-12')).toMatchObject({ success: 0, failed: 0, rate: null });
  });

  it('defaults to the year to date of the newest data (newest date 2023-06-10)', async () => {
    expect(await rate('unit=450000')).toMatchObject({ from: '2023-01', to: '2023-06', success: 6, failed: 4, rate: 60 });
  });

  it('by=month gives every month of the range, empty ones included', async () => {
    const { series } = await rate('unit=450000&from=2023-01&to=2023-04&by=month');
    expect(series).toEqual([
      { key: '2023-01', name: '2023-01', name_en: '2023-01', success: 3, failed: 1, rate: 75 },
      { key: '2023-02', name: '2023-02', name_en: '2023-02', success: 3, failed: 2, rate: 60 },
      { key: '2023-03', name: '2023-03', name_en: '2023-03', success: 0, failed: 1, rate: 0 },
      { key: '2023-04', name: '2023-04', name_en: '2023-04', success: 0, failed: 0, rate: null },
    ]);
  });

  it('by=city lists all 14 cities for the province', async () => {
    const { series } = await rate('unit=450000&from=2023-01&to=2023-02&by=city');
    expect(series).toHaveLength(14);
    expect(series[0]).toEqual({ key: '450100', name: '南宁市', name_en: 'Nanning', success: 5, failed: 3, rate: 62.5 });
    expect(series[1]).toEqual({ key: '450200', name: '柳州市', name_en: 'Liuzhou', success: 1, failed: 0, rate: 100 });
  });

  it('by=county lists the counties of a city', async () => {
    const { series } = await rate('unit=450100&from=2023-01&to=2023-02&by=county');
    expect(series.length).toBeGreaterThan(2);
    expect(series.every((p: { key: string }) => p.key.startsWith('4501'))).toBe(true);
    expect(series.slice(0, 2)).toEqual([
      { key: '450102', name: '兴宁区', name_en: 'Xingning District', success: 3, failed: 1, rate: 75 },
      { key: '450103', name: '青秀区', name_en: 'Qingxiu District', success: 2, failed: 2, rate: 50 },
    ]);
  });
});
