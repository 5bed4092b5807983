// GET /api/overview: every headline figure by hand from a few rows of each stream, for the three
// windows (the period's year to date, the previous month's, the same months last year), the catalog
// targets (including 2022's override) and the county rules.
import { describe, expect, it } from 'vitest';
import type { Kpi, OverviewResponse } from '../../server/schemas/overview.ts';
import { indicatorScoreValue, metricValue, tiles } from './engine.ts';
import { buildTestApp, CLAIMS, ENROLMENT, login, MEDIATION } from './helpers.ts';

// Resolved by closing quarter: Q1 2022 H6; Q1 2023 H2, H3; Q2 2023 H4 (H1 Q2 2022, H5 still open).
const ASSISTANCE = `case_id,county_code,opened_date,level,cause,channel,aid_yuan,status,closed_date
H1,450102,2022-03-01,deep,illness,union,1000,resolved,2022-05-10
H2,450102,2023-01-05,deep,illness,union,1000,resolved,2023-02-10
H3,450103,2023-01-05,relative,other,referral,500,resolved,2023-03-31
H4,450202,2023-02-01,sudden,disaster,online,800,resolved,2023-04-02
H5,450102,2023-02-01,deep,illness,union,300,active,
H6,450102,2022-01-10,deep,illness,union,300,resolved,2022-02-15
`;
// Q1 2023: training T1 T2 (450102) T3 (450103); certificate T4 (T5 not certified); Q1 2022: training T6.
const TRAINING = `record_id,county_code,person_id,kind,program,date,skill_level,certified
T1,450102,P1,training,焊工培训,2023-01-10,junior,false
T2,450102,P2,training,焊工培训,2023-02-10,,false
T3,450103,P3,training,电工培训,2023-03-10,,false
T4,450102,P1,certification,焊工认定,2023-03-15,junior,true
T5,450102,P4,certification,焊工认定,2023-03-20,junior,false
T6,450102,P5,training,焊工培训,2022-02-10,,false
T7,450202,P6,competition,技能竞赛,2023-02-10,senior,true
`;
// 450100 (Nanning) itself and its county 450102; 450202 is in Liuzhou.
const FUNDING = `grant_id,recipient_code,program,source,amount_yuan,disbursed_date
G1,450102,county_strengthening,regional_federation,50000,2023-01-15
G2,450100,workers_palace,finance,200000,2023-02-01
G3,450202,hardship,acftu,30000,2023-03-01
G4,450103,hardship,finance,10000,2022-02-01
G5,450102,hardship,finance,5000,2023-06-01
`;

const env = await buildTestApp({
  data: {
    'mediation.csv': MEDIATION,
    'enrolment.csv': ENROLMENT,
    'claims.csv': CLAIMS,
    'assistance.csv': ASSISTANCE,
    'training.csv': TRAINING,
    'funding.csv': FUNDING,
  },
});
const leader = await env.login('leader');

