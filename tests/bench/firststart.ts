// First-start benchmark, in one run: `npm run etl -- generate --scale S` alone (the baseline), then a
// clean clone's first `npm start` (start.ts with a fresh data directory and a fresh cockpit
// build) to its first answer and to the cockpit serving the generated data: /api/health ok and the
// cockpit's page. Target (issue 12): serving within 2x the generation alone.
//   npm run bench -- firststart [--scale S]   (default 1, the default demo data)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { mkdir, readFile, rm } from 'node:fs/promises';
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
  const ticks = (own: boolean) => (own ? Number(f[11]) + Number(f[12]) : Number(f[13]) + Number(f[14]));
  return (ticks(pid !== 'self') + ticks(false)) / 100;
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

async function firstStart(scale: number, dir: string): Promise<{ answer: number; serving: number; cpu: number; timeline: Stamped[] }> {
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
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const at = (performance.now() - started) / 1000;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (/^ {2}(generated|all|built|stages)|^built /.test(line)) timeline.push({ at, line: line.trim() });
  });
  try {
    let answer: number | null = null;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      const health = await fetch(`${url}/api/health`).catch(() => null);
      if (health) {
        answer ??= (performance.now() - started) / 1000;
        if (health.status === 200) {
          const page = await fetch(`${url}/`);
          if (page.status === 200 && (await page.text()).includes('<div id="app"')) {
            const serving = (performance.now() - started) / 1000;
            // npm start's own CPU and its ended children's: the generator, the cockpit's build
            return { answer, serving, cpu: await cpuSeconds(child.pid!), timeline };
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
  const { answer, serving, cpu, timeline } = await firstStart(scale, path.join(root, 'clean-clone'));
  for (const { at, line } of timeline) console.log(`    ${at.toFixed(1).padStart(6)} s  ${line}`);
  console.log(`  first npm start: first answer  ${answer.toFixed(1)} s   (progress page, /api/health 503 preparing)`);
  console.log(`  first npm start: cockpit up    ${serving.toFixed(1)} s, ${cpu.toFixed(1)} s CPU   (load ${load()})`);
  console.log(`  ratio cockpit up / generate alone: ${(serving / generate).toFixed(2)}x (target <= 2x); CPU ${(cpu / generateCpu).toFixed(2)}x`);
  await rm(path.join(root, 'clean-clone'), { recursive: true, force: true });
}
