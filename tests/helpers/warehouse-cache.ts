// Warehouses many test files start from (the tiny server warehouse, the sample, the browser tests'),
// loaded through the real ETL once per content of their inputs and of the code that decides what a
// warehouse holds, and kept in .tmp/warehouses for the next files and runs. Each server test file
// used to load its own: ~3.6 s for the tiny one, ~10 s for the sample, in about 25 files of a run.
// A caller that changes its warehouse copies the file first.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../core/paths.ts';
import { loadFiles } from '../../etl/load.ts';

const cacheDir = path.join(repoRoot, '.tmp', 'warehouses');

/** Everything a warehouse's content depends on besides its inputs: the loader, the SQL, the shared code, the reference files. */
const CODE = ['etl', 'core', 'sql', 'fixtures/reference'];

/** Each file's path and bytes under `entries` (files or directories), in path order. */
function hashTree(hash: ReturnType<typeof createHash>, entries: string[]): void {
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
      return;
    }
    hash.update(`${path.relative(repoRoot, p)}\0`);
    hash.update(readFileSync(p));
  };
  for (const e of entries) walk(path.resolve(repoRoot, e));
}

let codeKey: string | null = null;
function codeVersion(): string {
  if (codeKey === null) {
    const hash = createHash('sha256');
    hashTree(hash, CODE);
    codeKey = hash.digest('hex').slice(0, 12);
  }
  return codeKey;
}

/**
 * The warehouse `build` makes (at the path it is given), built once per `key` and code version.
 * Files of other code versions are removed when a new one is built. Concurrent builders each build
 * into a file of their own and rename it into place: the last rename wins, with the same content.
 */
export async function cachedWarehouse(key: string, build: (warehouse: string) => Promise<void>): Promise<string> {
  const version = codeVersion();
  const file = path.join(cacheDir, `${version}-${key}.duckdb`);
  if (existsSync(file)) return file;
  await mkdir(cacheDir, { recursive: true });
  for (const old of readdirSync(cacheDir)) if (!old.startsWith(version)) await rm(path.join(cacheDir, old), { recursive: true, force: true });
  const work = await mkdtemp(path.join(cacheDir, `${version}-building-`));
  try {
    const partial = path.join(work, 'warehouse.duckdb');
    await build(partial);
    await rename(partial, file);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return file;
}

/** Load `inputs` into `warehouse`, failing on any rejected row (test data written to load whole). */
export async function loadWithoutRejects(warehouse: string, inputs: string[]): Promise<void> {
  const summary = await loadFiles({ warehouse, inputs });
  const rejected = summary.files.flatMap((f) => f.rejects.map((r) => `${f.file}:${r.line} ${r.column} ${r.reason}`));
  if (rejected.length) throw new Error(`test data rejected:\n${rejected.join('\n')}`);
}

/** A warehouse loaded from `inputs` (files or directories), keyed by their content; `whole`: no row may be rejected. */
export function warehouseOf(inputs: string[], opts: { whole?: boolean } = {}): Promise<string> {
  const hash = createHash('sha256');
  hashTree(hash, inputs);
  return cachedWarehouse(`${opts.whole ? 'whole' : 'inputs'}-${hash.digest('hex').slice(0, 12)}`, (warehouse) =>
    opts.whole ? loadWithoutRejects(warehouse, inputs) : loadFiles({ warehouse, inputs }).then(() => {}),
  );
}

/** The CSV `files` (name -> text), written once under the cache (each by a rename, so that a
 * concurrent reader never sees one half written): their paths, to load. */
export async function csvInputs(files: Record<string, string>): Promise<string[]> {
  const hash = createHash('sha256');
  for (const [name, text] of Object.entries(files)) hash.update(`${name}\0${text}\0`);
  const dir = path.join(cacheDir, `${codeVersion()}-csv-${hash.digest('hex').slice(0, 12)}`);
  await mkdir(dir, { recursive: true });
  return Promise.all(
    Object.entries(files).map(async ([name, text]) => {
      const file = path.join(dir, name);
      if (!existsSync(file)) {
        const partial = `${file}.${process.pid}`;
        await writeFile(partial, text);
        await rename(partial, file);
      }
      return file;
    }),
  );
}
