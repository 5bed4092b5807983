// npm start: build the cockpit only when dist/web is missing or older than its sources, so later
// starts do not pay for a Vite build.
import { execFileSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../core/paths.ts';

const sources = [path.join(repoRoot, 'web'), path.join(repoRoot, 'server', 'schemas'), path.join(repoRoot, 'package-lock.json')];
const built = path.join(repoRoot, 'dist', 'web', 'index.html');

async function newestMtime(p: string): Promise<number> {
  const info = await stat(p);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(p, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map((e) => stat(path.join(e.parentPath, e.name)).then((s) => s.mtimeMs)));
  return Math.max(0, ...times);
}

const builtAt = await stat(built).then((s) => s.mtimeMs, () => 0);
const sourcesAt = Math.max(...(await Promise.all(sources.map(newestMtime))));
if (builtAt < sourcesAt) {
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
} else {
  console.log(`cockpit up to date: ${path.relative(repoRoot, path.dirname(built))}`);
}
