// A publish of county submissions loads the approved files together, as `etl load` loads small files
// (checked and merged in batches), and checks each file against its county (etl/own-county.ts): a row
// of another county is rejected, and so is a key another county has filed, in the snapshot or in a file
// published before it in this load. The outcome must be that of checking and merging each file after
// the one before (loadOne with ownCountyRule, as the publish did before it batched): the same snapshot,
// row for row, and the same summaries, rejects with their reasons. Below: a row of another county, a key
// the snapshot holds for another county, a county's own row changed, a new key two counties send in one
// load (the first keeps it) and a third takes again, a key whose only earlier row was rejected (free),
// a key repeated within a file, a row that fails the contract beside a rule's, a key whose first row
// passes only when its file is checked on its own, and a big file checked on its own after the held ones.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { warehouseDifferences } from '../helpers/compare-warehouses.ts';
import { LOAD_CLOCK, loadOntoCopy, withoutTime, type LoadedCopy } from '../helpers/load-two-ways.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const MEDIATION = ['case_id', 'county_code', 'received_date', 'closed_date', 'dispute_type', 'channel', 'outcome', 'workers', 'amount_yuan'];
const mediation = (id: string, county: string, received: string, outcome = 'success') =>
  [id, county, received, outcome === 'pending' ? '' : `${received.slice(0, 8)}25`, 'wages', 'union', outcome, 3, '12000.00'];

let dir: string;
let batched: LoadedCopy;
let oneByOne: LoadedCopy;

beforeAll(async () => {
  process.env.UC_DUCKDB_THREADS = '1'; // both builds sum DOUBLEs in one order (etl/publish.ts)
  dir = await tempDir('uc-own-county-');
  const base = path.join(dir, 'base.duckdb');
  await loadFiles({
    warehouse: base,
    inputs: [await writeCsv(path.join(dir, 'base.csv'), MEDIATION, [mediation('B1', '450102', '2026-09-03'), mediation('B2', '450103', '2026-09-04')])],
  });
  const county = new Map<string, string>();
  const file = async (name: string, of: string, rows: (string | number)[][]) => {
    const f = await writeCsv(path.join(dir, name), MEDIATION, rows);
    county.set(f, of);
    return f;
  };
  const files = [
    await file('a-450102.csv', '450102', [
      mediation('B1', '450102', '2026-09-03', 'failed'), // its own case, changed: replaces it
      mediation('A1', '450102', '2026-10-02'),
      mediation('A2', '450103', '2026-10-03'), // another county's row
      mediation('B2', '450102', '2026-10-04'), // B2 is 450103's in the snapshot
      ['X1', '450102', '2026-13-40', '', 'wages', 'union', 'pending', 2, ''], // fails the contract
      mediation('N1', '450102', '2026-10-05'),
      ['N9', '450102', '2026-10-05', '2026-10-25', 'wages', 'union', 'success', '３', '12000.00'], // fails the check of the batch, passes on its own
    ]),
    await file('b-450103.csv', '450103', [
      mediation('N1', '450103', '2026-10-06'), // 450102 sent it first, in this load
      mediation('X1', '450103', '2026-10-07'), // 450102's X1 was rejected: free
      mediation('N2', '450103', '2026-10-08'),
      mediation('N2', '450103', '2026-10-09'), // repeated within the file
    ]),
    await file('c-450105.csv', '450105', [
      mediation('N2', '450105', '2026-10-10'), // 450103's now
      mediation('A1', '450105', '2026-10-11'), // 450102's now
      mediation('C1', '450105', '2026-10-12'),
      mediation('C2', '450107', '2026-10-13'), // another county's row
    ]),
    await file('e-450108.csv', '450108', [
      mediation('N9', '450108', '2026-10-17'), // 450102's, once its row is judged on its own
      mediation('E1', '450108', '2026-10-18'),
    ]),
    // Over the rows a file may have and still be held: checked and merged on its own, after the held ones.
    await file('d-450107.csv', '450107', [
      mediation('C1', '450107', '2026-10-14'), // 450105's now
      mediation('C3', '450102', '2026-10-15'), // another county's row
      ...Array.from({ length: 50_001 }, (_, i) => mediation(`L${i}`, '450107', '2026-10-16')),
    ]),
  ];
  const countyOf = (f: string) => county.get(f)!;
  batched = await loadOntoCopy(base, files, path.join(dir, 'batched.duckdb'), 'as-etl-load', countyOf);
  oneByOne = await loadOntoCopy(base, files, path.join(dir, 'one-by-one.duckdb'), 'file-by-file', countyOf);
}, 300_000);

describe("a publish of county files, each checked against its county", () => {
  it('publishes the snapshot, and gives each file the summary, that checking and merging them one by one does', async () => {
    expect(await warehouseDifferences(batched.warehouse, oneByOne.warehouse, LOAD_CLOCK)).toEqual([]);
    expect(batched.summary.files.map(withoutTime)).toEqual(oneByOne.summary.files.map(withoutTime));
  });

  it('rejects the rows of other counties and the keys other counties filed, first in the snapshot, then in this load', () => {
    const rejects = batched.summary.files.map((f) => f.rejects.map((r) => `${r.line} ${r.column}: ${r.reason.split(' / ')[1]}`));
    expect(rejects).toEqual([
      [
        '4 county_code: 450103 is not your county (450102)',
        '5 county_code: B2 is already filed by another county',
        expect.stringMatching(/^6 received_date: /),
      ],
      ['2 county_code: N1 is already filed by another county', expect.stringMatching(/^5 case_id: .*line 4/)],
      ['2 county_code: N2 is already filed by another county', '3 county_code: A1 is already filed by another county', '5 county_code: 450107 is not your county (450105)'],
      ['2 county_code: N9 is already filed by another county'],
      ['2 county_code: C1 is already filed by another county', '3 county_code: 450102 is not your county (450107)'],
    ]);
    expect(batched.summary.files.map((f) => [f.accepted, f.replaced])).toEqual([[4, 1], [2, 0], [1, 0], [1, 0], [50_001, 0]]);
  });
});
