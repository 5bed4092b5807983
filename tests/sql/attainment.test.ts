// Attainment, points and status (sql/indicators/30-attainment.sql), hand-computed: one small catalog
// of ten indicators worth 10 points each, one county's reports for 2023 and 2024, scored for 2024.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFunding, insertReports, r4, scoringWarehouse, useCatalog, type Scoring } from './scoring.ts';

const A = '450102'; // 兴宁区, 南宁市
const B = '450103'; // 青秀区, 南宁市
const C = '450105'; // 江南区, 南宁市

interface Row {
  indicator_code: string;
  value: number | null;
  baseline: number | null;
  target: number | null;
  attainment: number | null;
  attainment_raw: number | null;
  weight_effective: number | null;
  points: number | null;
  points_lost: number | null;
  status: string;
  status_reason: string | null;
  target_rule: string;
}

describe('attainment of each target rule and direction', () => {
  let s: Scoring;
  let rows: Map<string, Row>;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'P90', rule: '>= 90%' },
      { code: 'L15', rule: '<= 15', unit: 'days' },
      { code: 'BAND', rule: 'between 90% and 100%' },
      { code: 'YES', rule: '= true', unit: 'boolean' },
      { code: 'PREV', rule: '>= prev', unit: 'count' },
      { code: 'PREV5', rule: '>= prev +5%', unit: 'count' },
      { code: 'PREV1PT', rule: '>= prev +1pt' },
      { code: 'OVR', rule: '>= 72%', overrides: { 2024: '>= 80%' } },
      { code: 'CAP', rule: '>= 100', unit: 'count' },
      { code: 'MISS', rule: '>= 1', unit: 'count' },
    ]);
    await insertReports(s, [
      ['PREV', A, '2023', 100],
      ['PREV5', A, '2023', 100],
      ['PREV1PT', A, '2023', 50],
      ['P90', A, '2024', 81],
      ['L15', A, '2024', 20],
      ['BAND', A, '2024', 110],
      ['YES', A, '2024', 1],
      ['PREV', A, '2024', 90],
      ['PREV5', A, '2024', 100],
      ['PREV1PT', A, '2024', 50.5],
      ['OVR', A, '2024', 76],
      ['CAP', A, '2024', 150],
      // B: the other side of each rule
      ['P90', B, '2024', 95],
      ['L15', B, '2024', 12],
      ['BAND', B, '2024', 81],
      ['YES', B, '2024', 0],
      ['PREV', B, '2024', 7],
      ['CAP', B, '2024', 100],
      ['OVR', B, '2023', 71],
      ['BAND', C, '2024', 95],
      ['L15', C, '2024', 45],
      ['OVR', C, '2023', 72],
    ]);
    await s.score();
    const all = await s.all<Row & { unit_code: string }>(`SELECT * FROM indicator_score WHERE period = '2024' AND unit_code = '${A}'`);
    rows = new Map(all.map((r) => [r.indicator_code, r]));
  });
  afterAll(() => s.close());

  const of = (code: string) => rows.get(code)!;

  it('>= N%: value / target', () => {
    expect(of('P90')).toMatchObject({ value: 81, target: 90, status: 'not_met', points: 9 });
    expect(r4(of('P90').attainment)).toBe(0.9);
  });

  it('<= N (lower is better): target / value', () => {
    expect(of('L15')).toMatchObject({ value: 20, target: 15, attainment: 0.75, points: 7.5, points_lost: 2.5, status: 'not_met' });
  });

  it('between A% and B%: full inside, value / A below, 2 - value / B above', async () => {
    expect(of('BAND')).toMatchObject({ value: 110, target: null, status: 'not_met' });
    expect(r4(of('BAND').attainment)).toBe(0.9); // 2 - 110/100
    const band = await s.all<{ unit_code: string; attainment: number; status: string }>(
      `SELECT unit_code, attainment, status FROM indicator_score WHERE period = '2024' AND indicator_code = 'BAND' AND unit_code IN ('${B}', '${C}') ORDER BY unit_code`,
    );
    expect(band.map((b) => [b.unit_code, r4(b.attainment), b.status])).toEqual([
      [B, 0.9, 'not_met'], // 81 / 90
      [C, 1, 'met'],
    ]);
  });

  it('= true: a report of 1 earns everything, 0 nothing', async () => {
    expect(of('YES')).toMatchObject({ value: 1, target: 1, attainment: 1, status: 'met' });
    const [b] = await s.all(`SELECT attainment, status FROM indicator_score WHERE period = '2024' AND indicator_code = 'YES' AND unit_code = '${B}'`);
    expect(b).toEqual({ attainment: 0, status: 'not_met' });
  });

  it('>= prev: the same period of the previous year is the target', () => {
    expect(of('PREV')).toMatchObject({ value: 90, baseline: 100, target: 100, status: 'not_met' });
    expect(r4(of('PREV').attainment)).toBe(0.9);
  });

  it('>= prev +5%: relative uplift (prev x 1.05)', () => {
    expect(of('PREV5')).toMatchObject({ value: 100, baseline: 100, target: 105, status: 'not_met' });
    expect(r4(of('PREV5').attainment)).toBe(r4(100 / 105));
  });

  it('>= prev +1pt: percentage-point uplift (prev + 1)', () => {
    expect(of('PREV1PT')).toMatchObject({ value: 50.5, baseline: 50, target: 51, status: 'not_met' });
    expect(r4(of('PREV1PT').attainment)).toBe(r4(50.5 / 51));
  });

  it('a per-year override replaces the default target for that year only', async () => {
    expect(of('OVR')).toMatchObject({ target_rule: '>= 80%', target: 80, value: 76, status: 'not_met' });
    expect(r4(of('OVR').attainment)).toBe(0.95);
    const y2023 = await s.all<{ unit_code: string; target: number; status: string }>(
      `SELECT unit_code, target, status FROM indicator_score WHERE period = '2023' AND indicator_code = 'OVR' AND unit_code IN ('${B}', '${C}') ORDER BY 1`,
    );
    expect(y2023).toEqual([
      { unit_code: B, target: 72, status: 'not_met' },
      { unit_code: C, target: 72, status: 'met' },
    ]);
  });

  it('attainment is capped at 1.0; attainment_raw keeps the ratio', () => {
    expect(of('CAP')).toMatchObject({ value: 150, target: 100, attainment: 1, attainment_raw: 1.5, points: 10, points_lost: 0, status: 'met' });
  });

  it('a missing report scores 0 points and counts as missing', () => {
    expect(of('MISS')).toMatchObject({ value: null, attainment: 0, points: 0, points_lost: 10, status: 'missing', status_reason: 'no_report' });
  });

  it('>= prev without a previous-year value is not applicable and drops out', async () => {
    const [b] = await s.all(`SELECT status, status_reason, weight_effective, points FROM indicator_score
                             WHERE period = '2024' AND indicator_code = 'PREV' AND unit_code = '${B}'`);
    expect(b).toEqual({ status: 'not_applicable', status_reason: 'no_baseline', weight_effective: null, points: null });
  });

  it('the composite is the sum of points rounded to its 2 published decimals: hand-computed', async () => {
    const expected = 10 * (0.9 + 0.75 + 0.9 + 1 + 0.9 + 100 / 105 + 50.5 / 51 + 0.95 + 1 + 0);
    const [score] = await s.all<{ composite: number; indicators_met: number; indicators_missing: number }>(
      `SELECT composite, indicators_met, indicators_missing FROM unit_score WHERE unit_code = '${A}' AND period = '2024'`,
    );
    expect(score.composite).toBe(Math.round(expected * 100) / 100);
    expect(score).toMatchObject({ indicators_met: 2, indicators_missing: 1 });
  });

  it('annual reports are not due (未到期, not 不适用) in a window that ends before December', async () => {
    const q = await s.all<{ status: string; status_reason: string; n: number }>(
      `SELECT status, status_reason, count(*)::INTEGER AS n FROM indicator_score WHERE period = '2024-Q3' GROUP BY ALL`,
    );
    expect(q).toEqual([{ status: 'not_due', status_reason: 'not_due', n: 111 * 10 }]);
    const [u] = await s.all(
      `SELECT composite, indicators_total, indicators_scored, indicators_not_due, indicators_not_applicable FROM unit_score WHERE period = '2024-Q3' AND unit_code = '${A}'`,
    );
    expect(u).toEqual({ composite: null, indicators_total: 10, indicators_scored: 0, indicators_not_due: 10, indicators_not_applicable: 0 });
  });
});

