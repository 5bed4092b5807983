// Stream metrics (20-metric-values.sql), hand-counted: counties count, cities and the province add up
// numerators and denominators and recount distinct people; windows are month, quarter, year to date
// and year.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../../etl/catalog/metrics.ts';
import { cases, insertAssistance, insertFunding, insertMediation, insertTraining, r4, scoringWarehouse, type Scoring } from './scoring.ts';

const A = '450102'; // 南宁市
const B = '450103'; // 南宁市
const E = '450202'; // 柳州市
const NANNING = '450100';

describe('metric values', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await insertMediation(s, [
      ...cases(3, { county: A, received: '2024-03-01', closed: '2024-03-11', outcome: 'success', type: 'wages', amount: 1000 }),
      ...cases(6, { county: A, received: '2024-03-01', closed: '2024-03-11', outcome: 'success', amount: 1000 }),
      { county: A, received: '2024-03-01', closed: '2024-03-11', outcome: 'failed', amount: 500 },
      { county: A, received: '2024-02-01', closed: '2024-03-11', outcome: 'withdrawn' },
      { county: A, received: '2024-03-01', outcome: 'pending' },
      { county: B, received: '2024-03-05', closed: '2024-03-11', outcome: 'success' },
      { county: B, received: '2024-03-05', closed: '2024-03-11', outcome: 'failed' },
    ]);
    await insertTraining(s, [
      { county: A, person: 'P1', kind: 'certification', date: '2024-02-01', level: 'senior', certified: true },
      { county: B, person: 'P1', kind: 'certification', date: '2024-05-01', level: 'junior', certified: true },
      { county: A, person: 'P1', kind: 'certification', date: '2024-07-01', level: 'junior', certified: true },
      { county: E, person: 'P2', kind: 'certification', date: '2024-02-01', level: 'technician', certified: true },
      { county: A, person: 'P3', kind: 'certification', date: '2024-02-01', level: 'senior', certified: false },
      { county: A, person: 'P4', kind: 'training', date: '2024-02-03' },
      { county: A, person: 'P4', kind: 'training', date: '2024-02-04' },
      { county: A, person: 'P5', kind: 'competition', date: '2024-02-04', level: 'senior', certified: true },
    ]);
    await insertAssistance(s, [
      { county: A, opened: '2023-06-01', status: 'active' },
      { county: A, opened: '2023-03-01', status: 'resolved', closed: '2024-04-01', aid: 2000 },
      { county: A, opened: '2024-02-01', status: 'resolved', closed: '2024-08-01', channel: 'referral', aid: 3000 },
      { county: A, opened: '2023-01-01', status: 'exited', closed: '2023-12-01', aid: 1000 },
    ]);
    await insertFunding(s, [
      { recipient: A, program: 'county_strengthening', source: 'regional_federation', amount: 60_000, date: '2024-03-15' },
      { recipient: A, program: 'county_strengthening', source: 'regional_federation', amount: 40_000, date: '2024-09-15' },
      { recipient: '450200', program: 'workers_palace', source: 'acftu', amount: 1_000_000, date: '2024-12-31' },
      { recipient: E, program: 'hardship', source: 'finance', amount: 10_000, date: '2023-01-20' },
    ]);
    await s.exec(`INSERT INTO fact_insurance_enrolment (member_id, county_code, plan_year, plan, enrolled_date, contribution_yuan, batch_id, line) VALUES
      ('M1', '${A}', 2023, 'inpatient', '2023-01-05', 100, 1, 1), ('M1', '${A}', 2024, 'inpatient', '2024-01-05', 100, 1, 2),
      ('M1', '${A}', 2024, 'accident', '2024-01-05', 50, 1, 3), ('M2', '${A}', 2024, 'inpatient', '2024-01-05', 100, 1, 4),
      ('M3', '${B}', 2024, 'inpatient', '2024-01-05', 100, 1, 5), ('M3', '${A}', 2024, 'accident', '2024-06-05', 100, 1, 6)`);
    // paid claims: M1 in A (February, August) and in B (May), M2 in E; a rejected claim is not a benefit
    await s.exec(`INSERT INTO fact_insurance_claim (claim_id, member_id, county_code, plan_year, submitted_date, paid_date, amount_yuan, status, batch_id, line) VALUES
      ('C1', 'M1', '${A}', 2024, '2024-02-01', '2024-02-10', 100, 'paid', 1, 1), ('C2', 'M1', '${A}', 2024, '2024-02-11', '2024-02-20', 100, 'paid', 1, 2),
      ('C3', 'M1', '${B}', 2024, '2024-05-01', '2024-05-10', 100, 'paid', 1, 3), ('C4', 'M1', '${A}', 2024, '2024-08-01', '2024-08-10', 100, 'paid', 1, 4),
      ('C5', 'M2', '${E}', 2024, '2024-02-01', '2024-02-10', 100, 'paid', 1, 5), ('C6', 'M3', '${A}', 2024, '2024-02-01', NULL, 100, 'rejected', 1, 6)`);
    await s.score();
  });
  afterAll(() => s.close());

  const value = async (unit: string, metric: string, kind: string, period: string) => {
    const rows = await s.all<{ value: number | null; numerator: number | null; denominator: number | null; null_reason: string | null }>(
      `SELECT value, numerator, denominator, null_reason FROM metric_value
       WHERE unit_code = '${unit}' AND metric = '${metric}' AND period_kind = '${kind}' AND period = '${period}'`,
    );
    expect(rows.length).toBe(1);
    return rows[0];
  };

  it('mediation success rate: success / (success + failed); withdrawn and pending are outside', async () => {
    expect(await value(A, 'mediation_success_rate', 'month', '2024-03')).toMatchObject({ value: 90, numerator: 9, denominator: 10 });
    expect(await value(B, 'mediation_success_rate', 'year', '2024')).toMatchObject({ value: 50 });
  });

  it('a city recomputes the rate from its counties\' counts (10 / 12), never the mean of their rates', async () => {
    expect(r4((await value(NANNING, 'mediation_success_rate', 'quarter', '2024-Q1')).value)).toBe(r4((100 * 10) / 12));
    expect(r4((await value('450000', 'mediation_success_rate', 'ytd', '2024-12')).value)).toBe(r4((100 * 10) / 12));
  });

  it('a rate without cases is NULL with a reason, not 0', async () => {
    expect(await value(A, 'mediation_success_rate', 'month', '2024-04')).toMatchObject({ value: null, null_reason: 'no_records' });
    expect(await value(E, 'mediation_successes', 'month', '2024-04')).toMatchObject({ value: 0, null_reason: null });
  });

  it('days to close average success and failed cases only; wage successes and amounts count by closed date', async () => {
    expect(await value(A, 'mediation_days_to_close', 'year', '2024')).toMatchObject({ value: 10 });
    expect(r4((await value(NANNING, 'mediation_days_to_close', 'year', '2024')).value)).toBe(r4((10 * 10 + 2 * 6) / 12));
    expect(await value(A, 'wage_mediation_successes', 'year', '2024')).toMatchObject({ value: 3 });
    expect(await value(A, 'mediation_success_amount', 'year', '2024')).toMatchObject({ value: 9000 });
  });

  it('certifications count distinct people at each level: P1 once in 南宁市 although certified in two counties', async () => {
    expect(await value(A, 'certifications', 'year', '2024')).toMatchObject({ value: 1 });
    expect(await value(B, 'certifications', 'year', '2024')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'certifications', 'year', '2024')).toMatchObject({ value: 1 });
    expect(await value('450000', 'certifications', 'year', '2024')).toMatchObject({ value: 2 });
    // by window: once in Q1 and once again in Q3 for A, but once in the year
    expect(await value(A, 'certifications', 'quarter', '2024-Q3')).toMatchObject({ value: 1 });
    expect(await value(A, 'certifications', 'ytd', '2024-06')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'certifications', 'ytd', '2024-05')).toMatchObject({ value: 1 });
    expect(await value(A, 'competition_certifications', 'year', '2024')).toMatchObject({ value: 1 });
  });

  it('members paid a claim (受益职工) are distinct people at each level; paid claims (受益人次) are not', async () => {
    expect(await value(A, 'claims_paid_count', 'year', '2024')).toMatchObject({ value: 3 });
    expect(await value(A, 'claims_beneficiary_people', 'year', '2024')).toMatchObject({ value: 1 });
    expect(await value(A, 'claims_beneficiary_people', 'month', '2024-02')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'claims_beneficiary_people', 'year', '2024')).toMatchObject({ value: 1 });
    expect(await value('450000', 'claims_beneficiary_people', 'year', '2024')).toMatchObject({ value: 2 });
    // once in Q1 and once again in Q3 for A, but once in the year; in 南宁市 once by May although in two counties
    expect(await value(A, 'claims_beneficiary_people', 'quarter', '2024-Q3')).toMatchObject({ value: 1 });
    expect(await value(A, 'claims_beneficiary_people', 'ytd', '2024-08')).toMatchObject({ value: 1 });
    expect(await value(B, 'claims_beneficiary_people', 'quarter', '2024-Q2')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'claims_beneficiary_people', 'ytd', '2024-05')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'claims_beneficiary_people', 'quarter', '2024-Q2')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'claims_beneficiary_people', 'month', '2024-06')).toMatchObject({ value: 0 });
  });

  it('training and competition participations are person-times; senior share counts certified records with a level', async () => {
    expect(await value(A, 'training_participants', 'month', '2024-02')).toMatchObject({ value: 2 });
    expect(await value(A, 'competition_participants', 'year', '2024')).toMatchObject({ value: 1 });
    // A: P1 senior + P1 junior + P5 senior (competition) certified with a level; P3 not certified
    expect(r4((await value(A, 'senior_certified_share', 'year', '2024')).value)).toBe(r4((100 * 2) / 3));
  });

  it('resolved rate: resolved in the window / cases on file during it', async () => {
    // on file in 2024: the active case and the case resolved in April (both open on 1 January) + the one opened in February
    expect(await value(A, 'assistance_resolved_rate', 'year', '2024')).toMatchObject({ numerator: 2, denominator: 3 });
    // Q2: on file at 1 April = active + April's + February's; resolved in Q2 = April's
    expect(await value(A, 'assistance_resolved_rate', 'quarter', '2024-Q2')).toMatchObject({ numerator: 1, denominator: 3 });
    expect(await value(A, 'assistance_referral_share', 'year', '2024')).toMatchObject({ value: 100 });
    expect(await value(A, 'assistance_aid_paid', 'year', '2024')).toMatchObject({ value: 3000 }); // by opened date
  });

  it('the strengthening subsidy accumulates from 1 January against 100,000 a county', async () => {
    expect(await value(A, 'strengthening_subsidy_disbursed_rate', 'ytd', '2024-03')).toMatchObject({ value: 60 });
    expect(await value(A, 'strengthening_subsidy_disbursed_rate', 'ytd', '2024-12')).toMatchObject({ value: 100 });
    expect(r4((await value(NANNING, 'strengthening_subsidy_disbursed_rate', 'year', '2024')).value)).toBe(r4(100 / 12));
    // the programme did not run in 2023 (nothing disbursed in 2023 or 2022)
    expect(await value(A, 'strengthening_subsidy_disbursed_rate', 'year', '2023')).toMatchObject({ value: null, null_reason: 'no_program' });
  });

  it('members are distinct per plan year at each level, and growth compares with the previous year', async () => {
    expect(await value(A, 'members', 'year', '2024')).toMatchObject({ value: 3 });
    expect(await value(B, 'members', 'year', '2024')).toMatchObject({ value: 1 });
    expect(await value(NANNING, 'members', 'year', '2024')).toMatchObject({ value: 3 });
    expect(await value(A, 'member_growth', 'year', '2024')).toMatchObject({ value: 200 });
    expect(await value(B, 'member_growth', 'year', '2024')).toMatchObject({ value: null, null_reason: 'no_baseline' });
  });

  it('windows before a stream has any record are NULL (no data yet), after it zero counts are 0', async () => {
    // the first mediation record is the case received on 1 February 2024
    expect(await value(A, 'mediation_successes', 'year', '2023')).toMatchObject({ value: null, null_reason: 'no_data_yet' });
    expect(await value(A, 'mediation_successes', 'ytd', '2024-01')).toMatchObject({ value: null, null_reason: 'no_data_yet' });
    expect(await value(A, 'mediation_successes', 'ytd', '2024-02')).toMatchObject({ value: 0, null_reason: null });
    expect(await value(A, 'mediation_successes', 'ytd', '2024-04')).toMatchObject({ value: 9, null_reason: null });
    expect(await value(A, 'certifications', 'ytd', '2024-01')).toMatchObject({ value: null, null_reason: 'no_data_yet' });
  });

  it('every metric of etl/catalog/metrics.ts is computed, with its source, and nothing else', async () => {
    const defined = await s.all<{ metric: string; source: string }>(`SELECT metric, source FROM metric_def ORDER BY metric`);
    expect(defined).toEqual(metrics.map((m) => ({ metric: m.name, source: m.source })).sort((a, b) => a.metric.localeCompare(b.metric)));
    const computed = await s.all<{ metric: string }>(`SELECT DISTINCT metric FROM metric_value ORDER BY metric`);
    expect(computed.map((c) => c.metric)).toEqual(defined.map((d) => d.metric));
  });

  it('every unit has every window once', async () => {
    const dupes = await s.all(
      `SELECT unit_code, metric, period_kind, period FROM metric_value GROUP BY ALL HAVING count(*) > 1 LIMIT 5`,
    );
    expect(dupes).toEqual([]);
    const [n] = await s.all(`SELECT count(DISTINCT unit_code)::INTEGER AS units FROM metric_value`);
    expect(n).toEqual({ units: 111 + 14 + 1 });
  });
});
