// Proof with one 200 MB file (issue 6): a county sends a whole history of mediation cases as one CSV.
// The file is generated once into bench-data/proof-big/, loaded by `etl load` in its own process into a
// fresh warehouse, and every row written must be in the warehouse. Prints the load time, rows/s and
// the loader's peak RSS (VmHWM of the child, sampled from /proc).
//   PROOF_BIG_MB=200
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../../core/paths.ts';
import { query } from '../../helpers/warehouse.ts';

const TARGET_BYTES = Number(process.env.PROOF_BIG_MB ?? 200) * 1024 * 1024;
const COUNTIES = ['450102', '450103', '450105', '450107', '450108', '450109', '450110', '450123', '450202', '450203'];
const DISPUTES = ['wages', 'social_insurance', 'contract', 'injury', 'other'];
const HEADER = 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\n';

const day = (n: number) => new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

/** Contract-valid mediation rows until the file reaches the target size; returns how many. */
async function writeBigFile(file: string): Promise<number> {
  const out = createWriteStream(file);
  out.write(HEADER);
  let bytes = HEADER.length;
  let rows = 0;
  while (bytes < TARGET_BYTES) {
    let chunk = '';
    for (let k = 0; k < 10_000; k++, rows++) {
      const received = rows % 2_000;
      const closed = rows % 7 === 0 ? '' : day(received + (rows % 40));
      const outcome = closed === '' ? 'pending' : rows % 4 === 0 ? 'failed' : 'success';
      chunk += `MED-${rows},${COUNTIES[rows % COUNTIES.length]},${day(received)},${closed},${DISPUTES[rows % 5]},union,${outcome},${1 + (rows % 9)},${rows % 3 === 0 ? '' : (rows % 100_000) / 4}\n`;
    }
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** The child's peak resident set (VmHWM), read until it exits. */
function samplePeakRss(pid: number): () => number {
  let peakKiB = 0;
  const timer = setInterval(async () => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peakKiB = Math.max(peakKiB, kib);
  }, 100);
  return () => {
    clearInterval(timer);
    return peakKiB / 1024;
  };
}

export default async function bigFile(): Promise<void> {
  const dir = path.join(repoRoot, 'bench-data', 'proof-big');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'mediation-big.csv');
  const rowsFile = `${file}.rows`;
  let rows = Number(await readFile(rowsFile, 'utf8').catch(() => 'NaN'));
  const size = await stat(file).then((s) => s.size, () => 0);
  if (!(rows > 0) || size < TARGET_BYTES) {
    const started = performance.now();
    rows = await writeBigFile(file);
    await writeFile(rowsFile, String(rows));
    console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const bytes = (await stat(file)).size;
  const warehouse = path.join(dir, 'warehouse.duckdb');
  await rm(warehouse, { force: true });

  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'etl', 'cli.ts'), 'load', file, '--warehouse', warehouse, '--json', '--report', path.join(dir, 'report')],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const peak = samplePeakRss(child.pid!);
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  const peakMiB = peak();
  if (code !== 0) throw new Error(`etl load exited with ${code}`);

  const summary = JSON.parse(stdout) as { files: { read: number; accepted: number; rejected: number }[]; seconds: number };
  const [{ n }] = await query<{ n: number }>(warehouse, `SELECT count(*)::INTEGER AS n FROM fact_mediation`);
  console.log(`big file: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${rows.toLocaleString('en')} rows`);
  console.log(`  etl load (process, incl. start-up): ${seconds.toFixed(1)} s, ${Math.round(rows / seconds).toLocaleString('en')} rows/s, ${(bytes / 2 ** 20 / seconds).toFixed(1)} MiB/s`);
  console.log(`  load as reported by the loader: ${summary.seconds.toFixed(1)} s`);
  console.log(`  peak RSS of the loader (VmHWM): ${peakMiB.toFixed(0)} MiB`);
  const [f] = summary.files;
  if (f.read !== rows || f.accepted !== rows || f.rejected !== 0) throw new Error(`summary: read ${f.read}, accepted ${f.accepted}, rejected ${f.rejected}; wrote ${rows}`);
  if (n !== rows) throw new Error(`warehouse holds ${n} mediation rows, the file has ${rows}`);
}