describe('not applicable: the service-complex indicator outside the pilots', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'PILOT', rule: '>= 50%', weight: 40, source: 'funding', metric: 'service_complex_city_match_share', appliesTo: 'service_complex_pilot' },
      { code: 'R1', rule: '>= 1', unit: 'count', weight: 60 },
    ]);
    await insertFunding(s, [
      { recipient: A, program: 'service_complex', source: 'regional_federation', amount: 200_000, date: '2024-05-10' },
      { recipient: A, program: 'service_complex', source: 'city_match', amount: 80_000, date: '2024-09-10' },
      { recipient: B, program: 'workers_palace', source: 'acftu', amount: 500_000, date: '2024-03-10' },
      { recipient: B, program: 'service_complex', source: 'city_match', amount: 10_000, date: '2024-03-10' }, // a match alone makes no pilot
    ]);
    await insertReports(s, [
      ['R1', A, '2024', 1],
      ['R1', B, '2024', 1],
    ]);
    await s.score();
  });
  afterAll(() => s.close());

  it('a pilot is scored on both: 40 x 0.8 + 60 = 92', async () => {
    const rows = await s.all(
      `SELECT indicator_code, value, weight_effective, points, status FROM indicator_score WHERE unit_code = '${A}' AND period = '2024' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { indicator_code: 'PILOT', value: 40, weight_effective: 40, points: 32, status: 'not_met' },
      { indicator_code: 'R1', value: 1, weight_effective: 60, points: 60, status: 'met' },
    ]);
    const [u] = await s.all(`SELECT composite FROM unit_score WHERE unit_code = '${A}' AND period = '2024'`);
    expect(u).toEqual({ composite: 92 });
  });

  it('elsewhere it drops out and the remaining weight is rescaled to 100', async () => {
    const rows = await s.all(
      `SELECT indicator_code, weight_effective, points, status, status_reason FROM indicator_score
       WHERE unit_code = '${B}' AND period = '2024' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { indicator_code: 'PILOT', weight_effective: null, points: null, status: 'not_applicable', status_reason: 'not_pilot' },
      { indicator_code: 'R1', weight_effective: 100, points: 100, status: 'met', status_reason: null },
    ]);
  });

  it('a county becomes a pilot when its grant arrives: not applicable in Q1, scored from Q2', async () => {
    const rows = await s.all<{ period: string; status: string; value: number | null }>(
      `SELECT period, status, value FROM indicator_score WHERE unit_code = '${A}' AND indicator_code = 'PILOT' AND period_kind = 'quarter' ORDER BY period`,
    );
    expect(rows.map((r) => [r.period, r.status, r.value])).toEqual([
      ['2024-Q1', 'not_applicable', null],
      ['2024-Q2', 'not_met', 0],
      ['2024-Q3', 'not_met', 40],
      ['2024-Q4', 'not_met', 40],
    ]);
  });

  it('a missing report still counts against the rescaled weights: 0 of 100', async () => {
    const [row] = await s.all(
      `SELECT weight_effective, points, status FROM indicator_score WHERE unit_code = '${C}' AND indicator_code = 'R1' AND period = '2024'`,
    );
    expect(row).toEqual({ weight_effective: 100, points: 0, status: 'missing' });
    const [u] = await s.all(`SELECT composite, indicators_missing FROM unit_score WHERE unit_code = '${C}' AND period = '2024'`);
    expect(u).toEqual({ composite: 0, indicators_missing: 1 });
  });

  it('applicable weights sum to 100 for every unit and period', async () => {
    const off = await s.all(
      `SELECT unit_code, period, sum(weight_effective) AS w FROM indicator_score GROUP BY ALL
       HAVING count(weight_effective) > 0 AND abs(sum(weight_effective) - 100) > 1e-9`,
    );
    expect(off).toEqual([]);
  });
});
