// A load of many small files (a publish of county months) reads them one by one but checks and merges
// each stream's files together, with one scan of the fact table (etl/merge-batch.ts). Its outcome must be
// that of merging the files one after another in load order (loadOne per file): every table of the
// published snapshot the same, row for row, and every file's own summary (counts, rejects with their
// file, line, column and reason, rows to fix and resend) the same. The files below have keys equal to
// the warehouse, changed against it, new, repeated within a file, repeated across files (after a
// replaced row and after a row left alone), rejects, a title above the header with an unknown column
// and a line the reader cannot split, a file of another stream in between, and reported indicator
// values (checked against the catalog; the first file to bring a report is its arrival).
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../etl/duck.ts';
import { loadFiles } from '../../etl/load.ts';
import { prepareFile, sameReading, stagePrepared, stageTogether } from '../../etl/read/stage.ts';
import { warehouseDifferences } from '../helpers/compare-warehouses.ts';
import { LOAD_CLOCK, loadOntoCopy, withoutTime, type LoadedCopy } from '../helpers/load-two-ways.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const MEDIATION = ['case_id', 'county_code', 'received_date', 'closed_date', 'dispute_type', 'channel', 'outcome', 'workers', 'amount_yuan'];
const CLAIM = ['claim_id', 'member_id', 'county_code', 'plan_year', 'submitted_date', 'paid_date', 'amount_yuan', 'status'];
const mediation = (id: string, county: string, received: string, outcome = 'success', workers = 3) =>
  [id, county, received, outcome === 'pending' ? '' : `${received.slice(0, 8)}25`, 'wages', 'union', outcome, workers, '12000.00'];
const claim = (id: string, amount: string) => [id, 'M-1', '450102', '2026', '2026-10-02', '2026-10-09', amount, 'paid'];

let dir: string;
let base: string;
let files: string[];

beforeAll(async () => {
  process.env.UC_DUCKDB_THREADS = '1'; // both builds sum DOUBLEs in one order (etl/publish.ts)
  dir = await tempDir('uc-batched-merge-');
  base = path.join(dir, 'base.duckdb');
  await loadFiles({
    warehouse: base,
    inputs: [
      await writeCsv(path.join(dir, 'base-mediation.csv'), MEDIATION, [
        mediation('B1', '450102', '2026-09-03'),
        mediation('B2', '450102', '2026-09-04'),
        mediation('B3', '450103', '2026-09-05'),
        mediation('B4', '450103', '2026-09-06'),
      ]),
      await writeCsv(path.join(dir, 'base-claims.csv'), CLAIM, [claim('C1', '100.00')]),
    ],
  });
  files = [
    // 450102's month: B1 as it is (left alone), B2 changed (replaces), two new cases, N2 twice.
    await writeCsv(path.join(dir, '450102-2026-10.csv'), MEDIATION, [
      mediation('B1', '450102', '2026-09-03'),
      mediation('B2', '450102', '2026-09-04', 'failed'),
      mediation('N1', '450102', '2026-10-03'),
      mediation('N2', '450102', '2026-10-04'),
      mediation('N2', '450102', '2026-10-05', 'failed'),
    ]),
    // Another stream in between: its batch id comes between the two mediation files'.
    await writeCsv(path.join(dir, 'claims-2026-10.csv'), CLAIM, [claim('C1', '120.00'), claim('C2', '80.00')]),
    // 450103's month: N1 again (given by the first file), B1 again (left alone by the first file), B3
    // changed, a new case, a bad date, a closed case without its closing date, a new case twice.
    await writeCsv(path.join(dir, '450103-2026-10.csv'), MEDIATION, [
      mediation('N1', '450103', '2026-10-07'),
      mediation('B1', '450103', '2026-09-03'),
      mediation('B3', '450103', '2026-09-05', 'failed'),
      mediation('N3', '450103', '2026-10-08'),
      ['N4', '450103', '2026-13-40', '', 'wages', 'union', 'pending', 2, ''],
      ['N5', '450103', '2026-10-09', '', 'wages', 'union', 'success', 2, ''],
      mediation('N6', '450103', '2026-10-10'),
      mediation('N6', '450103', '2026-10-11'),
    ]),
  ];
  // 450105's month under a title, with a column the contract does not know and a line of the wrong
  // width; it repeats N3 (given by the file before) and B2 (replaced by the first file).
  const titled = path.join(dir, '450105-2026-10.csv');
  await writeFile(
    titled,
    [
      '兴宁区 2026年10月 劳动争议调解案件,,,,,,,,,',
      [...MEDIATION, '备注'].join(','),
      [...mediation('N7', '450105', '2026-10-12'), '新案'].join(','),
      [...mediation('N3', '450105', '2026-10-13'), ''].join(','),
      [...mediation('B2', '450105', '2026-09-04'), ''].join(','),
      'N8,450105,2026-10-14',
      [...mediation('B4', '450103', '2026-09-06'), ''].join(','),
    ].join('\n') + '\n',
  );
  files.push(titled);
  // Reported indicator values, checked with the catalog: the later file repeats a report and sends a value that is no number.
  const IV = ['indicator_code', 'unit_code', 'period', 'value'];
  files.push(await writeCsv(path.join(dir, 'iv-a.csv'), IV, [['C04', '450102', '2025', '95%'], ['C04', '450103', '2025', '90%']]));
  files.push(await writeCsv(path.join(dir, 'iv-b.csv'), IV, [['C04', '450102', '2025', '97%'], ['C04', '450105', '2025', 'abc'], ['C04', '450107', '2025', '80%']]));
}, 300_000);

