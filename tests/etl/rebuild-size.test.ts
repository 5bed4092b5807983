// `etl rebuild` writes the next snapshot afresh: the file holds the rebuilt warehouse and nothing of
// the one it replaces. Made in a copy of the live snapshot, it kept the blocks of every dropped table
// (DuckDB does not give them back), about doubling the file, and every later load copied them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleDir } from '../../core/paths.ts';
import { loadFiles } from '../../etl/load.ts';
import { rebuildWarehouse } from '../../etl/rebuild.ts';
import { tempDir } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

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
});
