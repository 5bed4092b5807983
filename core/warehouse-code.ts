// Which version of the warehouse code builds a snapshot: a hash of the files that decide what a
// snapshot holds besides its facts (the SQL schema, marts and indicators, the reference files loaded
// into it, and the etl code that loads the dimensions and the catalog). Every build stamps it in
// snapshot_info.code_version; `npm start` rebuilds a snapshot stamped by other code and the server
// serves only snapshots stamped with its own (etl/rebuild.ts, server/plugins/warehouse.ts).
// Changing any of these files changes the version, so the next start rebuilds once, from the facts.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './paths.ts';

/** Directories (their .sql and .ts files, recursively) and files, relative to the repository root. */
export const WAREHOUSE_CODE = [
  'sql',
  'fixtures/reference/guangxi-cities.csv',
  'fixtures/reference/guangxi-counties.csv',
  'fixtures/reference/indicator-catalog.csv',
  'fixtures/reference/reporting-calendar.csv',
  'etl/warehouse.ts',
  'etl/catalog-load.ts',
  'etl/catalog',
];

async function filesOf(entry: string): Promise<string[]> {
  const full = path.join(repoRoot, entry);
  const names = await readdir(full, { recursive: true }).catch(() => null);
  if (names === null) return [entry];
  return names.filter((n) => /\.(sql|ts)$/.test(n)).map((n) => path.posix.join(entry, n.split(path.sep).join('/')));
}

let cached: Promise<string> | null = null;

/** 16 hex digits of SHA-256 over each file's path and text (line endings normalised), in path order. */
export function warehouseCodeVersion(): Promise<string> {
  cached ??= (async () => {
    const files = (await Promise.all(WAREHOUSE_CODE.map(filesOf))).flat().sort();
    const hash = createHash('sha256');
    for (const file of files) {
      const text = await readFile(path.join(repoRoot, file), 'utf8');
      hash.update(`${file}\0${text.replaceAll('\r\n', '\n')}\0`);
    }
    return hash.digest('hex').slice(0, 16);
  })();
  return cached;
}

/** What to run when a snapshot was built by other code. */
export const REBUILD_COMMAND = 'npm run etl -- rebuild';
