// Proof under faults (issue 6): `etl load` killed with SIGKILL at 20 seeded random moments spread over
// the measured duration of a full load (16 over the whole load, 4 over its last stretch: the last
// marts and scores, the final CHECKPOINT, fsync, rename and exit). After each kill the live warehouse
// is byte-identical to the previous complete snapshot, or (the load got as far as the rename) the
// complete new one; then the next load succeeds and no `.next-*` file survives it.
// The data: the scale-1 mediation, funding and indicator files (about 650k rows, a load of several
// seconds), plus one marker case per run, so that "the new snapshot" is recognisable.
//   PROOF_SEED=20261126
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../etl/paths.ts';
import { query } from '../../helpers/warehouse.ts';
import { ensureScale1 } from '../scale1.ts';

const RUNS = 20;
const TAIL_RUNS = 4;
const SEED = Number(process.env.PROOF_SEED ?? 20261126);

/** mulberry32: a small seeded generator, so a failing schedule can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function sha(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

const leftovers = async (dir: string) => (await readdir(dir)).filter((n) => n.includes('.next-'));

interface Loader {
  pid: number;
  started: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  kill(): void;
}

function startLoader(warehouse: string, inputs: string[]): Loader {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'etl', 'cli.ts'), 'load', ...inputs, '--warehouse', warehouse, '--json', '--report', path.join(path.dirname(warehouse), 'reports')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const started = performance.now();
  const exited = once(child, 'exit').then(([code, signal]) => {
    if (code !== 0 && signal === null) console.error(stderr);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, ms: performance.now() - started };
  });
  return { pid: child.pid!, started, exited, kill: () => child.kill('SIGKILL') };
}

/** What the loader was doing, as seen from outside: its half-built snapshot, its WAL, the rename. */
async function phase(dir: string, live: string, pid: number, liveIno: number): Promise<string> {
  const names = await readdir(dir);
  const next = `${path.basename(live)}.next-${pid}`;
  if (names.includes(next)) return names.includes(`${next}.wal`) ? 'building (WAL)' : 'building (checkpointed)';
  if ((await stat(live)).ino !== liveIno) return 'renamed, not exited';
  return 'before the copy';
}

interface Counts {
  mediation: number;
  marker: number;
  mart_received: number;
  mediation_all: number;
  scores: number;
  ranks: number;
  info: number;
}

const counts = async (live: string, marker: string) =>
  (
    await query<Counts>(
      live,
      `SELECT (SELECT count(*) FROM fact_mediation WHERE case_id NOT LIKE 'PROOF-%')::INTEGER AS mediation,
              (SELECT count(*) FROM fact_mediation WHERE case_id = '${marker}')::INTEGER AS marker,
              (SELECT sum(received) FROM mart_mediation_county_month)::INTEGER AS mart_received,
              (SELECT count(*) FROM fact_mediation)::INTEGER AS mediation_all,
              (SELECT count(*) FROM indicator_score)::INTEGER AS scores,
              (SELECT count(*) FROM unit_rank)::INTEGER AS ranks,
              (SELECT count(*) FROM snapshot_info)::INTEGER AS info`,
    )
  )[0];

/** The live file is a complete snapshot of a load that included `marker`: facts, marts and scores all there. */
async function checkComplete(live: string, marker: string, base: Counts): Promise<void> {
  const c = await counts(live, marker);
  const problems = [
    c.mediation !== base.mediation && `mediation ${c.mediation} rows, expected ${base.mediation}`,
    c.marker !== 1 && `marker ${marker} found ${c.marker} times`,
    c.mart_received !== c.mediation_all && `mart counts ${c.mart_received} cases, the facts ${c.mediation_all}`,
    c.scores !== base.scores && `indicator_score ${c.scores} rows, expected ${base.scores}`,
    c.ranks !== base.ranks && `unit_rank ${c.ranks} rows, expected ${base.ranks}`,
    c.info !== 1 && `snapshot_info ${c.info} rows`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`${live} is not the complete snapshot with ${marker}: ${problems.join('; ')}`);
}