async function overview(query: string, cookie = leader): Promise<OverviewResponse> {
  const res = await env.app.inject({ url: `/api/overview?${query}`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const kpi = (o: OverviewResponse, key: Kpi['key']) => o.kpis.find((k) => k.key === key)!;
const figures = (k: Kpi) => [k.value, k.previous, k.last_year];

describe('GET /api/overview', () => {
  it('gives every tile, in a fixed order, for the province by default', async () => {
    const o = await overview('period=2023-05');
    expect(o.unit.code).toBe('450000');
    expect(o).toMatchObject({ period: '2023-05', year: 2023 });
    expect(o.kpis.map((k) => k.key)).toEqual([
      'members', 'member_growth', 'mediation_rate', 'mediation_success', 'claims_paid_amount',
      'claims_beneficiaries', 'hardship_resolved', 'subsidies_disbursed', 'skilled_trained', 'skilled_certified',
    ]);
  });

  it('mediation: year to date, previous month, last year; the catalog target of the year (72%, 70% in 2022)', async () => {
    const feb = await overview('period=2023-02');
    // Jan-Feb 2023: success M1 M2 M3 M8 M9 M13, failed M4 M10 M11. January alone: 3 / 1.
    expect(kpi(feb, 'mediation_rate')).toMatchObject({
      value: 66.67, previous: 75, last_year: null, target: 72, target_rule: '>= 72%', target_indicator: 'R62', met: false,
      from: '2023-01', to: '2023-02', basis: 'year_to_date',
    });
    // Jan-Feb 2022 is before the first mediation record (M12, received November 2022): no data yet, not 0.
    expect(figures(kpi(feb, 'mediation_success'))).toEqual([6, 3, null]);
    // January's previous period is the whole previous year: M12 closed 2022-12-01, successful.
    const jan = await overview('period=2023-01');
    expect(kpi(jan, 'mediation_rate').previous).toBe(100);
    const dec22 = await overview('period=2022-12');
    expect(kpi(dec22, 'mediation_rate')).toMatchObject({ value: 100, target: 70, target_rule: '>= 70%', met: true });
    // A county reads its own set's indicator (C40).
    const county = await overview('period=2023-02&unit=450102');
    expect(kpi(county, 'mediation_rate')).toMatchObject({ value: 75, target: 72, target_indicator: 'C40' });
  });

  it('claims: amount by month of payment; beneficiaries are distinct people (A paid twice counts once)', async () => {
    const o = await overview('period=2023-05');
    expect(figures(kpi(o, 'claims_paid_amount'))).toEqual([4400.75, 3900.5, 0]);
    expect(figures(kpi(o, 'claims_beneficiaries'))).toEqual([4, 4, 0]);
    expect(kpi(o, 'claims_paid_amount')).toMatchObject({ target: 0, target_rule: '>= prev', target_indicator: 'R61' });
    const county = await overview('period=2023-05&unit=450102');
    expect(figures(kpi(county, 'claims_paid_amount'))).toEqual([3500.75, 3000.5, 0]);
    expect(figures(kpi(county, 'claims_beneficiaries'))).toEqual([2, 2, 0]);
  });

  it('members: the plan year against last year, the +5% target rounded up to whole people', async () => {
    const o = await overview('period=2023-05');
    expect(kpi(o, 'members')).toMatchObject({ value: 6, previous: null, last_year: 3, target: 4, target_rule: '>= prev +5%', target_indicator: 'R65', met: true, basis: 'plan_year' });
    expect(kpi(o, 'member_growth')).toMatchObject({ value: 100, last_year: null, target: 5, target_indicator: 'C44', met: true });
    const county = await overview('period=2023-05&unit=450102');
    expect(kpi(county, 'members')).toMatchObject({ value: 3, last_year: 2, target: 3, met: true });
    expect(kpi(county, 'member_growth').value).toBe(50);
  });

  it('quarterly sources count complete quarters only, and say so', async () => {
    const may = await overview('period=2023-05');
    expect(kpi(may, 'hardship_resolved')).toMatchObject({ value: 2, previous: 2, last_year: 1, from: '2023-01', to: '2023-03', basis: 'quarters_to_date', target: null });
    expect(figures(kpi(may, 'skilled_trained'))).toEqual([3, 3, 1]);
    expect(kpi(may, 'skilled_trained')).toMatchObject({ target: 1, target_indicator: 'R38', met: true });
    expect(figures(kpi(may, 'skilled_certified'))).toEqual([1, 1, 0]);
    const june = await overview('period=2023-06');
    expect(kpi(june, 'hardship_resolved')).toMatchObject({ value: 3, previous: 2, to: '2023-06' });
    const feb = await overview('period=2023-02');
    expect(kpi(feb, 'hardship_resolved')).toMatchObject({ value: null, from: null, to: null, met: null });
    const county = await overview('period=2023-05&unit=450102');
    expect(figures(kpi(county, 'skilled_trained'))).toEqual([2, 2, 1]);
    expect(kpi(county, 'hardship_resolved').value).toBe(1);
  });

  it('subsidies: to the unit, a city including its own grants, by month of disbursement', async () => {
    expect(figures(kpi(await overview('period=2023-05'), 'subsidies_disbursed'))).toEqual([280000, 280000, 10000]);
    expect(figures(kpi(await overview('period=2023-05&unit=450100'), 'subsidies_disbursed'))).toEqual([250000, 250000, 10000]);
    expect(figures(kpi(await overview('period=2023-06&unit=450102'), 'subsidies_disbursed'))).toEqual([55000, 50000, 0]);
  });

  it('defaults the period to the month of the newest data', async () => {
    const o = await overview('');
    expect(o.period).toBe('2023-06');
  });

  it('county accounts: their own county only, and must name it', async () => {
    const county = await login(env.app, 'county-450102', 'county-demo');
    expect((await overview('period=2023-05&unit=450102', county)).unit.code).toBe('450102');
    for (const q of ['period=2023-05', 'period=2023-05&unit=450000', 'period=2023-05&unit=450103']) {
      const res = await env.app.inject({ url: `/api/overview?${q}`, headers: { cookie: county } });
      expect(res.statusCode, q).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', field: 'unit' });
    }
  });

  it("every tile is the engine's metric for the same unit and window (metric_value), to the digit", async () => {
    // tile -> the metric it shows and the month its window ends (quarterly sources: the last complete quarter)
    const METRIC: Record<string, [string, (period: string) => string]> = {
      members: ['members', (p) => p],
      member_growth: ['member_growth', (p) => p],
      mediation_rate: ['mediation_success_rate', (p) => p],
      mediation_success: ['mediation_successes', (p) => p],
      claims_paid_amount: ['claims_paid_amount', (p) => p],
      claims_beneficiaries: ['claims_beneficiary_people', (p) => p],
      hardship_resolved: ['assistance_resolved', (p) => `${p.slice(0, 5)}${String(Math.floor(Number(p.slice(5)) / 3) * 3).padStart(2, '0')}`],
      skilled_trained: ['training_participants', (p) => `${p.slice(0, 5)}${String(Math.floor(Number(p.slice(5)) / 3) * 3).padStart(2, '0')}`],
      skilled_certified: ['certifications', (p) => `${p.slice(0, 5)}${String(Math.floor(Number(p.slice(5)) / 3) * 3).padStart(2, '0')}`],
    };
    for (const unit of ['450000', '450100', '450102']) {
      for (const period of ['2023-05', '2023-06']) {
        const o = await overview(`period=${period}&unit=${unit}`);
        const rows = await tiles(env.app, unit, period);
        for (const k of o.kpis) {
          const row = rows.get(k.key)!;
          expect([k.value, k.previous, k.last_year, k.target, k.met], `${unit} ${period} ${k.key}`).toEqual([row.value, row.previous, row.last_year, row.target, row.met]);
          const m = METRIC[k.key];
          if (!m) continue; // subsidies_disbursed: grants to the unit itself, not a scored metric
          const engine = await metricValue(env.app, unit, m[0], 'ytd', m[1](period));
          // published precision: percent and yuan with two decimals
          expect(k.value, `${unit} ${period} ${k.key}`).toBe((k.unit === 'yuan' || k.unit === 'percent') && engine != null ? Math.round(engine * 100) / 100 : engine);
        }
      }
    }
  });

  it('受益职工 (distinct people) borrows no target from 受益人次 (R66 counts paid claims): a target needs the identical metric', async () => {
    for (const unit of ['450000', '450100', '450102']) {
      const o = await overview(`period=2023-05&unit=${unit}`);
      expect(kpi(o, 'claims_beneficiaries')).toMatchObject({ name_zh: '受益职工', target: null, target_rule: null, target_indicator: null, met: null });
    }
  });

  it("the county's mediation tile is its scorecard's C40 for the same window (the year to date)", async () => {
    // 2023 is the scoring period running to the newest data (2023-06-10); its window ends in June.
    const tile = kpi(await overview('period=2023-06&unit=450102'), 'mediation_rate');
    const c40 = await indicatorScoreValue(env.app, '450102', '2023', 'C40');
    expect(tile.value).toBe(c40 == null ? c40 : Math.round(c40 * 100) / 100);
  });

  it('400 for a bad period, 404 for an unknown unit', async () => {
    const bad = await env.app.inject({ url: '/api/overview?period=2023-13', headers: { cookie: leader } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'period' });
    const unknown = await env.app.inject({ url: '/api/overview?unit=459999', headers: { cookie: leader } });
    expect(unknown.statusCode).toBe(404);
  });
});