describe('a load of several small files merged together', () => {
  let batched: LoadedCopy;
  let oneByOne: LoadedCopy;
  beforeAll(async () => {
    batched = await loadOntoCopy(base, files, path.join(dir, 'batched.duckdb'), 'as-etl-load');
    oneByOne = await loadOntoCopy(base, files, path.join(dir, 'one-by-one.duckdb'), 'file-by-file');
  }, 300_000);

  it('publishes the warehouse that merging the files one by one publishes', async () => {
    expect(await warehouseDifferences(batched.warehouse, oneByOne.warehouse, LOAD_CLOCK)).toEqual([]);
  });

  it('gives each file the summary it gets when merged on its own', () => {
    expect(batched.summary.files.map(withoutTime)).toEqual(oneByOne.summary.files.map(withoutTime));
  });

  it('keeps each file its batch, counts and rejects', async () => {
    const [first, claims, second, titled] = batched.summary.files;
    expect(first).toMatchObject({ accepted: 4, replaced: 1, unchanged: 1, rejected: 1 });
    expect(claims).toMatchObject({ stream: 'insurance_claim', accepted: 2, replaced: 1, unchanged: 0, rejected: 0 });
    expect(second).toMatchObject({ accepted: 3, replaced: 1, unchanged: 0, rejected: 5 });
    expect(titled).toMatchObject({ read: 6, accepted: 2, replaced: 0, unchanged: 1, rejected: 3, ignoredColumns: ['备注'] });
    expect(titled.skipped.map((s) => s.line)).toEqual([1]);
    const batches = await query<{ batch_id: number; file: string; rows_accepted: number; rows_rejected: number }>(
      batched.warehouse,
      `SELECT batch_id, parse_filename(file_name) AS file, rows_accepted, rows_rejected FROM load_batch WHERE batch_id > 2 ORDER BY batch_id`,
    );
    expect(batches).toEqual([
      { batch_id: 3, file: '450102-2026-10.csv', rows_accepted: 4, rows_rejected: 1 },
      { batch_id: 4, file: 'claims-2026-10.csv', rows_accepted: 2, rows_rejected: 0 },
      { batch_id: 5, file: '450103-2026-10.csv', rows_accepted: 3, rows_rejected: 5 },
      { batch_id: 6, file: '450105-2026-10.csv', rows_accepted: 2, rows_rejected: 3 },
      { batch_id: 7, file: 'iv-a.csv', rows_accepted: 2, rows_rejected: 0 },
      { batch_id: 8, file: 'iv-b.csv', rows_accepted: 1, rows_rejected: 2 },
    ]);
    // A report arrives with the file that first brought it.
    expect(await query(batched.warehouse, `SELECT unit_code, batch_id FROM report_arrival WHERE period = '2025' ORDER BY unit_code`)).toEqual([
      { unit_code: '450102', batch_id: 7 },
      { unit_code: '450103', batch_id: 7 },
      { unit_code: '450107', batch_id: 8 },
    ]);
  });

  it('names the file and line a repeated key was first given on', () => {
    const [first, , second, titled] = batched.summary.files;
    expect(first.rejects).toEqual([{ line: 6, column: 'case_id', value: 'N2', reason: expect.stringContaining('already on line 5 of this file') }]);
    expect(second.rejects).toEqual([
      { line: 2, column: 'case_id', value: 'N1', reason: expect.stringContaining('already on line 4 of 450102-2026-10.csv in this load') },
      { line: 3, column: 'case_id', value: 'B1', reason: expect.stringContaining('already on line 2 of 450102-2026-10.csv in this load') },
      { line: 6, column: 'received_date', value: '2026-13-40', reason: expect.any(String) },
      { line: 7, column: 'closed_date', value: null, reason: expect.any(String) },
      { line: 9, column: 'case_id', value: 'N6', reason: expect.stringContaining('already on line 8 of this file') },
    ]);
    expect(titled.rejects).toEqual([
      { line: 4, column: 'case_id', value: 'N3', reason: expect.stringContaining('already on line 5 of 450103-2026-10.csv in this load') },
      { line: 5, column: 'case_id', value: 'B2', reason: expect.stringContaining('already on line 3 of 450102-2026-10.csv in this load') },
      { line: 6, column: null, value: 'N8,450105,2026-10-14', reason: expect.stringContaining('wrong number of columns') },
    ]);
    // The rows to fix and resend carry the values as sent.
    expect(second.rejectedRows.map((r) => [r.line, r.values.case_id])).toEqual([[2, 'N1'], [3, 'B1'], [6, 'N4'], [7, 'N5'], [9, 'N6']]);
  });

  it('writes each row under the batch of the file that gave it', async () => {
    const facts = await query<{ case_id: string; county_code: string; batch_id: number; line: number; outcome: string }>(
      batched.warehouse,
      `SELECT case_id, county_code, batch_id, line, outcome::VARCHAR AS outcome FROM fact_mediation ORDER BY case_id`,
    );
    expect(facts).toEqual([
      { case_id: 'B1', county_code: '450102', batch_id: 1, line: 2, outcome: 'success' },
      { case_id: 'B2', county_code: '450102', batch_id: 3, line: 3, outcome: 'failed' },
      { case_id: 'B3', county_code: '450103', batch_id: 5, line: 4, outcome: 'failed' },
      { case_id: 'B4', county_code: '450103', batch_id: 1, line: 5, outcome: 'success' },
      { case_id: 'N1', county_code: '450102', batch_id: 3, line: 4, outcome: 'success' },
      { case_id: 'N2', county_code: '450102', batch_id: 3, line: 5, outcome: 'success' },
      { case_id: 'N3', county_code: '450103', batch_id: 5, line: 5, outcome: 'success' },
      { case_id: 'N6', county_code: '450103', batch_id: 5, line: 8, outcome: 'success' },
      { case_id: 'N7', county_code: '450105', batch_id: 6, line: 3, outcome: 'success' },
    ]);
  });
});