export default async function proofKill(): Promise<void> {
  const { dir: scale1 } = await ensureScale1();
  const data = ['mediation', 'funding', 'indicator_value'].map((s) => path.join(scale1, s));
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-proof-kill-'));
  const live = path.join(dir, 'warehouse.duckdb');
  const markerFile = async (run: number) => {
    const file = path.join(dir, `marker-${run}.csv`);
    await writeFile(file, `case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nPROOF-KILL-${run},450102,2025-06-02,2025-06-20,wages,union,success,1,\n`);
    return file;
  };
  const load = async (run: number) => {
    const loader = startLoader(live, [...data, await markerFile(run)]);
    const r = await loader.exited;
    if (r.code !== 0) throw new Error(`load ${run} failed: ${r.code ?? r.signal}`);
    return r.ms;
  };
  try {
    // The first load builds the warehouse; the second, a reload like every run's, is the one measured,
    // with its phases observed from outside.
    await load(0);
    const firstIno = (await stat(live)).ino;
    const loader = startLoader(live, [...data, await markerFile(0)]);
    const seen = new Map<string, number>();
    const watching = setInterval(() => {
      void phase(dir, live, loader.pid, firstIno).then((p) => seen.has(p) || seen.set(p, performance.now() - loader.started));
    }, 10);
    const measured = await loader.exited;
    clearInterval(watching);
    if (measured.code !== 0) throw new Error(`the measured load failed: ${measured.code ?? measured.signal}`);
    const full = measured.ms;
    const base = await counts(live, 'PROOF-KILL-0');
    await checkComplete(live, 'PROOF-KILL-0', base);
    console.log(`a full load: ${(full / 1000).toFixed(2)} s (${base.mediation.toLocaleString('en')} mediation cases + funding + indicator values); phases seen: ${[...seen].map(([p, ms]) => `${p} from ${Math.round(ms)} ms`).join(', ')}`);

    const rand = random(SEED);
    const tailFrom = full - 1500;
    const schedule = [
      ...Array.from({ length: RUNS - TAIL_RUNS }, (_, i) => ((i + rand()) / (RUNS - TAIL_RUNS)) * full),
      ...Array.from({ length: TAIL_RUNS }, (_, i) => tailFrom + ((i + rand()) / TAIL_RUNS) * (full + 100 - tailFrom)),
    ].map(Math.round);
    console.log(`seed ${SEED}: kill times (ms) ${schedule.join(' ')}`);

    let previous = await sha(live);
    const rows: string[] = [];
    const failures: string[] = [];
    for (const [i, at] of schedule.entries()) {
      const run = i + 1;
      const marker = `PROOF-KILL-${run}`;
      const liveIno = (await stat(live)).ino;
      const victim = startLoader(live, [...data, await markerFile(run)]);
      const early = await Promise.race([victim.exited, new Promise<null>((r) => setTimeout(r, at - (performance.now() - victim.started)))]);
      const where = early ? 'finished first' : await phase(dir, live, victim.pid, liveIno);
      victim.kill();
      const { code, signal, ms } = await victim.exited;
      let outcome: string;
      try {
        const hash = await sha(live);
        if (hash === previous) {
          if (code === 0) throw new Error('the load exited 0 but the live file is unchanged');
          outcome = 'live = previous snapshot (byte-identical)';
        } else {
          await checkComplete(live, marker, base);
          outcome = 'live = complete new snapshot';
        }
        const left = await leftovers(dir);
        const recovery = await load(run);
        await checkComplete(live, marker, base);
        const after = await leftovers(dir);
        if (after.length) throw new Error(`left after the next load: ${after.join(', ')}`);
        previous = await sha(live);
        outcome += `; left ${left.length ? left.join(' ') : 'nothing'}; next load ok in ${(recovery / 1000).toFixed(1)} s, nothing left`;
      } catch (e) {
        outcome = `FAILED: ${(e as Error).message}`;
        failures.push(`run ${run}: ${outcome}`);
        previous = await sha(live);
      }
      const how = signal ? `killed at ${Math.round(ms)} ms` : `exited ${code} at ${Math.round(ms)} ms`;
      rows.push(`${String(run).padStart(3)} ${String(at).padStart(6)} ms  ${where.padEnd(24)} ${how.padEnd(22)} ${outcome}`);
      console.log(rows.at(-1));
    }
    console.log(`\n${RUNS} kills over a ${(full / 1000).toFixed(2)} s load: ${failures.length} failed`);
    if (failures.length) throw new Error(failures.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
