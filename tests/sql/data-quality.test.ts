// Data quality (95-data-quality.sql): reports on time, late, loaded centrally, missing or corrected,
// judged from when each report first arrived; rejects attributed to units; the age of the newest data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMediation, insertReports, scoringWarehouse, useCatalog, type Scoring } from './scoring.ts';

const [A, B] = ['450102', '450103'];

describe('data quality', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'Q', rule: '>= 1', unit: 'count', period: 'quarterly' },
      { code: 'P', rule: '>= 90%' },
    ]);
    // started_at is when the load ran; arrived_at when the data arrived (a county's submission time).
    await s.exec(`INSERT INTO load_batch (batch_id, file_name, sha256, stream, started_at, source, arrived_at) VALUES
      (1, 'in/indicator_value_history.csv', 'x', 'indicator_value', TIMESTAMP '2024-08-15 09:00:00', 'central', TIMESTAMP '2024-08-15 09:00:00'),
      (2, 'submission-2.csv', 'x', 'indicator_value', TIMESTAMP '2024-11-02 09:00:00', 'county', TIMESTAMP '2024-10-10 16:00:00'),
      (3, 'submission-3.csv', 'x', 'indicator_value', TIMESTAMP '2024-11-02 09:00:01', 'county', TIMESTAMP '2024-08-20 10:00:00'),
      (4, 'submission-4.csv', 'x', 'indicator_value', TIMESTAMP '2025-01-10 09:00:00', 'county', TIMESTAMP '2025-01-10 08:00:00'),
      (5, 'submission-5.csv', 'x', 'indicator_value', TIMESTAMP '2025-03-01 09:00:00', 'county', TIMESTAMP '2025-03-01 08:00:00'),
      (6, 'in/indicator_value_fix.csv', 'x', 'indicator_value', TIMESTAMP '2025-03-02 09:00:00', 'central', TIMESTAMP '2025-03-02 09:00:00'),
      (11, 'in/mediation_450103_2024.csv', 'x', 'mediation', TIMESTAMP '2025-02-01 09:00:00', 'central', TIMESTAMP '2025-02-01 09:00:00'),
      (12, 'C:\\in\\funding_2024.xlsx', 'x', 'funding', TIMESTAMP '2025-02-02 09:00:00', 'central', TIMESTAMP '2025-02-02 09:00:00')`);
    await s.exec(`INSERT INTO load_reject VALUES
      (11, 'in/mediation_450103_2024.csv', 2, 'closed_date', '2024-13-01', 'not a date'),
      (11, 'in/mediation_450103_2024.csv', 2, 'outcome', '???', 'unknown value'),
      (11, 'in/mediation_450103_2024.csv', 3, 'workers', '0', 'must be at least 1'),
      (12, 'C:\\in\\funding_2024.xlsx', 7, 'recipient_code', '450200', 'a city where a county was required'),
      (12, 'C:\\in\\funding_2024.xlsx', 8, 'amount_yuan', '-5', 'negative amount')`);
    // the facts as they stand now: each carries the batch that last wrote it
    await insertReports(s, [
      ['P', A, '2023', 95, 6], // history (batch 1), corrected centrally in March 2025
      ['P', A, '2024', 95, 4], // due 15 January 2025, submitted 10 January: on time
      ['Q', A, '2024-Q1', 1, 1], // history loaded in August 2024, after its due date: central, not late
      ['Q', A, '2024-Q2', 1, 3], // due 15 July, submitted 20 August: late
      ['Q', A, '2024-Q3', 1, 5], // submitted 10 October (on time, published in November), corrected in March 2025
      ['Q', A, '2024-Q4', 1, 4], // due 15 January 2025, submitted 10 January: on time
    ]);
    // the batch each report first arrived with, as the loader records it
    await s.exec(`INSERT INTO report_arrival VALUES
      ('P', '${A}', '2023', 1), ('P', '${A}', '2024', 4), ('Q', '${A}', '2024-Q1', 1),
      ('Q', '${A}', '2024-Q2', 3), ('Q', '${A}', '2024-Q3', 2), ('Q', '${A}', '2024-Q4', 4)`);
    await insertMediation(s, [{ county: B, received: '2024-09-10', closed: '2024-09-20', outcome: 'success' }]);
    await s.score();
  });
  afterAll(() => s.close());

  it('each expected report is judged by its first arrival: on time, late, central or missing', async () => {
    const rows = await s.all<{ indicator_code: string; period: string; due_date: string; arrival_source: string | null; status: string }>(
      `SELECT indicator_code, period, due_date::VARCHAR AS due_date, arrival_source, status
       FROM report_status WHERE unit_code = '${A}' ORDER BY indicator_code, period`,
    );
    expect(rows.map((r) => [r.indicator_code, r.period, r.due_date, r.arrival_source, r.status])).toEqual([
      ['P', '2023', '2024-01-15', 'central', 'central'],
      ['P', '2024', '2025-01-15', 'county', 'on_time'],
      ['Q', '2023-Q1', '2023-04-15', null, 'missing'],
      ['Q', '2023-Q2', '2023-07-15', null, 'missing'],
      ['Q', '2023-Q3', '2023-10-15', null, 'missing'],
      ['Q', '2023-Q4', '2024-01-15', null, 'missing'],
      ['Q', '2024-Q1', '2024-04-15', 'central', 'central'],
      ['Q', '2024-Q2', '2024-07-15', 'county', 'late'],
      ['Q', '2024-Q3', '2024-10-15', 'county', 'on_time'],
      ['Q', '2024-Q4', '2025-01-15', 'county', 'on_time'],
    ]);
  });

  it('a correction after the due date is a correction: the report keeps the status of its first arrival', async () => {
    const rows = await s.all(
      `SELECT indicator_code, period, strftime(arrived_at, '%Y-%m-%d') AS arrived, strftime(corrected_at, '%Y-%m-%d') AS corrected,
              corrected_after_due, status
       FROM report_status WHERE unit_code = '${A}' AND value IS NOT NULL ORDER BY indicator_code, period`,
    );
    expect(rows).toEqual([
      { indicator_code: 'P', period: '2023', arrived: '2024-08-15', corrected: '2025-03-02', corrected_after_due: true, status: 'central' },
      { indicator_code: 'P', period: '2024', arrived: '2025-01-10', corrected: null, corrected_after_due: false, status: 'on_time' },
      { indicator_code: 'Q', period: '2024-Q1', arrived: '2024-08-15', corrected: null, corrected_after_due: false, status: 'central' },
      { indicator_code: 'Q', period: '2024-Q2', arrived: '2024-08-20', corrected: null, corrected_after_due: false, status: 'late' },
      { indicator_code: 'Q', period: '2024-Q3', arrived: '2024-10-10', corrected: '2025-03-01', corrected_after_due: true, status: 'on_time' },
      { indicator_code: 'Q', period: '2024-Q4', arrived: '2025-01-10', corrected: null, corrected_after_due: false, status: 'on_time' },
    ]);
  });

  it('per unit: the counts of the last two years, and which are missing', async () => {
    const [a] = await s.all(
      `SELECT reports_expected, reports_received, reports_on_time, reports_late, reports_central, reports_corrected,
              reports_missing, missing_reports
       FROM unit_data_quality WHERE unit_code = '${A}'`,
    );
    expect(a).toEqual({
      reports_expected: 10, reports_received: 6, reports_on_time: 3, reports_late: 1, reports_central: 2, reports_corrected: 2,
      reports_missing: 4, missing_reports: ['Q 2023-Q1', 'Q 2023-Q2', 'Q 2023-Q3', 'Q 2023-Q4'],
    });
  });

  it('rejected rows are attributed by the unit code in the file name or in a rejected unit column', async () => {
    const rows = await s.all(`SELECT unit_code, rows_rejected_recent, rows_rejected_unattributed FROM unit_data_quality
                              WHERE unit_code IN ('${B}', '450200', '450000') ORDER BY unit_code`);
    expect(rows).toEqual([
      { unit_code: '450000', rows_rejected_recent: 0, rows_rejected_unattributed: 1 },
      { unit_code: B, rows_rejected_recent: 2, rows_rejected_unattributed: null },
      { unit_code: '450200', rows_rejected_recent: 1, rows_rejected_unattributed: null },
    ]);
  });

  it('the newest data of each unit and how far it lags the province', async () => {
    const rows = await s.all(
      `SELECT unit_code, newest_mediation_month, newest_data_month, months_behind, data_age_days FROM unit_data_quality
       WHERE unit_code IN ('${A}', '${B}', '450100') ORDER BY unit_code`,
    );
    // the newest date anywhere is the end of 2024-Q4 (A's reports): as of 31 December 2024
    expect(rows).toEqual([
      { unit_code: '450100', newest_mediation_month: '2024-09', newest_data_month: '2024-09', months_behind: 3, data_age_days: 92 },
      { unit_code: A, newest_mediation_month: null, newest_data_month: null, months_behind: null, data_age_days: null },
      { unit_code: B, newest_mediation_month: '2024-09', newest_data_month: '2024-09', months_behind: 3, data_age_days: 92 },
    ]);
  });
});