describe('a big file after small ones in one load', () => {
  it('merges the held small files first, then the big file on its own, each with its own counts', async () => {
    const warehouse = path.join(dir, 'big-after-small.duckdb');
    await copyFile(base, warehouse);
    const small = await writeCsv(path.join(dir, 'small-2026-11.csv'), MEDIATION, [mediation('S1', '450102', '2026-11-03')]);
    // Over the 50,000 rows a file may have and still be held (etl/load.ts): checked and merged alone.
    const bigRows = Array.from({ length: 50_001 }, (_, i) => mediation(`L${i}`, '450103', '2026-11-04'));
    const big = await writeCsv(path.join(dir, 'big-2026-11.csv'), MEDIATION, bigRows);
    const summary = await loadFiles({ warehouse, inputs: [small, big] });
    expect(summary.files.map((f) => [path.basename(f.file), f.accepted, f.rejected])).toEqual([
      ['small-2026-11.csv', 1, 0],
      ['big-2026-11.csv', 50_001, 0],
    ]);
    const [{ n }] = await query<{ n: number }>(warehouse, `SELECT count(*)::INTEGER AS n FROM fact_mediation WHERE case_id = 'S1' OR case_id LIKE 'L%'`);
    expect(n).toBe(50_002);
  }, 120_000);
});

