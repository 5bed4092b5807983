// npm start: build the cockpit only when its build is missing or older than its sources, so later
// starts do not pay for a Vite build. The build goes to a directory beside the target and is renamed
// into place when complete: a start interrupted mid-build leaves the previous build (or none), never
// half of one that a later start would take for up to date.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../core/paths.ts';
import { processAlive } from '../core/pid.ts';

/** Where npm start serves the cockpit from unless WEB_DIST says otherwise. */
export const defaultWebDist = path.join(repoRoot, 'dist', 'web');

const sources = [path.join(repoRoot, 'web'), path.join(repoRoot, 'server', 'schemas'), path.join(repoRoot, 'package-lock.json')];

async function newestMtime(p: string): Promise<number> {
  const info = await stat(p);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(p, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map((e) => stat(path.join(e.parentPath, e.name)).then((s) => s.mtimeMs)));
  return Math.max(0, ...times);
}

/** Whether the build in `dist` is missing or older than the web sources. */
export async function webBuildStale(dist = defaultWebDist): Promise<boolean> {
  const builtAt = await stat(path.join(dist, 'index.html')).then((s) => s.mtimeMs, () => 0);
  return builtAt < Math.max(...(await Promise.all(sources.map(newestMtime))));
}

/** Builds (and replaced builds) beside `dist` left by starts that died, named after their pid. */
async function removeAbandoned(dist: string): Promise<void> {
  const names = await readdir(path.dirname(dist)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name.startsWith(path.basename(dist)) ? /\.(?:next|old)-(\d+)$/.exec(name)?.[1] : NaN);
    if (Number.isFinite(pid) && !processAlive(pid)) await rm(path.join(path.dirname(dist), name), { recursive: true, force: true });
  }
}

const BUILD_NICENESS = 10;

/** Build the cockpit into `dist` when it is stale; `signal` stops the build (Ctrl-C). */
export async function ensureWebBuild(dist = defaultWebDist, opts: { signal?: AbortSignal } = {}): Promise<'built' | 'up to date'> {
  await removeAbandoned(dist);
  if (!(await webBuildStale(dist))) return 'up to date';
  const next = `${dist}.next-${process.pid}`;
  await rm(next, { recursive: true, force: true });
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  // web/vite.config.ts writes to (and precompresses) WEB_BUILD_DIR.
  const child = spawn(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    // A production build even when started under a test runner (vitest sets NODE_ENV=test, which
    // makes Vite ship Vue's and ECharts' development code: 27 KB more gzip on the wall).
    env: { ...process.env, NODE_ENV: 'production', WEB_BUILD_DIR: next },
    stdio: ['ignore', 'inherit', 'inherit'],
    signal: opts.signal,
  });
  // On a first start the build shares the cores with DuckDB's loads, whose chain decides when the
  // cockpit can serve (start.ts begins it once the data is generated), and it is done long before
  // them: it takes the CPU they leave.
  try {
    if (child.pid !== undefined) setPriority(child.pid, BUILD_NICENESS);
  } catch {
    // it has ended already: its exit, below, says how
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  }).catch(async (e) => {
    await rm(next, { recursive: true, force: true });
    throw e;
  });
  if (code !== 0) {
    await rm(next, { recursive: true, force: true });
    throw new Error(`vite build failed (exit ${code})`);
  }
  const old = `${dist}.old-${process.pid}`;
  const hadOne = await stat(dist).then(() => true, () => false);
  if (hadOne) await rename(dist, old);
  await rename(next, dist);
  if (hadOne) await rm(old, { recursive: true, force: true });
  return 'built';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.env.WEB_DIST ?? defaultWebDist;
  console.log((await ensureWebBuild(dist)) === 'built' ? `built the cockpit into ${path.relative(repoRoot, dist)}` : `cockpit up to date: ${path.relative(repoRoot, dist)}`);
}
