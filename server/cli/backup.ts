// npm run backup -- create [DIR] | restore DIR [--app-db]: copies of the live warehouse snapshot and
// of the application database, taken and put back while the servers run.
// - The snapshot is never written in place (a load renames a new file over it), so a plain copy of
//   the open file is consistent; the application database is copied with VACUUM INTO, SQLite's own
//   consistent online copy.
// - Restoring the snapshot is a publish: the copy goes beside the live path and is renamed onto it,
//   so the servers switch to it as after a load. The application database is restored only with
//   --app-db, and only while nothing has it open (a running server would keep the replaced file).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { defaultAppDb, defaultWarehouse, repoRoot } from '../../core/paths.ts';
import { fsyncPath } from '../../core/fsync.ts';

export interface BackupPaths {
  warehouse: string;
  appDb: string;
}

interface Manifest {
  created_at: string;
  snapshot: { built_at: string | null; newest_data: string | null };
  files: Record<'warehouse.duckdb' | 'app.sqlite', { sha256: string; bytes: number }>;
}

const MANIFEST = 'manifest.json';

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

async function fileEntry(file: string) {
  return { sha256: await sha256(file), bytes: (await stat(file)).size };
}

/** Opening the copy read-only proves it is a whole warehouse, and says which data it holds. */
async function snapshotOf(file: string): Promise<Manifest['snapshot']> {
  const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(
      `SELECT strftime(max(built_at), '%Y-%m-%dT%H:%M:%S') AS built_at, strftime(max(newest_data), '%Y-%m-%d') AS newest_data FROM snapshot_info`,
    );
    return reader.getRowObjectsJson()[0] as Manifest['snapshot'];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export async function createBackup(paths: BackupPaths, dir: string): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const warehouse = path.join(dir, 'warehouse.duckdb');
  const appDb = path.join(dir, 'app.sqlite');
  await copyFile(paths.warehouse, warehouse);
  await rm(appDb, { force: true });
  const source = new Database(paths.appDb, { readonly: true, fileMustExist: true });
  try {
    source.prepare('VACUUM INTO ?').run(appDb);
  } finally {
    source.close();
  }
  const manifest: Manifest = {
    created_at: new Date().toISOString(),
    snapshot: await snapshotOf(warehouse),
    files: { 'warehouse.duckdb': await fileEntry(warehouse), 'app.sqlite': await fileEntry(appDb) },
  };
  await writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Put a backup back: the snapshot always (published atomically), the application database on request. */
export async function restoreBackup(paths: BackupPaths, dir: string, opts: { appDb?: boolean } = {}): Promise<Manifest> {
  const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  const names = opts.appDb ? (['warehouse.duckdb', 'app.sqlite'] as const) : (['warehouse.duckdb'] as const);
  for (const name of names) {
    if ((await sha256(path.join(dir, name))) !== manifest.files[name].sha256) {
      throw new Error(`${path.join(dir, name)} does not match ${MANIFEST}: the backup is damaged, nothing was restored`);
    }
  }
  if (opts.appDb) assertUnused(paths.appDb);
  const restores: [string, string][] = [[path.join(dir, 'warehouse.duckdb'), paths.warehouse]];
  if (opts.appDb) restores.push([path.join(dir, 'app.sqlite'), paths.appDb]);
  for (const [from, to] of restores) {
    const next = `${to}.restore-${process.pid}`;
    try {
      await copyFile(from, next);
      await fsyncPath(next);
      if (to === paths.appDb) {
        await rm(`${to}-wal`, { force: true });
        await rm(`${to}-shm`, { force: true });
      }
      await rename(next, to);
    } catch (e) {
      await rm(next, { force: true });
      throw e;
    }
    await fsyncPath(path.dirname(to));
  }
  return manifest;
}

/** Every open connection holds a lock, so only an unused application database grants an exclusive one. */
function assertUnused(appDb: string): void {
  if (!existsSync(appDb)) return;
  const db = new Database(appDb, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    throw new Error(`${appDb} is in use: stop the servers (and any npm run users) before restoring it; nothing was restored`);
  } finally {
    db.close();
  }
}

const USAGE = `usage: npm run backup -- <command>   (WAREHOUSE, APP_DB as for the server)
  create [DIR]            copy the live snapshot and the application database into DIR
                          (default data/backups/<time>), with a manifest of checksums
  restore DIR [--app-db]  publish DIR's snapshot onto the live path (running servers switch to it);
                          with --app-db also put back users, sessions and tokens (refused while a
                          server or npm run users has the application database open)`;

export async function main(argv: string[], out: (s: string) => void = console.log): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'app-db': { type: 'boolean', default: false } } });
  const paths: BackupPaths = {
    warehouse: path.resolve(defaultWarehouse),
    appDb: path.resolve(defaultAppDb),
  };
  const [command, dir] = positionals;
  if (command === 'create') {
    const target = path.resolve(dir ?? path.join(repoRoot, 'data', 'backups', new Date().toISOString().replace(/[:.]/g, '-')));
    const m = await createBackup(paths, target);
    out(`backup in ${target}: snapshot built ${m.snapshot.built_at}, data to ${m.snapshot.newest_data}`);
  } else if (command === 'restore' && dir) {
    const m = await restoreBackup(paths, path.resolve(dir), { appDb: values['app-db'] });
    out(`restored the snapshot built ${m.snapshot.built_at} onto ${paths.warehouse}${values['app-db'] ? ` and the application database onto ${paths.appDb}` : ''}`);
  } else {
    throw new Error(USAGE);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
