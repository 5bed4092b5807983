// Scores benchmark (npm run bench -- scores): re-run sql/indicators/*.sql on a province-scale (scale 1)
// warehouse, as every load does after the marts, and report the time per file, the total against the
// 5 s target and its share of the whole load.
//
// The scale-1 files are generated once into bench-data/scale1 (tests/bench/scale1.ts) and loaded once
// into bench-data/scores-warehouse/ with the load's own timing kept beside it; both are reused until
// the data or the schema changes (BENCH_RELOAD=1 forces a new load). Each run works on a copy, so the
// loaded warehouse stays as the load left it.
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadFiles } from '../../etl/load.ts';
import { repoRoot, sqlDir } from '../../core/paths.ts';
import { ensureScale1 } from './scale1.ts';

const dir = path.join(repoRoot, 'bench-data', 'scores-warehouse');
const warehouse = path.join(dir, 'warehouse.duckdb');
const loadInfo = path.join(dir, 'load.json');
const RUNS = 3;
const TARGET_SECONDS = 5;

interface LoadInfo {
  seconds: number;
  rows: number;
  files: number;
}

const mtime = (p: string) => stat(p).then((s) => s.mtimeMs, () => 0);

async function stale(dataDir: string): Promise<boolean> {
  if (process.env.BENCH_RELOAD) return true;
  const built = await mtime(warehouse);
  if (built === 0 || (await mtime(loadInfo)) === 0) return true;
  const schema = path.join(sqlDir, 'schema');
  const inputs = [path.join(dataDir, 'manifest.json'), ...(await readdir(schema)).map((f) => path.join(schema, f))];
  for (const p of inputs) if ((await mtime(p)) > built) return true;
  return false;
}

async function ensureWarehouse(): Promise<LoadInfo> {
  const { dir: dataDir, generatedSeconds } = await ensureScale1();
  if (generatedSeconds !== null) console.log(`generated scale 1 in ${generatedSeconds.toFixed(1)} s`);
  if (!(await stale(dataDir))) return JSON.parse(await readFile(loadInfo, 'utf8')) as LoadInfo;
  console.log('loading scale 1 (once; reused by later runs)...');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const summary = await loadFiles({ warehouse, inputs: [dataDir] });
  const info: LoadInfo = { seconds: summary.seconds, rows: summary.files.reduce((s, f) => s + f.read, 0), files: summary.files.length };
  await writeFile(loadInfo, JSON.stringify(info, null, 2));
  return info;
}

async function timeFiles(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, sqlSubdir: string): Promise<Map<string, number>> {
  const folder = path.join(sqlDir, sqlSubdir);
  const times = new Map<string, number>();
  for (const name of (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort()) {
    const text = await readFile(path.join(folder, name), 'utf8');
    const started = performance.now();
    await conn.run(text);
    times.set(name, (performance.now() - started) / 1000);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

export async function benchScores(): Promise<void> {
  const load = await ensureWarehouse();
  const work = path.join(dir, 'work.duckdb');
  await rm(work, { force: true });
  await rm(`${work}.wal`, { force: true });
  await copyFile(warehouse, work);
  // The memory limit the loader gives a snapshot build (etl/publish.ts).
  const db = await DuckDBInstance.create(work, { memory_limit: '1536MB' });
  const conn = await db.connect();
  try {
    const [units] = (await conn.runAndReadAll(`SELECT count(*) FILTER (WHERE level = 'county')::INTEGER AS counties,
                                                        count(*) FILTER (WHERE level = 'city')::INTEGER AS cities FROM dim_unit`)).getRowObjectsJson();
    const marts = await timeFiles(conn, 'marts');
    const runs: Map<string, number>[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) runs.push(await timeFiles(conn, 'indicators'));
    const cpu = process.cpuUsage(cpuBefore);
    const [shape] = (
      await conn.runAndReadAll(`SELECT (SELECT count(*) FROM score_period)::INTEGER AS periods,
                                       (SELECT count(*) FROM indicator_score)::INTEGER AS scores,
                                       (SELECT count(*) FROM metric_value)::INTEGER AS metric_values,
                                       (SELECT as_of_date::VARCHAR FROM indicator_asof) AS as_of`)
    ).getRowObjectsJson();

    const totals = runs.map(sum);
    const best = Math.min(...totals);
    const typical = median(totals);
    console.log(`\nScores at scale 1: ${units.counties} counties + ${units.cities} cities + the province, ${shape.periods} scoring periods ` +
      `(as of ${shape.as_of}), ${Number(shape.scores).toLocaleString('en')} indicator scores, ${Number(shape.metric_values).toLocaleString('en')} metric values`);
    console.log(`  data: ${load.rows.toLocaleString('en')} rows in ${load.files} files; the whole load took ${load.seconds.toFixed(1)} s`);
    console.log(`  per file (median of ${RUNS} runs):`);
    for (const name of runs[0]!.keys()) {
      console.log(`    ${name.padEnd(26)} ${median(runs.map((r) => r.get(name)!)).toFixed(3).padStart(7)} s`);
    }
    console.log(`  sql/indicators: ${typical.toFixed(2)} s median, ${best.toFixed(2)} s best of ${RUNS} ` +
      `(runs: ${totals.map((t) => t.toFixed(2)).join(', ')} s; target < ${TARGET_SECONDS} s: ${typical < TARGET_SECONDS ? 'met' : 'NOT met'})`);
    console.log(`  process CPU during the runs: ${((cpu.user + cpu.system) / 1e6 / RUNS).toFixed(2)} s per run ` +
      `(over ${(typical).toFixed(2)} s wall: DuckDB uses both cores)`);
    console.log(`  sql/marts (for comparison, once): ${sum(marts).toFixed(2)} s`);
    console.log(`  share of the whole load: ${((100 * typical) / load.seconds).toFixed(1)} % ` +
      `(marts + scores ${((100 * (typical + sum(marts))) / load.seconds).toFixed(1)} %)`);
  } finally {
    conn.closeSync();
    db.closeSync();
    await rm(work, { force: true });
    await rm(`${work}.wal`, { force: true });
  }
}
