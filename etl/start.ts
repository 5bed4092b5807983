// npm start: make sure the default warehouse exists (generate the province-scale demo data and load it
// on first start), then report what it holds. Later starts reuse the warehouse; one built by other
// warehouse code (an earlier release) is first rebuilt from its facts with this code (etl/rebuild.ts).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { DuckDBInstance } from '@duckdb/node-api';
import { rows } from './duck.ts';
import { loadFiles } from './load.ts';
import { codeVersionOf, rebuildLine, rebuildWarehouse } from './rebuild.ts';
import { warehouseCodeVersion } from '../core/warehouse-code.ts';
import { defaultWarehouse, repoRoot } from '../core/paths.ts';
import { summaryTable } from './report.ts';

const DEMO_SCALE = Number(process.env.DEMO_SCALE ?? 1);

export async function ensureWarehouse(warehouse = defaultWarehouse): Promise<void> {
  if (await stat(warehouse).then(() => true, () => false)) {
    if ((await codeVersionOf(warehouse)) !== (await warehouseCodeVersion())) console.log(rebuildLine(await rebuildWarehouse(warehouse)));
    return;
  }
  const { generate } = await import('./generate/index.ts');
  const out = path.join(repoRoot, 'data', 'generated');
  console.log(`首次启动：生成演示数据并建库 / first start: generating scale-${DEMO_SCALE} demo data into ${out}`);
  const started = performance.now();
  const bar = new cliProgress.SingleBar({ format: '{phase} {bar} {percentage}%', stream: process.stdout }, cliProgress.Presets.shades_classic);
  bar.start(100, 0, { phase: 'generate' });
  await generate({ scale: DEMO_SCALE, out, seed: 1, onProgress: (d, t) => bar.update(Math.round((d / t) * 100)) });
  bar.update(0, { phase: 'load    ' });
  const summary = await loadFiles({
    warehouse,
    inputs: [out],
    onFile: (d, t) => bar.update(Math.round((d / t) * 100)),
  }).finally(() => bar.stop());
  console.log(summaryTable(summary, true));
  console.log(`built ${warehouse} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export async function describeWarehouse(warehouse = defaultWarehouse): Promise<string> {
  const db = await DuckDBInstance.create(warehouse, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const counts = await rows<{ t: string; n: number }>(
      conn,
      `SELECT table_name AS t, estimated_size::BIGINT::DOUBLE AS n FROM duckdb_tables() WHERE table_name LIKE 'fact_%' ORDER BY 1`,
    );
    const [info] = await rows<{ built_at: string; newest_data: string }>(conn, `SELECT built_at::VARCHAR AS built_at, newest_data::VARCHAR AS newest_data FROM snapshot_info`);
    return [
      `warehouse ${warehouse} (built ${info?.built_at ?? '?'}, newest data ${info?.newest_data ?? '?'})`,
      ...counts.map((c) => `  ${c.t.padEnd(26)} ${String(c.n).padStart(10)} rows`),
    ].join('\n');
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWarehouse();
  console.log(await describeWarehouse());
  // npm start goes on to server/server.ts, which serves this warehouse.
}
