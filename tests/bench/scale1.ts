// The province-scale data set benchmarks share: generated once into bench-data/ (git-ignored).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../core/paths.ts';

export const scale1Dir = path.join(repoRoot, 'bench-data', 'scale1');

export async function ensureScale1(): Promise<{ dir: string; generatedSeconds: number | null }> {
  const manifest = await readFile(path.join(scale1Dir, 'manifest.json'), 'utf8').catch(() => null);
  if (manifest && JSON.parse(manifest).scale === 1) return { dir: scale1Dir, generatedSeconds: null };
  const { generate } = await import('../../etl/generate/index.ts');
  const started = performance.now();
  await generate({ scale: 1, out: scale1Dir, seed: 1 });
  return { dir: scale1Dir, generatedSeconds: (performance.now() - started) / 1000 };
}
