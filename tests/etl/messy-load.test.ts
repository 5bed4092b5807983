// The generator's --messy files through the loader: every injected bad row is rejected, blaming the
// column the generator broke, and every other row loads. Nothing is lost, nothing slips through.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { streams } from '../../core/contract.ts';
import { generate, type Manifest } from '../../etl/generate/index.ts';
import { loadFiles, type LoadSummary } from '../../etl/load.ts';
import { tempDir } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

describe('messy generated files', () => {
  let dir: string;
  let manifest: Manifest;
  let summary: LoadSummary;
  let warehouse: string;

  beforeAll(async () => {
    const root = await tempDir();
    dir = path.join(root, 'messy');
    warehouse = path.join(root, 'wh.duckdb');
    await generate({ scale: 0.002, out: dir, seed: 7, messy: true, until: '2026-10', today: '2026-11-01' });
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    summary = await loadFiles({ warehouse, inputs: [dir] });
  }, 300_000);

  it('injected bad rows in every stream', () => {
    const streamsWithBad = new Set(manifest.files.filter((f) => f.badRows > 0).map((f) => f.stream));
    expect([...streamsWithBad].sort()).toEqual(Object.keys(streams).sort());
  });

  it('rejects exactly the injected rows, blaming the broken column', () => {
    for (const file of manifest.files) {
      const loaded = summary.files.find((f) => f.file === path.join(dir, file.path))!;
      const nameOf = (header: string | null) =>
        streams[file.stream].columns.find((c) => c.zh === header || c.name === header)?.name ?? header;
      const rejectedLines = [...new Set(loaded.rejectedRows.map((r) => r.line))].sort((a, b) => a - b);
      expect(rejectedLines, file.path).toEqual((file.bad ?? []).map((b) => b.line).sort((a, b) => a - b));
      for (const bad of file.bad ?? []) {
        const columns = loaded.rejects.filter((r) => r.line === bad.line).map((r) => nameOf(r.column));
        expect(columns, `${file.path} line ${bad.line} (${bad.defect})`).toContain(bad.column);
      }
      expect(loaded.accepted + loaded.rejected, file.path).toBe(file.rows);
    }
  });

  it('loads every good row', async () => {
    const good = manifest.files.reduce((s, f) => s + f.rows - f.badRows, 0);
    const tables = Object.values(streams).map((s) => `SELECT count(*) AS n FROM ${s.table}`).join(' UNION ALL ');
    const [{ n }] = await query<{ n: number }>(warehouse, `SELECT sum(n)::INTEGER AS n FROM (${tables})`);
    expect(n).toBe(good);
  });
});
