// A big CSV read as it lies is checked in the pass that reads it (etl/load.ts checkAsRead), with no copy
// of its rows; one that is not clean is staged and checked again the usual way. Either way its outcome
// must be that of loading it the usual way (loadOne): the same snapshot, row for row (the lines of the
// facts too: they come from the rows' order), and the same summary (counts, rejects with their line,
// column and reason, rows to fix and resend). Below, files over the size that takes that path: a clean
// one with a row left alone and a row replaced, one with keys repeated within it and from the file before,
// one with a bad date, an unknown county and a line of the wrong width, and a clean claims file.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { warehouseDifferences } from '../helpers/compare-warehouses.ts';
import { LOAD_CLOCK, loadOntoCopy, withoutTime, type LoadedCopy } from '../helpers/load-two-ways.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const MEDIATION = ['case_id', 'county_code', 'received_date', 'closed_date', 'dispute_type', 'channel', 'outcome', 'workers', 'amount_yuan'];
const CLAIM = ['claim_id', 'member_id', 'county_code', 'plan_year', 'submitted_date', 'paid_date', 'amount_yuan', 'status'];
const COUNTIES = ['450102', '450103', '450105', '450107', '450108'];
const mediation = (id: string, county: string, day: number, outcome = 'success') => {
  const received = `2026-10-${String(day).padStart(2, '0')}`;
  return [id, county, received, outcome === 'pending' ? '' : '2026-10-28', 'wages', 'union', outcome, 1 + (day % 7), `${1000 + day}.50`];
};
/** Enough rows to pass the size from which a file is checked as read (4 MiB). */
const ROWS = 70_000;
const many = (prefix: string) => Array.from({ length: ROWS }, (_, i) => mediation(`${prefix}${i}`, COUNTIES[i % 5], 1 + (i % 27)));

let dir: string;
let files: string[];
let asRead: LoadedCopy;
let usual: LoadedCopy;

beforeAll(async () => {
  process.env.UC_DUCKDB_THREADS = '1'; // both builds sum DOUBLEs in one order (etl/publish.ts)
  dir = await tempDir('uc-check-as-read-');
  const base = path.join(dir, 'base.duckdb');
  await loadFiles({
    warehouse: base,
    inputs: [await writeCsv(path.join(dir, 'base.csv'), MEDIATION, [mediation('B1', '450102', 3), mediation('B2', '450103', 4)])],
  });
  const clean = many('A');
  clean[100] = mediation('B1', '450102', 3); // as in the warehouse: left alone
  clean[200] = mediation('B2', '450103', 4, 'failed'); // changed: replaces it
  const dups = many('D');
  dups[500] = dups[10]; // line 502 repeats line 12
  dups[60_000] = mediation('A7', COUNTIES[2], 8); // given by the file before
  const bad = many('X');
  bad[1_000] = ['X1000', '450102', '2026-13-40', '', 'wages', 'union', 'pending', 2, ''];
  bad[40_000] = mediation('X40000', '459999', 5);
  const claims = Array.from({ length: ROWS }, (_, i) => [`C${i}`, `M${i % 9_000}`, COUNTIES[i % 5], '2026', '2026-10-02', '2026-10-09', `${100 + (i % 50)}.00`, 'paid']);
  files = [
    await writeCsv(path.join(dir, 'clean.csv'), MEDIATION, clean),
    await writeCsv(path.join(dir, 'dups.csv'), MEDIATION, dups),
    await writeCsv(path.join(dir, 'bad.csv'), MEDIATION, bad),
    await writeCsv(path.join(dir, 'claims.csv'), CLAIM, claims),
  ];
  // A line of the wrong width in the bad file, after the unknown county.
  const badFile = files[2];
  const text = (await readFile(badFile, 'utf8')).split('\n');
  text.splice(50_002, 0, 'X-short,450105,2026-10-14');
  await writeFile(badFile, text.join('\n'));
  asRead = await loadOntoCopy(base, files, path.join(dir, 'as-read.duckdb'), 'as-etl-load');
  usual = await loadOntoCopy(base, files, path.join(dir, 'usual.duckdb'), 'file-by-file');
}, 300_000);

describe('big CSV files checked as they are read', () => {
  it('publishes the snapshot that the usual staging and check publish', async () => {
    expect(await warehouseDifferences(asRead.warehouse, usual.warehouse, LOAD_CLOCK)).toEqual([]);
  });

  it('gives each file the summary the usual staging and check give it', () => {
    expect(asRead.summary.files.map(withoutTime)).toEqual(usual.summary.files.map(withoutTime));
  });

  it('numbers the rows by their lines in the file', async () => {
    const facts = await query<{ case_id: string; line: number }>(
      asRead.warehouse,
      `SELECT case_id, line FROM fact_mediation WHERE case_id IN ('A0', 'A69999', 'B2', 'D12345') ORDER BY case_id`,
    );
    expect(facts).toEqual([
      { case_id: 'A0', line: 2 },
      { case_id: 'A69999', line: 70_001 },
      { case_id: 'B2', line: 202 },
      { case_id: 'D12345', line: 12_347 },
    ]);
    const [{ wrong }] = await query<{ wrong: number }>(
      asRead.warehouse,
      `SELECT count(*) FILTER (WHERE line <> substr(claim_id, 2)::INTEGER + 2)::INTEGER AS wrong FROM fact_insurance_claim`,
    );
    expect(wrong).toBe(0);
  });

  it('reports the rejects of each file with their lines', () => {
    const [clean, dups, bad, claims] = asRead.summary.files;
    expect(clean).toMatchObject({ read: ROWS, accepted: ROWS, replaced: 1, unchanged: 1, rejected: 0 });
    expect(claims).toMatchObject({ read: ROWS, accepted: ROWS, rejected: 0 });
    expect(dups.rejects).toEqual([
      { line: 502, column: 'case_id', value: 'D10', reason: expect.stringContaining('already on line 12 of this file') },
      { line: 60_002, column: 'case_id', value: 'A7', reason: expect.stringContaining('already on line 9 of clean.csv in this load') },
    ]);
    expect(dups.rejectedRows.map((r) => [r.line, r.values.case_id])).toEqual([[502, 'D10'], [60_002, 'A7']]);
    expect(bad.rejects).toEqual([
      { line: 1_002, column: 'received_date', value: '2026-13-40', reason: expect.any(String) },
      { line: 40_002, column: 'county_code', value: '459999', reason: expect.any(String) },
      { line: 50_003, column: null, value: 'X-short,450105,2026-10-14', reason: expect.stringContaining('wrong number of columns') },
    ]);
    expect(bad).toMatchObject({ read: ROWS + 1, accepted: ROWS - 2, rejected: 3 });
  });
});
