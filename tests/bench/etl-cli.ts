// `npm run etl -- <args>` as the benchmarks run it: its own process, from the etl programs compiled
// ahead (etl/compiled.mjs), as `npm run etl` runs them; compiled once before any timing, as a second
// load finds them. Wall seconds, peak RSS (VmHWM) and CPU are those of that process alone.
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../core/paths.ts';

const compiled = path.join(repoRoot, 'etl', 'compiled.mjs');

/** Compile the etl programs if their sources changed, outside any timing. */
export const prepareEtl = () => promisify(execFile)(process.execPath, [compiled, '--prepare']);

/** Peak resident set (VmHWM) of a live process, MiB. */
export async function hwmMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}

/** CPU seconds of this process's children that have ended and been waited for (Linux /proc). */
async function endedChildrenCpu(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

/** Runs `npm run etl -- <args>`: wall seconds, peak RSS, CPU seconds (all its threads) and what it printed. */
export async function runEtl(args: string[]): Promise<{ seconds: number; peakMiB: number; cpuSeconds: number; stdout: string }> {
  const cpuBefore = await endedChildrenCpu();
  const started = performance.now();
  const child = spawn(process.execPath, [compiled, 'cli', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  let peak = 0;
  const sample = setInterval(() => hwmMiB(child.pid!).then((m) => (peak = Math.max(peak, m)), () => {}), 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`etl ${args[0]} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakMiB: peak, cpuSeconds: (await endedChildrenCpu()) - cpuBefore, stdout };
}
