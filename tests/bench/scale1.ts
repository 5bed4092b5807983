// The province-scale data set benchmarks share: generated once into bench-data/ (git-ignored).
// Quick runs may ask for a smaller scale; it gets its own directory and warehouse beside scale 1's.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { repoRoot } from '../../core/paths.ts';
import { rows } from '../../etl/duck.ts';

export const scale1Dir = path.join(repoRoot, 'bench-data', 'scale1');

export async function ensureScale1(): Promise<{ dir: string; generatedSeconds: number | null }> {
  return ensureScale(1);
}

export async function ensureScale(scale: number): Promise<{ dir: string; generatedSeconds: number | null }> {
  const dir = scale === 1 ? scale1Dir : path.join(repoRoot, 'bench-data', `scale${scale}`);
  const manifest = await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => null);
  if (manifest && JSON.parse(manifest).scale === scale) return { dir, generatedSeconds: null };
  const { generate } = await import('../../etl/generate/index.ts');
  const started = performance.now();
  await generate({ scale, out: dir, seed: 1 });
  return { dir, generatedSeconds: (performance.now() - started) / 1000 };
}

/** --scale S among a benchmark's options: a number in (0, 1], default 1. */
export function scaleOption(args: string[]): number {
  const { values } = parseArgs({ args, options: { scale: { type: 'string', default: '1' } } });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a number in (0, 1], not ${values.scale}`);
  return scale;
}

/** A warehouse loaded from the data set at `scale`, built once (scale 1: the ETL or API benchmark's, when there). */
export async function scaleWarehouse(scale: number): Promise<string> {
  if (scale === 1) return (await import('./api.ts')).scale1Warehouse();
  const out = path.join(repoRoot, 'bench-data', `scale${scale}-warehouse`, 'warehouse.duckdb');
  if (await stat(out).then(() => true, () => false)) return out;
  const { loadFiles } = await import('../../etl/load.ts');
  const { dir } = await ensureScale(scale);
  await loadFiles({ warehouse: out, inputs: [dir] });
  return out;
}

/** The month before the newest mediation case's (YYYY-MM): the latest month a county has completed. */
export async function latestCompleteMonth(conn: DuckDBConnection): Promise<string> {
  const [{ month }] = await rows<{ month: string }>(
    conn,
    `SELECT strftime(date_trunc('month', max(received_date)) - INTERVAL 1 MONTH, '%Y-%m') AS month FROM fact_mediation`,
  );
  return month;
}
