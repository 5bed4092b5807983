// Reloads: the same file twice changes nothing, a correction replaces by key, an id twice in one
// load is rejected the second time (within a file and across files).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { PROBLEMS, SOURCE_LINE } from '../../etl/rejects-file.ts';
import { writeReport } from '../../etl/report.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const header = ['claim_id', 'member_id', 'county_code', 'plan_year', 'submitted_date', 'paid_date', 'amount_yuan', 'status'];
const claim = (id: string, amount: string, status = 'paid') => [id, 'P-1', '450102', '2023', '2023-03-01', status === 'paid' ? '2023-03-08' : '', amount, status];

let dir: string;
let wh: string;
beforeAll(async () => {
  dir = await tempDir();
  wh = path.join(dir, 'wh.duckdb');
});

const facts = () =>
  query<{ claim_id: string; amount: number; status: string; batch_id: number }>(
    wh,
    `SELECT claim_id, amount_yuan::DOUBLE AS amount, status::VARCHAR AS status, batch_id FROM fact_insurance_claim ORDER BY claim_id`,
  );

describe('reloading', () => {
  it('loading the same file twice changes nothing, not even lineage', async () => {
    const file = await writeCsv(path.join(dir, 'claims.csv'), header, [claim('C1', '100'), claim('C2', '200'), claim('C3', '300', 'pending')]);
    const first = await loadFiles({ warehouse: wh, inputs: [file] });
    expect(first.files[0]).toMatchObject({ accepted: 3, replaced: 0, unchanged: 0 });
    const before = await facts();
    const second = await loadFiles({ warehouse: wh, inputs: [file] });
    expect(second.files[0]).toMatchObject({ accepted: 3, replaced: 0, unchanged: 3, rejected: 0 });
    expect(await facts()).toEqual(before);
    const marts = await query(wh, `SELECT count(*)::INTEGER AS n, sum(paid_count)::INTEGER AS paid FROM mart_claims_county_month`);
    expect(marts).toEqual([{ n: 1, paid: 2 }]);
  });

  it('a correction replaces the row with the same key and counts as replaced', async () => {
    const file = await writeCsv(path.join(dir, 'correction.csv'), header, [claim('C2', '250'), claim('C3', '300', 'paid'), claim('C4', '400')]);
    const result = await loadFiles({ warehouse: wh, inputs: [file] });
    expect(result.files[0]).toMatchObject({ accepted: 3, replaced: 2, unchanged: 0 });
    const rows = await facts();
    expect(rows.map((r) => [r.claim_id, r.amount, r.status])).toEqual([
      ['C1', 100, 'paid'],
      ['C2', 250, 'paid'],
      ['C3', 300, 'paid'],
      ['C4', 400, 'paid'],
    ]);
    // Lineage: C1 still comes from the first load, the corrected rows from this one.
    const batches = new Set(rows.filter((r) => r.claim_id !== 'C1').map((r) => r.batch_id));
    expect(batches.size).toBe(1);
    expect(rows[0].batch_id).toBeLessThan([...batches][0]);
  });

  it('an id given twice in one load is rejected the second time, in a file and across files', async () => {
    const a = await writeCsv(path.join(dir, 'a.csv'), header, [claim('D1', '1'), claim('D2', '2'), claim('D1', '9')]);
    const b = await writeCsv(path.join(dir, 'b.csv'), header, [claim('D2', '7'), claim('D3', '3')]);
    const result = await loadFiles({ warehouse: wh, inputs: [a, b] });
    expect(result.files[0]).toMatchObject({ accepted: 2, rejected: 1 });
    expect(result.files[0].rejects).toMatchObject([{ line: 4, column: 'claim_id', value: 'D1', reason: expect.stringContaining('already on line 2 of this file') }]);
    expect(result.files[1]).toMatchObject({ accepted: 1, rejected: 1 });
    expect(result.files[1].rejects).toMatchObject([{ line: 2, value: 'D2', reason: expect.stringContaining('already on line 3 of a.csv') }]);
    const rows = await facts();
    expect(rows.filter((r) => r.claim_id.startsWith('D')).map((r) => [r.claim_id, r.amount])).toEqual([
      ['D1', 1],
      ['D2', 2],
      ['D3', 3],
    ]);
  });

  it('records every file in load_batch and every problem in load_reject', async () => {
    const batches = await query<{ file_name: string; rows_read: number; rows_rejected: number }>(
      wh,
      `SELECT file_name, rows_read, rows_rejected FROM load_batch ORDER BY batch_id`,
    );
    expect(batches.map((b) => [path.basename(b.file_name), b.rows_read, b.rows_rejected])).toEqual([
      ['claims.csv', 3, 0],
      ['claims.csv', 3, 0],
      ['correction.csv', 3, 0],
      ['a.csv', 3, 1],
      ['b.csv', 2, 1],
    ]);
    expect(await query(wh, `SELECT count(*)::INTEGER AS n FROM load_reject`)).toEqual([{ n: 2 }]);
  });
});

describe('the fix-and-resend file', () => {
  it('sent back with its rows fixed loads them as first sent: extra columns ignored, formula guards removed', async () => {
    const rwh = path.join(dir, 'resend.duckdb');
    const bad = (id: string) => [id, '=P-2', '459999', '2023', '2023-03-01', '2023-03-08', '50', 'paid'];
    const file = await writeCsv(path.join(dir, 'county.csv'), header, [claim('R1', '10'), bad('-R2'), bad('@R3')]);
    const summary = await loadFiles({ warehouse: rwh, inputs: [file] });
    expect(summary.files[0]).toMatchObject({ accepted: 1, rejected: 2 });
    const [rejects] = await writeReport(summary, path.join(dir, 'report'));
    const sent = await readFile(rejects, 'utf8');
    expect(sent).toContain("'-R2,'=P-2,459999");

    // The office corrects the county code in the file it got and sends it back.
    const fixed = path.join(dir, 'county.fixed.csv');
    await writeFile(fixed, sent.replaceAll('459999', '450102'));
    const again = await loadFiles({ warehouse: rwh, inputs: [fixed] });
    expect(again.files[0]).toMatchObject({ accepted: 2, rejected: 0, ignoredColumns: [SOURCE_LINE, PROBLEMS] });
    expect(await query(rwh, `SELECT claim_id, member_id FROM fact_insurance_claim ORDER BY claim_id`)).toEqual([
      { claim_id: '-R2', member_id: '=P-2' },
      { claim_id: '@R3', member_id: '=P-2' },
      { claim_id: 'R1', member_id: 'P-1' },
    ]);
  });
});
