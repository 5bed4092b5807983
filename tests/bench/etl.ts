// ETL benchmark: load the province (scale 1) into a fresh warehouse; rows/s per stream, wall time,
// peak RSS, and the ratio to DuckDB's own read_csv of the same UTF-8 CSV files, measured in this run.
//   npm run bench -- etl [--scale S]   (default 1; a smaller scale when the machine has no time for 1)
import { rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lit } from '../../etl/duck.ts';
import { loadFiles } from '../../etl/load.ts';
import { repoRoot } from '../../core/paths.ts';
import { ensureScale, scaleOption } from './scale1.ts';

export async function benchEtl(args: string[] = []): Promise<void> {
  const scale = scaleOption(args);
  const { dir, generatedSeconds } = await ensureScale(scale);
  if (generatedSeconds !== null) console.log(`generated scale ${scale} in ${generatedSeconds.toFixed(1)} s`);
  const out = path.join(repoRoot, 'bench-data', scale === 1 ? 'bench-warehouse' : `scale${scale}-etl-warehouse`);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const warehouse = path.join(out, 'warehouse.duckdb');

  const summary = await loadFiles({ warehouse, inputs: [dir] });
  const loadRssMiB = process.resourceUsage().maxRSS / 1024; // before the baseline adds its own tables
  const perStream = new Map<string, { rows: number; seconds: number }>();
  for (const f of summary.files) {
    const s = perStream.get(f.stream) ?? { rows: 0, seconds: 0 };
    perStream.set(f.stream, { rows: s.rows + f.read, seconds: s.seconds + f.seconds });
  }
  const totalRows = summary.files.reduce((s, f) => s + f.read, 0);
  const fileSeconds = summary.files.reduce((s, f) => s + f.seconds, 0);
  console.log(`\nETL at scale ${scale}: ${summary.files.length} files, ${totalRows.toLocaleString('en')} rows in ${summary.seconds.toFixed(1)} s wall`);
  console.log(`  files ${fileSeconds.toFixed(1)} s, marts + scores + publish ${(summary.seconds - fileSeconds).toFixed(1)} s`);
  for (const [stream, s] of perStream) {
    console.log(`  ${stream.padEnd(20)} ${s.rows.toLocaleString('en').padStart(12)} rows ${s.seconds.toFixed(2).padStart(7)} s ${Math.round(s.rows / s.seconds).toLocaleString('en').padStart(10)} rows/s`);
  }

  // Baseline: DuckDB reading the same UTF-8 CSV files into plain tables, nothing else.
  const utf8 = summary.files.filter((f) => f.format === 'csv' && f.encoding !== 'gb18030');
  const db = await DuckDBInstance.create(path.join(out, 'raw.duckdb'));
  const conn = await db.connect();
  const started = performance.now();
  for (const [i, f] of utf8.entries()) await conn.run(`CREATE TABLE raw_${i} AS SELECT * FROM read_csv(${lit(f.file)})`);
  const rawSeconds = (performance.now() - started) / 1000;
  conn.closeSync();
  db.closeSync();
  const oursSeconds = utf8.reduce((s, f) => s + f.seconds, 0);
  const utf8Rows = utf8.reduce((s, f) => s + f.read, 0);
  console.log(`\n  same ${utf8.length} UTF-8 CSV files (${utf8Rows.toLocaleString('en')} rows): ours ${oursSeconds.toFixed(1)} s, raw read_csv ${rawSeconds.toFixed(1)} s, ratio ${(oursSeconds / rawSeconds).toFixed(2)}x (target <= 3x)`);
  console.log(`  whole load ${summary.seconds.toFixed(1)} s (target < 60 s); peak RSS ${loadRssMiB.toFixed(0)} MiB (target < 2048)`);
}
