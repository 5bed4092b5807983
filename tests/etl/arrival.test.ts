// When a report arrived: the first load that brought it, central (a CLI load) or a county's
// submission at its submitted time. It survives corrections, reloads and the snapshot publish, and is
// what report_status judges punctuality from (tests/sql/data-quality.test.ts covers the rules).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { execute, query } from '../helpers/warehouse.ts';

const header = ['indicator_code', 'unit_code', 'period', 'value'];
const COUNTY = '450102';

let dir: string;
let wh: string;
beforeAll(async () => {
  dir = await tempDir();
  wh = path.join(dir, 'wh.duckdb');
});

interface Status { indicator_code: string; period: string; arrival_source: string; arrived: string; corrected_after_due: boolean; status: string }
const statuses = () =>
  query<Status>(
    wh,
    `SELECT indicator_code, period, arrival_source, strftime(arrived_at, '%Y-%m-%d') AS arrived, corrected_after_due, status
     FROM report_status WHERE unit_code = '${COUNTY}' AND value IS NOT NULL ORDER BY indicator_code, period`,
  );
const arrivals = () => query(wh, `SELECT indicator_code, period, batch_id FROM report_arrival ORDER BY ALL`);

describe('report arrival', () => {
  it('a history loaded in one go through the CLI is central, not late', async () => {
    const file = await writeCsv(path.join(dir, 'history.csv'), header, [
      ['C01', COUNTY, '2023', 3],
      ['C01', COUNTY, '2024', 4],
      ['C03', COUNTY, '2024-Q1', 1],
      ['C03', COUNTY, '2024-Q2', 1],
    ]);
    await loadFiles({ warehouse: wh, inputs: [file] });
    const rows = await statuses();
    expect(rows.map((r) => [r.indicator_code, r.period, r.arrival_source, r.status])).toEqual([
      ['C01', '2023', 'central', 'central'],
      ['C01', '2024', 'central', 'central'],
      ['C03', '2024-Q1', 'central', 'central'],
      ['C03', '2024-Q2', 'central', 'central'],
    ]);
    const [dq] = await query(wh, `SELECT reports_late, reports_central FROM unit_data_quality WHERE unit_code = '${COUNTY}'`);
    expect(dq).toEqual({ reports_late: 0, reports_central: 4 }); // as of the newest period loaded, 2024
  });

  it('a county submission is judged at its submitted time; its corrections of earlier reports are corrections', async () => {
    const file = await writeCsv(path.join(dir, 'submission.csv'), header, [
      ['C01', COUNTY, '2023', 9], // corrects the central report, after its due date (15 January 2024, the reporting calendar's 15th)
      ['C02', COUNTY, '2023', 4], // first arrives after its due date (15 January 2024, the reporting calendar's 15th): late
      ['C02', COUNTY, '2024', 4], // first arrives before its due date (15 January 2025): on time
    ]);
    await loadFiles({ warehouse: wh, inputs: [file], arrival: { source: 'county', at: '2025-01-12T10:00:00+08:00' } });
    expect(await statuses()).toEqual([
      { indicator_code: 'C01', period: '2023', arrival_source: 'central', arrived: expect.any(String), corrected_after_due: true, status: 'central' },
      { indicator_code: 'C01', period: '2024', arrival_source: 'central', arrived: expect.any(String), corrected_after_due: false, status: 'central' },
      { indicator_code: 'C02', period: '2023', arrival_source: 'county', arrived: '2025-01-12', corrected_after_due: false, status: 'late' },
      { indicator_code: 'C02', period: '2024', arrival_source: 'county', arrived: '2025-01-12', corrected_after_due: false, status: 'on_time' },
      { indicator_code: 'C03', period: '2024-Q1', arrival_source: 'central', arrived: expect.any(String), corrected_after_due: false, status: 'central' },
      { indicator_code: 'C03', period: '2024-Q2', arrival_source: 'central', arrived: expect.any(String), corrected_after_due: false, status: 'central' },
    ]);
  });

  it('a later correction of an on-time report keeps it on time and counts as a correction; reloading changes nothing', async () => {
    const file = await writeCsv(path.join(dir, 'fix.csv'), header, [['C02', COUNTY, '2024', 6]]);
    const fix = { source: 'county', at: '2025-06-01T09:00:00+08:00' } as const;
    await loadFiles({ warehouse: wh, inputs: [file], arrival: fix });
    const before = await arrivals();
    const [c02] = (await statuses()).filter((r) => r.indicator_code === 'C02' && r.period === '2024');
    expect(c02).toMatchObject({ arrived: '2025-01-12', corrected_after_due: true, status: 'on_time' });
    const again = await loadFiles({ warehouse: wh, inputs: [file], arrival: { source: 'county', at: '2025-07-01T09:00:00+08:00' } });
    expect(again.files[0]).toMatchObject({ unchanged: 1, replaced: 0 });
    expect(await arrivals()).toEqual(before);
    const [dq] = await query(wh, `SELECT reports_on_time, reports_late, reports_corrected FROM unit_data_quality WHERE unit_code = '${COUNTY}'`);
    expect(dq).toEqual({ reports_on_time: 1, reports_late: 1, reports_corrected: 2 }); // C01 2023 and C02 2024 were corrected after their due dates
  });

  it('a bad arrival stops the load before anything changes, naming the field', async () => {
    const file = await writeCsv(path.join(dir, 'late.csv'), header, [['C04', COUNTY, '2024', 95]]);
    const batches = () => query(wh, `SELECT count(*)::INTEGER AS n FROM load_batch`);
    const before = await batches();
    await expect(loadFiles({ warehouse: wh, inputs: [file], arrival: { source: 'county' } })).rejects.toThrow(/^arrival\.at: /);
    await expect(loadFiles({ warehouse: wh, inputs: [file], arrival: { source: 'county', at: '20 Jan 2025' } })).rejects.toThrow(/^arrival\.at: /);
    await expect(loadFiles({ warehouse: wh, inputs: [file], arrival: { source: 'city' as 'county', at: '2025-01-20T10:00:00Z' } })).rejects.toThrow(/^arrival\.source: /);
    expect(await batches()).toEqual(before);
  });

  it('a warehouse built before arrivals were recorded gets them from the batches that wrote its reports', async () => {
    // as older code left it: no report_arrival, and stamped with that code's version
    await execute(wh, `DROP TABLE report_arrival; UPDATE snapshot_info SET code_version = 'older code'`);
    const file = await writeCsv(path.join(dir, 'claims.csv'), ['claim_id', 'member_id', 'county_code', 'plan_year', 'submitted_date', 'paid_date', 'amount_yuan', 'status'], [
      ['K1', 'P-1', COUNTY, '2024', '2024-03-01', '2024-03-08', '100', 'paid'],
    ]);
    await loadFiles({ warehouse: wh, inputs: [file] });
    expect(await query(wh, `SELECT count(*)::INTEGER AS n FROM report_arrival`)).toEqual(
      await query(wh, `SELECT count(*)::INTEGER AS n FROM fact_indicator_value`),
    );
    expect(await query(wh, `SELECT count(*)::INTEGER AS n FROM report_arrival a JOIN fact_indicator_value f USING (indicator_code, unit_code, period)
                            WHERE a.batch_id <> f.batch_id`)).toEqual([{ n: 0 }]);
  });
});
