// npm start's first load (etl/first-load.ts): the generator writes each file's rows in plain form and
// the loader inserts those instead of staging and checking the styled file (etl/load-generated.ts);
// the styled files are written afterwards, while the cockpit serves, and their digests published then
// (writeDemoFiles). The warehouse it ends with is table for table, row for row, the one `etl load` of
// the same generated files in the same order gives: facts with their batches and lines, the batches'
// digests and counts, marts, scores, ranks, alerts. Only the load's clock differs.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoFilesPending, generateAndLoad, writeDemoFiles } from '../../etl/first-load.ts';
import { generate, type GeneratedFile, type Manifest } from '../../etl/generate/index.ts';
import { loadFiles } from '../../etl/load.ts';
import { loadGeneratedFile, type GeneratedRows } from '../../etl/load-generated.ts';
import { warehouseDifferences } from '../helpers/compare-warehouses.ts';
import { tempDir } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const JOB = { scale: 0.004, seed: 1, until: '2026-10', today: '2026-11-20' };
// When each load ran: its batches' times, and the arrival time report_status copies from them.
const LOAD_CLOCK = { load_batch: ['started_at', 'finished_at', 'arrived_at'], report_status: ['arrived_at'] };

let dir: string;

beforeAll(async () => {
  process.env.UC_DUCKDB_THREADS = '1'; // both builds sum DOUBLEs in one order (etl/publish.ts)
  dir = await tempDir('uc-first-load-');
});

describe('first load: the generator rows inserted directly', () => {
  it('publishes the same warehouse as `etl load` of the generated files', async () => {
    const out = path.join(dir, 'generated');
    const first = path.join(dir, 'first.duckdb');
    const summary = await generateAndLoad({ ...JOB, out, warehouse: first });
    expect(summary.files.length).toBeGreaterThan(40);
    expect(summary.files.every((f) => f.rejected === 0 && f.accepted === f.read)).toBe(true);
    // The plain rows were working files: gone.
    expect(existsSync(path.join(out, '.rows'))).toBe(false);
    // Published before the styled files exist: the files loaded from plain rows have no digest yet,
    // the indicator values (loaded from their styled files) have theirs, and no manifest lists files
    // that are not there.
    expect(demoFilesPending(out)).toBe(true);
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(false);
    const fromPlainRows = summary.files.filter((f) => f.stream !== 'indicator_value');
    expect(fromPlainRows.some((f) => existsSync(f.file))).toBe(false);
    const [{ n: undigested }] = await query<{ n: number }>(first, `SELECT count(*)::INTEGER AS n FROM load_batch WHERE sha256 = ''`);
    expect(undigested).toBe(fromPlainRows.length);

    // The second step writes the styled files and the manifest, and publishes their digests.
    expect(await writeDemoFiles(first, out)).toEqual({ files: summary.files.length });
    expect(demoFilesPending(out)).toBe(false);
    expect(summary.files.every((f) => existsSync(f.file))).toBe(true);
    expect(await writeDemoFiles(first, out)).toBeNull(); // nothing left to do
    // The two generating processes' files, in one manifest as `etl generate` writes it.
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.map((f) => path.join(out, f.path)).sort()).toEqual(summary.files.map((f) => f.file).sort());
    expect(new Set(manifest.files.map((f) => f.stream)).size).toBe(7);

    const order = await query<{ file_name: string }>(first, 'SELECT file_name FROM load_batch ORDER BY batch_id');
    const loaded = path.join(dir, 'etl-load.duckdb');
    await loadFiles({ warehouse: loaded, inputs: order.map((b) => b.file_name) });
    const [facts] = await query<{ n: number }>(first, 'SELECT count(*)::INTEGER AS n FROM fact_insurance_enrolment');
    expect(facts.n).toBeGreaterThan(10_000);
    expect(await warehouseDifferences(first, loaded, LOAD_CLOCK)).toEqual([]);
  }, 900_000);

  it('publishes no digest for demo files that are not the ones loaded', async () => {
    const out = path.join(dir, 'other');
    const warehouse = path.join(dir, 'other.duckdb');
    await generateAndLoad({ ...JOB, out, warehouse });
    // Another day's generation writes other files under the same names (a later cutoff, other rows).
    const pending = path.join(out, '.demo-files-pending.json');
    await writeFile(pending, JSON.stringify({ ...JSON.parse(await readFile(pending, 'utf8')), until: '2026-11', today: '2026-12-20' }));
    await expect(writeDemoFiles(warehouse, out)).rejects.toThrow('the demo files written differ from those loaded');
    const [{ n }] = await query<{ n: number }>(warehouse, `SELECT count(*)::INTEGER AS n FROM load_batch WHERE sha256 = ''`);
    expect(n).toBeGreaterThan(0);
    expect(demoFilesPending(out)).toBe(true); // the next start tries again
  }, 600_000);

  it('reads the plain rows, not the styled file: rows missing from them stop the load', async () => {
    const out = path.join(dir, 'typed');
    const typedRows = path.join(dir, 'typed-rows');
    const files: GeneratedFile[] = [];
    await generate({ ...JOB, out, typedRows, onFile: (f) => files.push(f) });
    // Every stream but the indicator values (free-form numbers) has its rows in plain form.
    expect(files.filter((f) => !f.typedRows).map((f) => f.stream)).toEqual(files.filter((f) => f.stream === 'indicator_value').map((f) => f.stream));
    const claims = files.find((f) => f.stream === 'insurance_claim' && f.rows > 10)!;
    const text = await readFile(claims.typedRows!, 'utf8');
    await writeFile(claims.typedRows!, text.split('\n').slice(1).join('\n')); // drop the first row
    const generated = new Map<string, GeneratedRows>([[path.join(out, claims.path), claims]]);
    await expect(
      loadFiles({ warehouse: path.join(dir, 'short.duckdb'), inputs: [path.join(out, claims.path)], loadFile: loadGeneratedFile(generated) }),
    ).rejects.toThrow(`${claims.rows - 1} rows inserted`);
  }, 300_000);
});
