// The year to date, its baseline a year earlier, the projection to year end (60-projection.sql) and
// the pace alerts (85-alerts.sql), with data up to 15 June 2024: 167 of 366 days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, insertMediation, r4, scoringWarehouse, useCatalog, type MediationCase, type Scoring } from './scoring.ts';

const A = '450102'; // 2023: 10 successes every month; 2024: 12 a month to May, 12 in the first half of June
const B = '450103'; // nothing in 2023; 40 successes by 15 June 2024

const month = (y: number, m: number, day = 10) => `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const success = (county: string, date: string): MediationCase => ({ county, received: date, closed: date, outcome: 'success' });

describe('year to date and projection', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'MS', rule: '>= prev', unit: 'count', period: 'monthly', source: 'mediation', metric: 'mediation_successes', weight: 40 },
      { code: 'M100', rule: '>= 100', unit: 'count', source: 'mediation', metric: 'mediation_successes', weight: 30 },
      { code: 'MR', rule: '>= 72%', period: 'monthly', source: 'mediation', metric: 'mediation_success_rate', weight: 30 },
      { code: 'MC', rule: '>= 10', unit: 'count', period: 'monthly', source: 'mediation', metric: 'mediation_successes', weight: 10 },
    ]);
    const rows: MediationCase[] = [];
    for (let m = 1; m <= 12; m++) rows.push(...cases(10, success(A, month(2023, m))));
    for (let m = 1; m <= 6; m++) rows.push(...cases(12, success(A, month(2024, m))));
    rows.push(...cases(40, success(B, '2024-03-01')));
    rows.push({ county: B, received: '2024-06-15', closed: '2024-06-15', outcome: 'failed' });
    await insertMediation(s, rows);
    await s.score();
  });
  afterAll(() => s.close());

  it('the current period runs to the newest date: 1 January to 15 June', async () => {
    const [p] = await s.all(`SELECT end_date::VARCHAR AS end_date, days_elapsed, days_in_year, is_year_end, is_partial_month, is_latest
                             FROM score_period WHERE period = '2024'`);
    expect(p).toEqual({ end_date: '2024-06-15', days_elapsed: 167, days_in_year: 366, is_year_end: false, is_partial_month: true, is_latest: true });
    const quarters = await s.all<{ period: string }>(`SELECT period FROM score_period WHERE period_kind = 'quarter' AND year = 2024`);
    expect(quarters.map((q) => q.period)).toEqual(['2024-Q1']); // Q2 has not ended
  });

  it('>= prev compares with the same days a year earlier: June 2023 counts 15 of its 30 days', async () => {
    const [ms] = await s.all(`SELECT value, baseline, target, status FROM indicator_score WHERE unit_code = '${A}' AND indicator_code = 'MS' AND period = '2024'`);
    expect(ms).toEqual({ value: 72, baseline: 55, target: 55, status: 'met' }); // 5 x 10 + 10 x 15/30
  });

  it('a flow with a previous year projects on last year\'s season: 72 x 120 / 55', async () => {
    const [p] = await s.all<Record<string, number | string | boolean>>(
      `SELECT projection_method, projected_value, annual_target, will_meet FROM indicator_projection
       WHERE unit_code = '${A}' AND indicator_code = 'MS' AND period = '2024'`,
    );
    expect(p.projection_method).toBe('run_rate_seasonal');
    expect(r4(p.projected_value as number)).toBe(r4((72 * 120) / 55));
    expect(p).toMatchObject({ annual_target: 120, will_meet: true });
  });

  it('without a previous year a flow projects on a straight run rate: 40 x 366 / 167', async () => {
    const [p] = await s.all<Record<string, number | string | boolean>>(
      `SELECT projection_method, value, projected_value, annual_target, will_meet, monthly_pace, monthly_pace_needed
       FROM indicator_projection WHERE unit_code = '${B}' AND indicator_code = 'M100' AND period = '2024'`,
    );
    expect(p).toMatchObject({ projection_method: 'run_rate', value: 40, annual_target: 100, will_meet: false });
    expect(r4(p.projected_value as number)).toBe(r4((40 * 366) / 167));
    expect(r4(p.monthly_pace as number)).toBe(r4((40 / 167) * 30.5));
    expect(r4(p.monthly_pace_needed as number)).toBe(r4((60 / (366 - 167)) * 30.5));
  });

  it('a rate projects at its current value', async () => {
    const rows = await s.all(
      `SELECT unit_code, projection_method, r.value, projected_value, annual_target, will_meet FROM indicator_projection r
       WHERE indicator_code = 'MR' AND period = '2024' ORDER BY unit_code`,
    );
    expect(rows.map((r) => [r.unit_code, r.projection_method, r4(r.projected_value as number), r.will_meet])).toEqual([
      [A, 'current_value', 100, true],
      [B, 'current_value', r4((100 * 40) / 41), true],
    ]);
  });

  it('a complete year is its own projection', async () => {
    const [p] = await s.all(`SELECT projection_method, value, projected_value FROM indicator_projection
                             WHERE unit_code = '${A}' AND indicator_code = 'M100' AND period = '2023'`);
    expect(p).toEqual({ projection_method: 'actual', value: 120, projected_value: 120 });
  });

  it('behind the pace needed for the annual target: an alert with its numbers', async () => {
    const alerts = await s.all(
      `SELECT unit_code, indicator_code, value, reference_value, round(projected_value, 4) AS projected,
              round(monthly_pace_needed, 4) AS needed
       FROM indicator_alert WHERE alert_kind = 'behind_pace' AND period = '2024' AND unit_code IN ('${A}', '${B}')
       ORDER BY unit_code, indicator_code`,
    );
    // A is ahead on everything; B reaches 88 of 100 and of 12 x 10 at this pace
    expect(alerts).toEqual([
      { unit_code: B, indicator_code: 'M100', value: 40, reference_value: 100, projected: r4((40 * 366) / 167), needed: r4((60 / 199) * 30.5) },
      { unit_code: B, indicator_code: 'MC', value: 40, reference_value: 120, projected: r4((40 * 366) / 167), needed: r4((80 / 199) * 30.5) },
    ]);
  });

  it('a fixed target of a count per month is per month: x 3 at the end of Q1, x 12 for the year', async () => {
    const rows = await s.all(
      `SELECT period, value, target, status FROM indicator_score WHERE unit_code = '${A}' AND indicator_code = 'MC'
       AND period IN ('2023', '2024-Q1') ORDER BY period`,
    );
    expect(rows).toEqual([
      { period: '2023', value: 120, target: 120, status: 'met' },
      { period: '2024-Q1', value: 36, target: 30, status: 'met' },
    ]);
    const [annual] = await s.all(`SELECT target FROM indicator_score WHERE unit_code = '${A}' AND indicator_code = 'M100' AND period = '2024-Q1'`);
    expect(annual).toEqual({ target: 100 }); // an annual indicator's target is for the year whatever the window
  });
});
