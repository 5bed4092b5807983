// First-start benchmark, in one run: `npm run etl -- generate --scale S` alone (the baseline), then a
// clean clone's first `npm start` (start.ts with a fresh data directory and a fresh cockpit
// build) to its first answer and to the cockpit serving the generated data: /api/health ok and the
// cockpit's page. Target (issue 12): serving within 2x the generation alone.
//   npm run bench -- firststart [--scale S]   (default 1, the default demo data)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../core/paths.ts';
import { freePort } from '../helpers/server-process.ts';
import { scaleOption } from './scale1.ts';

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** CPU seconds a process used, with those of its children that have ended (Linux /proc): on a busy
 * machine the wall-clock ratio depends on what else runs, the CPU one much less. */
async function cpuSeconds(pid: number | 'self'): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may contain spaces): utime, stime, cutime, cstime are 14-17.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(f[11]) + Number(f[12]);
  const children = Number(f[13]) + Number(f[14]);
  // For this process only its ended children count (the caller takes a difference); it counted them
  // twice before, which made the generation's CPU look double (57 s in 24 s on 2 cores).
  return (pid === 'self' ? children : own + children) / 100;
}

/** A process's own CPU seconds (all its threads, not its children) from its /proc stat line. */
function ownCpu(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const ownCpuSeconds = async (pid: number) => ownCpu(await readFile(`/proc/${pid}/stat`, 'utf8'));

/** The CPU budget of a first start, per process: npm start itself (the loads into DuckDB, the marts and
 * scores, the server) and each process it started (the two generators, the cockpit's build), sampled
 * from /proc every poll (an ended process keeps its last sample, at most one poll short). */
class CpuBudget {
  readonly byPid = new Map<number, { name: string; cpu: number }>();
  /** npm start's own CPU when each of its timed lines was printed */
  readonly ownAt: { at: number; cpu: number }[] = [];

  constructor(readonly root: number) {}

  async sample(): Promise<void> {
    for (const pid of await this.#tree(this.root)) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
      if (stat === null) continue;
      const cpu = ownCpu(stat); // its own threads only: its children are sampled apart
      // Named at every sample: between fork and exec a new process still shows its parent's command line.
      this.byPid.set(pid, { name: (await this.#name(pid)) ?? this.byPid.get(pid)?.name ?? `pid ${pid}`, cpu });
    }
  }

  async #tree(pid: number): Promise<number[]> {
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    const children = (await Promise.all(tasks.map((t) => readFile(`/proc/${pid}/task/${t}/children`, 'utf8').catch(() => ''))))
      .flatMap((c) => c.split(' ').filter(Boolean).map(Number));
    return [pid, ...(await Promise.all(children.map((c) => this.#tree(c)))).flat()];
  }

  async #name(pid: number): Promise<string | null> {
    if (pid === this.root) return 'npm start (loads, marts and scores, server)';
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline === '') return null; // it has just ended
    const args = cmdline.split('\0');
    if (args.some((a) => a.endsWith('child.ts'))) return 'generator';
    if (args.some((a) => a.includes('vite'))) return 'cockpit build (vite)';
    return args.filter(Boolean).slice(0, 3).join(' ');
  }

  lines(): string[] {
    const byName = new Map<string, { cpu: number; n: number }>();
    for (const { name, cpu } of this.byPid.values()) {
      const t = byName.get(name) ?? { cpu: 0, n: 0 };
      byName.set(name, { cpu: t.cpu + cpu, n: t.n + 1 });
    }
    return [...byName].map(([name, t]) => `${name}${t.n > 1 ? ` (${t.n} processes)` : ''}: ${t.cpu.toFixed(1)} s CPU`);
  }
}

async function generateAlone(scale: number, out: string): Promise<{ seconds: number; cpu: number }> {
  await rm(out, { recursive: true, force: true });
  const started = performance.now();
  const cpuBefore = await cpuSeconds('self'); // this process's ended children: the generator's CPU is the difference
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'etl', 'cli.ts'), 'generate', '--scale', String(scale), '--out', out, '--seed', '1'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`generate exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, cpu: (await cpuSeconds('self')) - cpuBefore };
}

/** A line npm start printed, and when (s after the start). */
interface Stamped {
  at: number;
  line: string;
}

async function firstStart(scale: number, dir: string): Promise<{ answer: number; serving: number; cpu: number; timeline: Stamped[]; budget: CpuBudget }> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'start.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DEMO_SCALE: String(scale),
      WAREHOUSE: path.join(dir, 'warehouse.duckdb'),
      APP_DB: path.join(dir, 'app.sqlite'),
      WEB_DIST: path.join(dir, 'web'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Its progress lines, timed: where the time goes (generation, the cockpit's build, the last loads, the scores).
  const timeline: Stamped[] = [];
  const budget = new CpuBudget(child.pid!);
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const at = (performance.now() - started) / 1000;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!/^ {2}(generated|all|built|stages)|^built /.test(line)) continue;
      timeline.push({ at, line: line.trim() });
      void ownCpuSeconds(child.pid!).then((cpu) => budget.ownAt.push({ at, cpu }), () => {});
    }
  });
  try {
    let answer: number | null = null;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      await budget.sample();
      const health = await fetch(`${url}/api/health`).catch(() => null);
      if (health) {
        answer ??= (performance.now() - started) / 1000;
        if (health.status === 200) {
          const page = await fetch(`${url}/`);
          if (page.status === 200 && (await page.text()).includes('<div id="app"')) {
            const serving = (performance.now() - started) / 1000;
            // npm start's own CPU and its ended children's: the generator, the cockpit's build
            await budget.sample();
            return { answer, serving, cpu: await cpuSeconds(child.pid!), timeline, budget };
          }
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

export async function benchFirstStart(args: string[] = []): Promise<void> {
  const scale = scaleOption(args);
  const root = path.join(repoRoot, 'bench-data', 'firststart');
  console.log(`first start at scale ${scale}; load average before: ${load()}`);
  const { seconds: generate, cpu: generateCpu } = await generateAlone(scale, path.join(root, 'generate-alone'));
  console.log(`  generate alone                 ${generate.toFixed(1)} s, ${generateCpu.toFixed(1)} s CPU   (load ${load()})`);
  await rm(path.join(root, 'generate-alone'), { recursive: true, force: true });
  const { answer, serving, cpu, timeline, budget } = await firstStart(scale, path.join(root, 'clean-clone'));
  for (const { at, line } of timeline) {
    const own = budget.ownAt.find((o) => o.at === at);
    console.log(`    ${at.toFixed(1).padStart(6)} s  ${line}${own ? `   [npm start's own CPU so far: ${own.cpu.toFixed(1)} s]` : ''}`);
  }
  console.log('  CPU by process:');
  for (const line of budget.lines()) console.log(`    ${line}`);
  console.log(`  first npm start: first answer  ${answer.toFixed(1)} s   (progress page, /api/health 503 preparing)`);
  console.log(`  first npm start: cockpit up    ${serving.toFixed(1)} s, ${cpu.toFixed(1)} s CPU   (load ${load()})`);
  console.log(`  ratio cockpit up / generate alone: ${(serving / generate).toFixed(2)}x (target <= 2x); CPU ${(cpu / generateCpu).toFixed(2)}x`);
  await rm(path.join(root, 'clean-clone'), { recursive: true, force: true });
}
