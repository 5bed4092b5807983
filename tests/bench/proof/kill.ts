// Proof under faults (issue 6): `etl load` killed with SIGKILL at 20 seeded random moments: 16 spread
// over the duration of a full load (stratified; the duration is the previous full load's, measured
// again every run, because a shared machine's speed drifts by 2x), and 4 in the publish phase, at a
// random delay after the loader closed its finished snapshot (CHECKPOINT done; fsync, rename, exit to
// come), which lasts some 100 ms and is seen from outside. After each kill the live warehouse is
// byte-identical to the previous complete snapshot, or (the load got as far as the rename) the
// complete new one; then the next load succeeds, and neither the killed load's `.next-*` files nor its
// work directory (uc-stage-<pid>-* in the temp directory: converted copies of the input) survive it.
// The data: the scale-1 mediation, funding and indicator files (about 650k rows, a load of several
// seconds), plus one marker case per run, so that "the new snapshot" is recognisable.
//   PROOF_SEED=20261126
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../core/paths.ts';
import { etlLoadCommand, fileSha256 } from '../../helpers/etl.ts';
import { query } from '../../helpers/warehouse.ts';
import { ensureScale1 } from '../scale1.ts';

const SPREAD_RUNS = 16;
const PUBLISH_RUNS = 4;
/** The publish-phase kills come this long (at most) after the loader closed its snapshot. */
const PUBLISH_DELAY_MS = 80;
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

/** What a killed loader `pid` may leave: its half-built snapshot beside the live one, its work directory. */
const leftovers = async (dir: string, pid: number) => [
  ...(await readdir(dir)).filter((n) => n.includes('.next-')),
  ...(await readdir(tmpdir())).filter((n) => n.startsWith(`uc-stage-${pid}-`)),
];

interface Loader {
  pid: number;
  started: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  kill(): void;
}

function startLoader(warehouse: string, inputs: string[]): Loader {
  const [node, ...argv] = etlLoadCommand(...inputs, '--warehouse', warehouse, '--json', '--report', path.join(path.dirname(warehouse), 'reports'));
  const child = spawn(node, argv, {
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

/** How many descriptors `pid` holds on `file` (DuckDB holds one while the snapshot is open). */
function descriptorsOn(pid: number, file: string): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    }).length;
  } catch {
    return 0; // exited
  }
}

/** What the loader was doing, as seen from outside: its half-built snapshot, its WAL, its descriptors, the rename. */
function phase(live: string, pid: number, liveIno: number, closed: boolean): string {
  const next = `${live}.next-${pid}`;
  if (existsSync(next)) {
    if (existsSync(`${next}.wal`)) return 'building (WAL)';
    if (closed) return descriptorsOn(pid, next) ? 'closed, fsync' : 'closed, not renamed';
    return 'building (no WAL)';
  }
  return statSync(live).ino !== liveIno ? 'renamed, not exited' : 'before the copy';
}

/** Resolves when the loader has closed its finished snapshot (it had it open with a WAL, now holds no descriptor on it) or renamed it. */
async function snapshotClosed(pid: number, live: string, exited: Promise<unknown>): Promise<void> {
  const next = `${live}.next-${pid}`;
  let done = false;
  void exited.then(() => (done = true));
  let opened = false;
  while (!done) {
    opened ||= existsSync(`${next}.wal`);
    if (opened && (!existsSync(next) || descriptorsOn(pid, next) === 0)) return;
    await new Promise((r) => setTimeout(r, 1));
  }
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
      const p = phase(live, loader.pid, firstIno, false);
      if (!seen.has(p)) seen.set(p, performance.now() - loader.started);
    }, 5);
    const measured = await loader.exited;
    clearInterval(watching);
    if (measured.code !== 0) throw new Error(`the measured load failed: ${measured.code ?? measured.signal}`);
    const full = measured.ms;
    const base = await counts(live, 'PROOF-KILL-0');
    await checkComplete(live, 'PROOF-KILL-0', base);
    console.log(`a full load: ${(full / 1000).toFixed(2)} s (${base.mediation.toLocaleString('en')} mediation cases + funding + indicator values); phases seen: ${[...seen].map(([p, ms]) => `${p} from ${Math.round(ms)} ms`).join(', ')}`);

    const rand = random(SEED);
    // Fractions of a load, one per stratum of [0, 1), then the publish-phase delays, one per stratum.
    const schedule = [
      ...Array.from({ length: SPREAD_RUNS }, (_, i) => ({ kind: 'spread' as const, at: (i + rand()) / SPREAD_RUNS })),
      ...Array.from({ length: PUBLISH_RUNS }, (_, i) => ({ kind: 'publish' as const, at: Math.round(((i + rand()) / PUBLISH_RUNS) * PUBLISH_DELAY_MS) })),
    ];
    console.log(`seed ${SEED}: ${schedule.map((s) => (s.kind === 'spread' ? `${(s.at * 100).toFixed(1)}%` : `closed+${s.at}ms`)).join(' ')}`);

    let previous = await fileSha256(live);
    let lastFull = full;
    const failures: string[] = [];
    for (const [i, { kind, at }] of schedule.entries()) {
      const run = i + 1;
      const marker = `PROOF-KILL-${run}`;
      const liveIno = (await stat(live)).ino;
      const victim = startLoader(live, [...data, await markerFile(run)]);
      const wait = kind === 'spread'
        ? new Promise((r) => setTimeout(r, at * lastFull - (performance.now() - victim.started)))
        : snapshotClosed(victim.pid, live, victim.exited).then(() => new Promise((r) => setTimeout(r, at)));
      const early = await Promise.race([victim.exited, wait.then(() => null)]);
      const where = early ? 'finished first' : phase(live, victim.pid, liveIno, kind === 'publish');
      victim.kill();
      const { code, signal, ms } = await victim.exited;
      const when = kind === 'spread' ? `${(at * 100).toFixed(1).padStart(4)}% of ${(lastFull / 1000).toFixed(1)} s` : `closed + ${at} ms`;
      let outcome: string;
      try {
        const hash = await fileSha256(live);
        if (hash === previous) {
          if (code === 0) throw new Error('the load exited 0 but the live file is unchanged');
          outcome = 'live = previous snapshot (byte-identical)';
        } else {
          await checkComplete(live, marker, base);
          outcome = 'live = complete new snapshot';
        }
        const left = await leftovers(dir, victim.pid);
        const recovery = (lastFull = await load(run));
        await checkComplete(live, marker, base);
        const after = await leftovers(dir, victim.pid);
        if (after.length) throw new Error(`left after the next load: ${after.join(', ')}`);
        previous = await fileSha256(live);
        outcome += `; left ${left.length ? left.join(' ') : 'nothing'}; next load ok in ${(recovery / 1000).toFixed(1)} s, nothing left`;
      } catch (e) {
        outcome = `FAILED: ${(e as Error).message}`;
        failures.push(`run ${run}: ${outcome}`);
        previous = await fileSha256(live);
      }
      const how = signal ? `killed at ${Math.round(ms)} ms` : `exited ${code} at ${Math.round(ms)} ms`;
      console.log(`${String(run).padStart(3)}  ${when.padEnd(18)} ${where.padEnd(20)} ${how.padEnd(22)} ${outcome}`);
    }
    console.log(`\n${schedule.length} kills: ${failures.length} failed`);
    if (failures.length) throw new Error(failures.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
