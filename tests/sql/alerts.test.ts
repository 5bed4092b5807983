// Sharp-drop alerts (85-alerts.sql) and the briefing facts built on them (90-briefing.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, insertAssistance, insertFunding, insertMediation, insertReports, scoringWarehouse, useCatalog, type AssistanceCase, type MediationCase, type Scoring } from './scoring.ts';

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

// A drop alert says a figure fell. A stream-sourced period in which the unit has no record of the
// stream has no data (not sent yet), not a value of 0; and a rate whose fall rests on a couple of
// cases (2 resolved of 30 on file, then none of 29) is noise, not a trend: a rate needs 10 cases
// behind its numerator too, as a count needs 10 behind its previous value.
describe('sharp drops rest on data', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse('evidence');
    await useCatalog(s, [
      { code: 'M', rule: '>= 10', unit: 'count', period: 'monthly', source: 'mediation', metric: 'mediation_successes', dropAlert: 30, weight: 50 },
      { code: 'RR', rule: '>= 10%', period: 'quarterly', source: 'assistance', metric: 'assistance_resolved_rate', dropAlert: 10, weight: 50 },
    ]);
    const mediation: MediationCase[] = [];
    for (const m of ['01', '02', '03', '04', '05']) {
      // A: 12 successes a month to May, then nothing sent for June
      mediation.push(...cases(12, { county: A, received: `2024-${m}-05`, closed: `2024-${m}-05`, outcome: 'success' }));
    }
    // C: 12 in May, and in June 2 successes of 12 closed: a real fall, with its records
    mediation.push(...cases(12, { county: C, received: '2024-05-05', closed: '2024-05-05', outcome: 'success' }));
    mediation.push(...cases(2, { county: C, received: '2024-06-05', closed: '2024-06-05', outcome: 'success' }));
    mediation.push(...cases(10, { county: C, received: '2024-06-05', closed: '2024-06-05', outcome: 'failed' }));
    // B's data reaches July: the as-of date, so 2024-Q2 has ended
    mediation.push(...cases(1, { county: B, received: '2024-07-15', closed: '2024-07-15', outcome: 'success' }));
    await insertMediation(s, mediation);
    const assistance: AssistanceCase[] = [];
    const onFile = (county: string, n: number, resolvedAt: [string, number][]) => {
      let left = n;
      for (const [closed, k] of resolvedAt) {
        for (let i = 0; i < k; i++) assistance.push({ county, opened: '2023-12-01', status: 'resolved', closed });
        left -= k;
      }
      for (let i = 0; i < left; i++) assistance.push({ county, opened: '2023-12-01', status: 'active' });
    };
    // A: 30 on file; 2 resolved in Q1 (6.67%), none in Q2 while a new case came in (0 of 29)
    onFile(A, 30, [['2024-02-10', 2]]);
    assistance.push({ county: A, opened: '2024-05-05', status: 'active' });
    // C: 40 on file; 12 resolved in Q1 (30%), 4 in Q2 (4 of 28: 14.29%)
    onFile(C, 40, [['2024-02-10', 12], ['2024-05-10', 4]]);
    await insertAssistance(s, assistance);
    await s.score();
  });
  afterAll(() => s.close());

  const drops = (period: string) =>
    s.all(`SELECT unit_code, indicator_code, native_period, round(value, 2) AS value, round(reference_value, 2) AS reference_value
           FROM indicator_alert WHERE alert_kind = 'sharp_drop' AND period = '${period}' AND unit_level = 'county' ORDER BY unit_code, indicator_code`);

  it('a month without any record of the unit is not a fall to 0; a month with its records is', async () => {
    const found = (await drops('2024-Q2')).filter((d) => d.indicator_code === 'M');
    expect(found).toEqual([{ unit_code: C, indicator_code: 'M', native_period: '2024-06', value: 2, reference_value: 12 }]);
  });

  it('a rate falls only on 10 cases or more behind its numerator', async () => {
    const found = (await drops('2024-Q2')).filter((d) => d.indicator_code === 'RR');
    expect(found).toEqual([{ unit_code: C, indicator_code: 'RR', native_period: '2024-Q2', value: 14.29, reference_value: 30 }]);
    // A's own figures are there: 0 of 29 after 2 of 30, below the floor
    const [a] = await s.all<{ value: number; numerator: number; denominator: number }>(
      `SELECT value, numerator, denominator FROM indicator_period_value WHERE unit_code = '${A}' AND indicator_code = 'RR' AND period = '2024-Q2'`,
    );
    expect(a).toEqual({ value: 0, numerator: 0, denominator: 29 });
  });
});

// Disbursements are the federation's own ledger, not a county's report: a year in which a county was
// paid nothing while the programme ran is a real 0%, and a fall to it is a drop.
describe('a fall of disbursements to nothing', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse('ledger');
    await useCatalog(s, [
      { code: 'F', rule: '>= 50%', period: 'annual', source: 'funding', metric: 'strengthening_subsidy_disbursed_rate', dropAlert: 30 },
    ]);
    await insertFunding(s, [
      { recipient: A, program: 'county_strengthening', source: 'regional_federation', amount: 80_000, date: '2023-06-10' },
      { recipient: C, program: 'county_strengthening', source: 'regional_federation', amount: 80_000, date: '2023-06-10' },
      { recipient: C, program: 'county_strengthening', source: 'regional_federation', amount: 90_000, date: '2024-06-10' },
    ]);
    // the data reaches January 2025: 2024 is a complete year
    await insertMediation(s, [{ county: B, received: '2025-01-15', closed: '2025-01-15', outcome: 'success' }]);
    await s.score();
  });
  afterAll(() => s.close());

  it('A, paid 80% of its allocation in 2023 and nothing in 2024, has a drop; C, paid more, has none', async () => {
    const found = await s.all(
      `SELECT DISTINCT unit_code, native_period, round(value, 2) AS value, round(reference_value, 2) AS reference_value
       FROM indicator_alert WHERE alert_kind = 'sharp_drop' AND indicator_code = 'F' AND unit_level = 'county' ORDER BY unit_code`,
    );
    expect(found).toEqual([{ unit_code: A, native_period: '2024', value: 0, reference_value: 80 }]);
  });
});
