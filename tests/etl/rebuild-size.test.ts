// `etl rebuild`, and a load onto a snapshot built by other code (which rebuilds it first), write the
// next snapshot afresh: the file holds the rebuilt warehouse and nothing of the one it replaces. Made
// in a copy of the live snapshot, it kept the blocks of every dropped table (DuckDB does not give them
// back), about doubling the file, and every later load copied them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleDir } from '../../core/paths.ts';
import { loadFiles } from '../../etl/load.ts';
import { rebuildWarehouse } from '../../etl/rebuild.ts';
import { warehouseCodeVersion } from '../../core/warehouse-code.ts';
import { tempDir } from '../helpers/tmp.ts';
import { execute, query } from '../helpers/warehouse.ts';

const blocks = async (file: string) =>
  (await query<{ total: number; free: number }>(file, `SELECT total_blocks::INTEGER AS total, free_blocks::INTEGER AS free FROM pragma_database_size()`))[0];

describe('etl rebuild', { timeout: 120_000 }, () => {
  it('leaves no blocks of the snapshot it replaced in the file, rebuild after rebuild', async () => {
    const warehouse = path.join(await tempDir('uc-rebuild-size-'), 'warehouse.duckdb');
    await loadFiles({ warehouse, inputs: [path.join(sampleDir, 'mediation', 'mediation_2025.csv'), path.join(sampleDir, 'training', 'training_2025.csv')] });
    const loaded = await blocks(warehouse);
    for (let i = 0; i < 2; i++) {
      await rebuildWarehouse(warehouse);
      const rebuilt = await blocks(warehouse);
      expect(rebuilt.free).toBeLessThanOrEqual(Math.ceil(rebuilt.total * 0.05));
      expect(rebuilt.total).toBeLessThanOrEqual(Math.ceil(loaded.total * 1.1));
    }
  });

  it('a load onto a snapshot built by other code rebuilds it afresh, then loads', async () => {
    const warehouse = path.join(await tempDir('uc-upgrade-size-'), 'warehouse.duckdb');
    await loadFiles({ warehouse, inputs: [path.join(sampleDir, 'mediation', 'mediation_2025.csv'), path.join(sampleDir, 'training', 'training_2025.csv')] });
    const loaded = await blocks(warehouse);
    await execute(warehouse, `UPDATE snapshot_info SET code_version = 'an earlier release'`); // as if an earlier release had built it
    const summary = await loadFiles({ warehouse, inputs: [path.join(sampleDir, 'mediation', 'mediation_2026.csv')] });
    expect(summary.engine?.engineFull).toBe(true); // rebuilt: every year made again
    const [after] = await query<{ code_version: string; batches: number }>(warehouse, `SELECT code_version, (SELECT count(*) FROM load_batch)::INTEGER AS batches FROM snapshot_info`);
    expect(after).toEqual({ code_version: await warehouseCodeVersion(), batches: 3 });
    const upgraded = await blocks(warehouse);
    expect(upgraded.free).toBeLessThanOrEqual(Math.ceil(upgraded.total * 0.05));
    expect(upgraded.total).toBeLessThanOrEqual(Math.ceil(loaded.total * 1.3));
  });
});
