// Atomic publish: a load works on a copy of the live snapshot beside it and renames the copy into
// place only when everything succeeded. A crash or kill at any moment leaves the live file untouched
// (the half-built copy is removed by the next load). One writer at a time (writer-lock.ts): a central
// `etl load` and a web publish started together both land, one after the other.
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { fsyncPath } from '../core/fsync.ts';
import { processAlive } from '../core/pid.ts';
import type { Stages } from './stages.ts';
import { stageClock } from './stages.ts';
import { createWarehouse } from './warehouse.ts';
import { takeWriterLock, type LockWait } from './writer-lock.ts';
import { writeFailure } from './write-error.ts';

const NEXT = '.next-';

/** Remove half-built snapshots left by loads that died. */
async function removeAbandoned(live: string): Promise<void> {
  const dir = path.dirname(live);
  const prefix = path.basename(live) + NEXT;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    // Its .wal file and DuckDB's spill directory (<file>.tmp) carry the same prefix.
    if (Number.isFinite(pid) && !processAlive(pid)) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/** What a snapshot build does in the open copy; lap(stage) ends a stage it names (stages.ts). */
export type Build<T> = (conn: DuckDBConnection, lap: (stage: string) => void) => Promise<T>;

const exists = (p: string) => stat(p).then(() => true, () => false);

/**
 * Run `build` against the next snapshot of `live` and publish it, holding the writer lock of `live`
 * (waiting for another writer to finish first). Throws (leaving `live` as it was) when build throws or
 * the data directory cannot be written. `stages` receives the seconds of each stage: copy, open,
 * the stages build names with its `lap` (the rest of build counts as 'build'), checkpoint, publish.
 * `start`: the next snapshot starts as a copy of `live` (a new warehouse when there is none), or as an
 * empty database for a build that makes everything itself (etl/rebuild.ts).
 */
export async function buildNextSnapshot<T>(
  live: string,
  build: Build<T>,
  wait: LockWait = {},
  stages: Stages = {},
  start: 'copy' | 'empty' = 'copy',
): Promise<T> {
  const dir = path.dirname(live);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw writeFailure(e, dir) ?? e;
  }
  let release: () => Promise<void>;
  try {
    release = await takeWriterLock(live, wait);
  } catch (e) {
    throw writeFailure(e, dir) ?? e;
  }
  try {
    return await buildAndRename(live, build, stages, start);
  } finally {
    await release();
  }
}

async function buildAndRename<T>(live: string, build: Build<T>, stages: Stages, start: 'copy' | 'empty'): Promise<T> {
  const clock = stageClock(stages);
  const dir = path.dirname(live);
  const next = `${live}${NEXT}${process.pid}`;
  const removeNext = async () => {
    for (const p of [next, `${next}.wal`, `${next}.tmp`]) await rm(p, { recursive: true, force: true });
  };
  let result: T;
  // The copy is written to disk while the build works (a 242 MiB snapshot took about 0.2 s to flush,
  // with the cores idle, in the checkpoint's sync or the publish's fsync, whichever came first); those
  // then flush only what the build changed.
  let flushingCopy: Promise<void> = Promise.resolve();
  try {
    await removeAbandoned(live);
    await removeNext();
    if (start === 'empty') {
      // DuckDB makes the file when the build opens it
    } else if (await exists(live)) {
      await copyFile(live, next);
      flushingCopy = fsyncPath(next);
      flushingCopy.catch(() => {}); // its failure is the publish's, below
    } else await createWarehouse(next);
    clock.lap('copy');
    result = await buildIn(next, build, clock.lap);
    await flushingCopy;
  } catch (e) {
    await flushingCopy.catch(() => {});
    await removeNext().catch(() => {}); // where we cannot write there is no half-built copy either
    throw writeFailure(e, dir) ?? e;
  }
  await fsyncPath(next);
  await rename(next, live);
  await fsyncPath(dir);
  clock.lap('publish');
  return result;
}

async function buildIn<T>(file: string, build: Build<T>, lap: (stage: string) => void): Promise<T> {
  // UC_DUCKDB_THREADS=1 makes parallel DOUBLE sums, and the orders they decide, repeat bit for bit from
  // one build to the next (tests/etl/small-publish.test.ts compares builds that way); default: all cores.
  const threads = process.env.UC_DUCKDB_THREADS;
  const db = await DuckDBInstance.create(file, { memory_limit: '1536MB', ...(threads ? { threads } : {}) });
  const conn = await db.connect();
  lap('open');
  try {
    const result = await build(conn, lap);
    lap('build');
    await conn.run('CHECKPOINT');
    lap('checkpoint');
    return result;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
