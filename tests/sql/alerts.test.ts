// Sharp-drop alerts (85-alerts.sql) and the briefing facts built on them (90-briefing.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, insertMediation, insertReports, scoringWarehouse, useCatalog, type MediationCase, type Scoring } from './scoring.ts';

const [A, B, C] = ['450102', '450103', '450105'];

describe('sharp drops and the briefing', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'Q', rule: '>= prev', unit: 'count', period: 'quarterly', dropAlert: 20, weight: 50 },
      { code: 'P', rule: '>= 90%', dropAlert: 10, weight: 50 },
      { code: 'YN', rule: '= true', unit: 'boolean', weight: 10 },
    ]);
    await insertReports(s, [
      ['Q', A, '2024-Q1', 100], ['Q', A, '2024-Q2', 70], ['Q', A, '2024-Q3', 75], ['Q', A, '2024-Q4', 80],
      ['Q', B, '2024-Q1', 8], ['Q', B, '2024-Q2', 5], // -37.5%, but from 8: below the noise floor
      ['Q', C, '2024-Q1', 100], ['Q', C, '2024-Q2', 85], // -15%: within the 20% threshold
      ['P', A, '2023', 95], ['P', A, '2024', 80], // -15.8% against a 10% threshold
      ['YN', A, '2023', 1], ['YN', A, '2024', 0], // no drop_alert: never an alert
      ['P', C, '2024', 95], ['YN', C, '2024', 1],
    ]);
    // The province's monthly mediation successes: 10 a month through January 2024, then 20 in February.
    const rows: MediationCase[] = [];
    for (let m = 1; m <= 13; m++) {
      const d = m <= 12 ? `2023-${String(m).padStart(2, '0')}-05` : '2024-01-05';
      rows.push(...cases(10, { county: A, received: d, closed: d, outcome: 'success' }));
    }
    rows.push(...cases(20, { county: A, received: '2024-02-05', closed: '2024-02-05', outcome: 'success' }));
    await insertMediation(s, rows);
    await s.score();
  });
  afterAll(() => s.close());

  const drops = (period: string) =>
    s.all(`SELECT unit_code, indicator_code, value, reference_value, native_period, reference_period, round(change_pct, 2) AS change_pct, threshold_pct
           FROM indicator_alert WHERE alert_kind = 'sharp_drop' AND period = '${period}' ORDER BY unit_code, indicator_code`);

  it('a fall of more than drop_alert against the period just before fires, with its numbers', async () => {
    expect(await drops('2024-Q2')).toEqual([
      { unit_code: A, indicator_code: 'Q', value: 70, reference_value: 100, native_period: '2024-Q2', reference_period: '2024-Q1', change_pct: -30, threshold_pct: 20 },
    ]);
  });

  it('annual indicators compare years; the drop stays until a newer period replaces it', async () => {
    const expected = { unit_code: A, indicator_code: 'P', value: 80, reference_value: 95, native_period: '2024', reference_period: '2023',
      change_pct: -15.79, threshold_pct: 10 };
    expect(await drops('2024')).toEqual([expected]);
    expect(await drops('2024-Q4')).toEqual([expected]);
    expect(await drops('2024-Q3')).toEqual([]); // Q3 rose against Q2; 2024 is not over
  });

  it('briefing: the new alert in Q2, cleared in Q3', async () => {
    const facts = await s.all(
      `SELECT period, fact_kind, unit_code, indicator_code, alert_kind, native_period, value, previous_value
       FROM briefing_fact WHERE fact_kind LIKE 'alert%' AND period IN ('2024-Q2', '2024-Q3') ORDER BY period, fact_kind`,
    );
    expect(facts).toEqual([
      { period: '2024-Q2', fact_kind: 'alert_new', unit_code: A, indicator_code: 'Q', alert_kind: 'sharp_drop', native_period: '2024-Q2', value: 70, previous_value: 100 },
      { period: '2024-Q3', fact_kind: 'alert_cleared', unit_code: A, indicator_code: 'Q', alert_kind: 'sharp_drop', native_period: '2024-Q2', value: 70, previous_value: 100 },
    ]);
  });

  it('briefing: a month that beats every earlier month is a record for the unit, its city and the province', async () => {
    const records = await s.all(
      `SELECT unit_code, metric, native_period, value, previous_value FROM briefing_fact
       WHERE period = '2024-Q1' AND fact_kind = 'record' ORDER BY unit_code, metric`,
    );
    expect(records).toEqual([
      { unit_code: '450000', metric: 'mediation_successes', native_period: '2024-02', value: 20, previous_value: 10 },
      { unit_code: '450100', metric: 'mediation_successes', native_period: '2024-02', value: 20, previous_value: 10 },
    ]);
  });

  it('briefing: rank movers up and down, with places and composites', async () => {
    const movers = await s.all<{ fact_kind: string; unit_code: string; change: number; rank: number; rank_prev: number }>(
      `SELECT fact_kind, unit_code, change, rank, rank_prev FROM briefing_fact
       WHERE period = '2024' AND fact_kind LIKE 'rank%' AND unit_level = 'county' ORDER BY fact_kind, ordinal`,
    );
    // 2023: A 100 (1st), everyone else 0 (2nd). 2024: C 100 (1st), A 74.07 (2nd), everyone else 0 (3rd).
    expect(movers.filter((m) => m.fact_kind === 'rank_up')).toEqual([{ fact_kind: 'rank_up', unit_code: C, change: 1, rank: 1, rank_prev: 2 }]);
    const down = movers.filter((m) => m.fact_kind === 'rank_down');
    expect(down.length).toBe(5);
    expect(down[0]).toEqual({ fact_kind: 'rank_down', unit_code: A, change: -1, rank: 2, rank_prev: 1 });
  });
});
