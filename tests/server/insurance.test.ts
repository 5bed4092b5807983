// Members and paid claims against figures counted by hand from the rows in helpers.ts.
import { describe, expect, it } from 'vitest';
import { unitTree } from '../../server/queries/units.ts';
import { buildTestApp } from './helpers.ts';

const env = await buildTestApp();
const cookie = await env.login('leader');

async function get(url: string) {
  const res = await env.app.inject({ url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('members', () => {
  it('counts distinct members per plan year (A has two plans in 2023, counted once)', async () => {
    const { years } = await get('/api/insurance/members?unit=450102');
    expect(years).toEqual([
      { year: 2022, members: 2, growth: null },
      { year: 2023, members: 3, growth: 50 },
    ]);
  });

  it('counts a member who moved counties in each county but once in the province', async () => {
    // C is enrolled in 450102 and 450103 in 2023: 450103 has D, E, C.
    expect((await get('/api/insurance/members?unit=450103')).years[1]).toEqual({ year: 2023, members: 3, growth: 200 });
    // Province 2023: A, B, C, D, E, F = 6 (not 3 + 3 + 1 = 7); 2022: A, B, D.
    expect((await get('/api/insurance/members?unit=450000')).years).toEqual([
      { year: 2022, members: 3, growth: null },
      { year: 2023, members: 6, growth: 100 },
    ]);
    // Nanning 2023: A, B, C, D, E = 5; growth 5 / 3 - 1 = 66.67%.
    expect((await get('/api/insurance/members?unit=450100')).years[1]).toEqual({ year: 2023, members: 5, growth: 66.67 });
  });
});

describe('claims', () => {
  it('sums paid claims of a county: count, amount, distinct beneficiaries, days to pay', async () => {
    // C1 10 days, C2 30 days, C3 2 days; C4 rejected is not counted.
    const body = await get('/api/insurance/claims?unit=450102&year=2023');
    expect(body).toMatchObject({
      year: 2023,
      paid_count: 3,
      paid_amount: 3500.75,
      beneficiaries: 2,
      days_to_pay_mean: 14,
      days_to_pay_median: 10,
    });
    expect(body.months).toHaveLength(12);
    expect(body.months[2]).toEqual({ month: '2023-03', paid_count: 1, paid_amount: 1000.5 });
  });

  it('a city counts beneficiaries once and takes the median of all its claims', async () => {
    // Nanning: 10, 30, 2 and C5 20 days -> mean 15.5, median 15.
    expect(await get('/api/insurance/claims?unit=450100&year=2023')).toMatchObject({
      paid_count: 4,
      paid_amount: 4300.75,
      beneficiaries: 3,
      days_to_pay_mean: 15.5,
      days_to_pay_median: 15,
    });
  });

  it('the province books C6 by its payment date in 2023 although submitted in 2022', async () => {
    const body = await get('/api/insurance/claims?unit=450000');
    expect(body).toMatchObject({ year: 2023, paid_count: 5, paid_amount: 4400.75, beneficiaries: 4, days_to_pay_mean: 16.4, days_to_pay_median: 20 });
    expect(body.months[0]).toEqual({ month: '2023-01', paid_count: 1, paid_amount: 100 });
  });

  it('a year without claims is zeros, not an error', async () => {
    expect(await get('/api/insurance/claims?unit=450102&year=2020')).toMatchObject({
      year: 2020,
      paid_count: 0,
      paid_amount: 0,
      beneficiaries: 0,
      days_to_pay_mean: null,
      days_to_pay_median: null,
    });
  });
});

describe('units', () => {
  it('lists 14 cities and 111 counties', async () => {
    const body = await get('/api/units');
    expect(body.province.code).toBe('450000');
    expect(body.cities).toHaveLength(14);
    expect(body.cities.flatMap((c: { counties: unknown[] }) => c.counties)).toHaveLength(111);
    expect(body.cities[0].counties[0]).toEqual({ code: '450102', name: '兴宁区', short_name: '兴宁', pinyin: 'xing ning', kind: 'district', name_en: 'Xingning District' });
  });
  it("the tree is read once per snapshot (its dimensions do not change) and is the one GET /api/units lists", async () => {
    const db = env.app.warehouse.current!.db;
    const tree = unitTree(db);
    expect(unitTree(db)).toBe(tree);
    expect((await get('/api/units')).cities).toEqual(await tree);
  });
  it('every unit carries its official English name beside the Chinese one', async () => {
    const body = await get('/api/units');
    expect(body.province).toMatchObject({ name: '广西壮族自治区', name_en: 'Guangxi' });
    expect(body.cities[0]).toMatchObject({ code: '450100', name: '南宁市', name_en: 'Nanning' });
    const counties = new Map<string, string>(body.cities.flatMap((c: { counties: { name: string; name_en: string }[] }) => c.counties.map((k) => [k.name, k.name_en])));
    expect(counties.get('宾阳县')).toBe('Binyang County');
    expect(counties.get('桂平市')).toBe('Guiping City'); // a county-level city
    expect(counties.get('三江侗族自治县')).toBe('Sanjiang Dong Autonomous County');
    expect(counties.get('龙胜各族自治县')).toBe('Longsheng Various Nationalities Autonomous County');
    expect(counties.get('兴安县')).toBe("Xing'an County"); // a syllable break, as in Xi'an
    expect(counties.get('西乡塘区')).toBe('Xixiangtang District');
    expect(new Set(counties.values()).size).toBe(111);
    for (const en of counties.values()) expect(en).toMatch(/^[A-Z][a-z']+ (District|County|City|[A-Z][a-z]+( Nationalities)? Autonomous County)$/);
  });
});