// County months are mostly spreadsheets: the small ones read alike (their sheets written as CSVs of the
// same columns) are staged together with one read_csv (etl/read/stage.ts stageTogether), a file read
// otherwise (another header, a CSV) in between ends the group. Below: keys left alone, changed, new,
// repeated within a file and across files, a bad date, a row of spaces, a total and a footer row, a
// title above the header with a column the contract does not know, and a CSV between the spreadsheets.
describe('small spreadsheets staged together', () => {
  async function writeXlsx(name: string, rows: (string | number)[][], header = MEDIATION, title?: string): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('mediation');
    if (title) ws.addRow([title]);
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    const file = path.join(dir, name);
    await writeFile(file, Buffer.from(await wb.xlsx.writeBuffer()));
    return file;
  }
  let sheets: string[];
  let batched: LoadedCopy;
  let oneByOne: LoadedCopy;
  beforeAll(async () => {
    sheets = [
      await writeXlsx('x-450102-2026-10.xlsx', [
        mediation('B1', '450102', '2026-09-03'),
        mediation('B2', '450102', '2026-09-04', 'failed'),
        mediation('X1', '450102', '2026-10-03'),
        mediation('X2', '450102', '2026-10-04'),
        mediation('X2', '450102', '2026-10-05', 'failed'),
      ]),
      await writeXlsx('x-450103-2026-10.xlsx', [
        mediation('X1', '450103', '2026-10-07'),
        ['X3', '450103', '2026-13-40', '', 'wages', 'union', 'pending', 2, ''],
        mediation('X4', '450103', '2026-10-08'),
        ['  ', '', '', '', '', '', '', '', ''],
        ['合计', '', '', '', '', '', '', 3, ''],
        ['填表人：张三', '', '', '', '', '', '', '', ''],
      ]),
      await writeCsv(path.join(dir, 'x-claims-2026-10.csv'), CLAIM, [claim('C1', '130.00')]),
      await writeXlsx('x-450105-2026-10.xlsx', [
        [...mediation('X5', '450105', '2026-10-12'), '新案'],
        [...mediation('X4', '450105', '2026-10-13'), ''],
      ], [...MEDIATION, '备注'], '兴宁区 2026年10月 劳动争议调解案件'),
      await writeXlsx('x-450107-2026-10.xlsx', [mediation('B2', '450107', '2026-09-04'), mediation('X6', '450107', '2026-10-14')]),
      await writeXlsx('x-450108-2026-10.xlsx', [mediation('X7', '450108', '2026-10-15'), mediation('X6', '450108', '2026-10-16')]),
    ];
    batched = await loadOntoCopy(base, sheets, path.join(dir, 'sheets-batched.duckdb'), 'as-etl-load');
    oneByOne = await loadOntoCopy(base, sheets, path.join(dir, 'sheets-one-by-one.duckdb'), 'file-by-file');
  }, 300_000);

  it('publishes the warehouse and gives each file the summary that merging them one by one does', async () => {
    expect(await warehouseDifferences(batched.warehouse, oneByOne.warehouse, LOAD_CLOCK)).toEqual([]);
    expect(batched.summary.files.map(withoutTime)).toEqual(oneByOne.summary.files.map(withoutTime));
  });

  it('keeps each spreadsheet its counts, rejects and rows set aside', () => {
    const [first, second, claims, titled, fourth, fifth] = batched.summary.files;
    expect(first).toMatchObject({ format: 'xlsx', read: 5, accepted: 4, replaced: 1, unchanged: 1, rejected: 1 });
    expect(second).toMatchObject({ read: 6, accepted: 1, rejected: 2, blank: 1 });
    expect(second.skipped.map((s) => s.line)).toEqual([6, 7]);
    expect(second.rejects.map((r) => [r.line, r.column])).toEqual([[2, 'case_id'], [3, 'received_date']]);
    expect(claims).toMatchObject({ format: 'csv', accepted: 1, replaced: 1 });
    expect(titled).toMatchObject({ read: 3, accepted: 1, rejected: 1, ignoredColumns: ['备注'] });
    expect(titled.skipped.map((s) => s.line)).toEqual([1]);
    expect(titled.rejects).toEqual([{ line: 4, column: 'case_id', value: 'X4', reason: expect.stringContaining('already on line 4 of x-450103-2026-10.xlsx in this load') }]);
    expect(fourth).toMatchObject({ accepted: 1, rejected: 1 });
    expect(fifth.rejects).toEqual([{ line: 3, column: 'case_id', value: 'X6', reason: expect.stringContaining('already on line 3 of x-450107-2026-10.xlsx in this load') }]);
  });

  it('stages files read alike with one read, each as it is staged alone', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const work = await tempDir('uc-stage-together-');
    try {
      const alike = [sheets[0], sheets[1], sheets[4], sheets[5]];
      const prepared = await Promise.all(alike.map((f, i) => prepareFile(f, work, `p${i}`)));
      expect(prepared.every((p) => sameReading(prepared[0], p))).toBe(true);
      expect(sameReading(prepared[0], await prepareFile(sheets[3], work, 'titled'))).toBe(false);
      const alone = [];
      for (const p of prepared) {
        const staged = await stagePrepared(conn, p);
        alone.push({ staged, rows: await rows(conn, `SELECT * FROM stg ORDER BY __line`) });
      }
      const together = await stageTogether(conn, prepared);
      expect(together).toEqual(alone.map((a) => a.staged));
      for (const [i, a] of alone.entries()) {
        expect(await rows(conn, `SELECT * EXCLUDE (__file, __row) FROM stg_many WHERE __file = ${i} ORDER BY __line`)).toEqual(a.rows);
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
