// npm start: make sure the default warehouse exists (on first start, generate the province-scale demo
// data into generated/ beside it and load it at the same time, etl/first-load.ts), then report what it
// holds. Later starts reuse the warehouse; one built by other warehouse code (an earlier release) is
// first rebuilt from its facts with this code (etl/rebuild.ts). start.ts runs this while it
// already answers with a progress page, and once the cockpit serves, finishDemoFiles writes the
// styled demo files (also when an earlier start was stopped before it had); `tsx etl/start.ts` alone
// builds the warehouse with a bar, then writes the files.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { DuckDBInstance } from '@duckdb/node-api';
import { rows } from './duck.ts';
import type { FirstLoadProgress } from '../core/first-load-progress.ts';
import { demoFilesPending, generateAndLoad, writeDemoFiles } from './first-load.ts';
import { codeVersionOf, rebuildLine, rebuildWarehouse } from './rebuild.ts';
import { warehouseCodeVersion } from '../core/warehouse-code.ts';
import { defaultWarehouse } from '../core/paths.ts';
import { summaryTable } from './report.ts';

const DEMO_SCALE = Number(process.env.DEMO_SCALE ?? 1);

/** Where the first start writes the demo data: generated/ beside the warehouse (data/generated). */
export const generatedDirOf = (warehouse: string) => path.join(path.dirname(path.resolve(warehouse)), 'generated');

/** Whether `warehouse` is missing, so that ensureWarehouse would generate and load the demo data. */
const needsFirstLoad = (warehouse: string) => stat(warehouse).then(() => false, () => true);

export async function ensureWarehouse(warehouse = defaultWarehouse, onProgress?: (p: FirstLoadProgress) => void): Promise<void> {
  if (!(await needsFirstLoad(warehouse))) {
    if ((await codeVersionOf(warehouse)) !== (await warehouseCodeVersion())) console.log(rebuildLine(await rebuildWarehouse(warehouse)));
    return;
  }
  const out = generatedDirOf(warehouse);
  console.log(`首次启动：生成演示数据并同时建库 / first start: generating scale-${DEMO_SCALE} demo data into ${out} and loading it meanwhile`);
  const started = performance.now();
  const summary = await generateAndLoad({ scale: DEMO_SCALE, out, seed: 1, warehouse, onProgress });
  console.log(summaryTable(summary, true));
  // Where the build's time went (the first-start benchmark prints this line with the others).
  console.log(`  stages: ${Object.entries(summary.stages).map(([stage, s]) => `${stage} ${s.toFixed(1)} s`).join(', ')}`);
  console.log(`built ${warehouse} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The first start's second step (first-load.ts writeDemoFiles): the styled demo files in generated/
 * and their digests in the warehouse, when a first start has not written them yet; else nothing. */
export async function finishDemoFiles(warehouse = defaultWarehouse): Promise<void> {
  const out = generatedDirOf(warehouse);
  if (!demoFilesPending(out)) return;
  console.log(`  writing the demo files into ${out} while the cockpit serves`);
  const started = performance.now();
  const written = await writeDemoFiles(warehouse, out);
  if (written) console.log(`  wrote the ${written.files} demo files into ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A progress bar on the terminal for a first load: rows generated, then the scores. */
export function progressBar(): { update: (p: FirstLoadProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar({ format: '{phase} {bar} {percentage}% | {loaded} files loaded', stream: process.stdout }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(p) {
      if (!started) bar.start(100, 0, { phase: 'generate', loaded: 0 });
      started = true;
      const pct = p.phase === 'scores' ? 100 : Math.round((100 * p.rowsGenerated) / Math.max(1, p.rowsExpected));
      bar.update(pct, { phase: p.phase.padEnd(8), loaded: p.filesLoaded });
    },
    stop: () => bar.stop(),
  };
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
  const bar = progressBar();
  await ensureWarehouse(defaultWarehouse, bar.update).finally(bar.stop);
  console.log(await describeWarehouse());
  await finishDemoFiles(defaultWarehouse);
}
