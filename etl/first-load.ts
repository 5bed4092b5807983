// The first load of the default demo data (npm start on a clean clone), in two steps.
// 1. generateAndLoad: the generator runs in two child processes (etl/generate/child.ts), one per part
//    of the generation (the insurance streams, the others), so both cores generate, at a lower
//    priority than the loader (GENERATOR_NICENESS); it writes each file's rows in plain form only,
//    hands each file over as soon as it is complete, and the loader inserts those rows into the next
//    snapshot meanwhile (etl/load-generated.ts), so most of the load overlaps the generation and
//    what is left at the end is the last year's enrolment and claims, the marts and the scores. The
//    snapshot is published atomically like any load: an interrupted first start leaves no warehouse,
//    and the next start generates and loads again.
// 2. writeDemoFiles, while the cockpit already serves: the same generation again, at low priority,
//    writes the styled demo files (CSV, GB18030, XLSX) that `etl load` reads, and their manifest; a small
//    publish then records each file's SHA-256 in its load_batch row, which step 1 left empty. Styling
//    the files costs as much CPU as the rest of the generation, and nothing served reads them or their
//    digests. The warehouse is then the one `etl load` of the files gives (tests/etl/first-load.test.ts).
//    Until then a marker (PENDING in the data directory) holds the generation's options, so a start
//    interrupted in step 2 finishes it on the next start (etl/start.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { GenerateJob, GenerateMessage } from './generate/child.ts';
import { expectedRows, generationParts, writeManifest, type GeneratedFile, type GenerationPart, type Manifest } from './generate/index.ts';
import { digestOf, loadFiles, type LoadSummary } from './load.ts';
import { loadGeneratedFile, type GeneratedRows } from './load-generated.ts';
import { buildNextSnapshot } from './publish.ts';
import { lit, rows, run } from './duck.ts';
import type { FirstLoadProgress } from '../core/first-load-progress.ts';

const CHILD = path.join(import.meta.dirname, 'generate', 'child.ts');
const FIRST_LOAD_MEMORY_LIMIT = '1536MB';

/** Files as the generator finishes them, in that order; ends when the generator is done. */
class FileQueue implements AsyncIterable<string> {
  #files: string[] = [];
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;

  push(file: string): void {
    this.#files.push(file);
    this.#wake?.();
  }

  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error ?? null;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const next = this.#files.shift();
      if (next !== undefined) yield next;
      else if (this.#error) throw this.#error;
      else if (this.#ended) return;
      else await new Promise<void>((resolve) => (this.#wake = resolve)).finally(() => (this.#wake = null));
    }
  }
}

/** The generation of the demo data: what both steps give the generator (the same files either time). */
export type DemoJob = Omit<GenerateJob, 'typedRows' | 'part' | 'styled' | 'messy' | 'today'> & { today: string };

export interface FirstLoadOptions extends Omit<DemoJob, 'today'> {
  /** default the real date */
  today?: string;
  warehouse: string;
  onProgress?: (p: FirstLoadProgress) => void;
}

/** The marker of a first start whose styled demo files are not written yet: the generation's options. */
const PENDING = '.demo-files-pending.json';
const pendingOf = (out: string) => path.join(out, PENDING);

/** Whether `out` holds a first start's demo data whose styled files are still to be written. */
export const demoFilesPending = (out: string): boolean => existsSync(pendingOf(out));

interface Generators {
  /** the generator processes, one per part */
  children: ChildProcess[];
  /** both parts' manifests, when both are done */
  done: Promise<Manifest[]>;
}

/** Runs one generator process per part of the generation (the same files as one generation gives),
 * calling onFile for every file as soon as it is complete and onRows with the rows generated so far
 * and the rows expected of both parts: known before either starts, so the share done never goes
 * back when a part reports for the first time (a part's total only grows at its end, to the rows it
 * wrote, with its rows done). */
function runGenerators(
  job: GenerateJob,
  onFile: (file: GeneratedFile) => void,
  opts: { onRows?: (done: number, total: number) => void; niceness?: number } = {},
): Generators {
  const parts = Object.keys(generationParts) as GenerationPart[];
  const manifests: Manifest[] = [];
  const rowsOf = new Map(parts.map((part) => [part, { done: 0, total: expectedRows({ ...job, part }) }]));
  const reportRows = () => opts.onRows?.([...rowsOf.values()].reduce((n, r) => n + r.done, 0), [...rowsOf.values()].reduce((n, r) => n + r.total, 0));
  reportRows();
  let settle: { resolve: (m: Manifest[]) => void; reject: (e: Error) => void };
  const done = new Promise<Manifest[]>((resolve, reject) => (settle = { resolve, reject }));
  const children = parts.map((part) => {
    // Under the loader this process runs with (tsx), whether started by `tsx` or by vitest.
    const child: ChildProcess = fork(CHILD, [], { execArgv: ['--import', 'tsx'], serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      if (opts.niceness !== undefined && child.pid !== undefined) setPriority(child.pid, opts.niceness);
    } catch {
      // it has ended already: its close, below, says how
    }
    let finished = false;
    child.on('message', (m: GenerateMessage) => {
      if (m.kind === 'file') onFile(m.file);
      else if (m.kind === 'progress') {
        rowsOf.set(part, { done: m.done, total: m.total });
        reportRows();
      } else if (m.kind === 'done') {
        finished = true;
        manifests.push(m.manifest);
        if (manifests.length === parts.length) settle.resolve(manifests);
      } else settle.reject(new Error(`生成演示数据失败 / generating the demo data failed: ${m.error}`));
    });
    // 'close' comes after the last message: a generator that said neither done nor failed died.
    child.once('close', (code, signal) => finished || settle.reject(new Error(`生成演示数据的进程意外退出 / the generator stopped (${signal ?? `exit ${code}`})`)));
    child.send({ ...job, part } satisfies GenerateJob);
    return child;
  });
  done.catch(() => {}); // the caller awaits it, or has failed for another reason
  return { children, done };
}

/**
 * DuckDB's threads while the files are inserted: one while the generators run, all of them for the
 * files left when they are done and for the marts and scores. While the generators run, they and the
 * loader keep both cores busy anyway, and a second thread for the loader took CPU from the generation
 * (npm run bench -- firststart: generated 6-14 s later, served 1.89-2.14x the generation alone). The
 * big files left are inserted in any order (load-generated.ts), so on two threads too their row groups
 * are full: kept in order, about every fifth was half full and the next checkpoint rewrote the table,
 * inside the marts and scores. With every thread, the files left went in in 7.0-8.4 s against
 * 7.7-9.7 s (6-8 files), and the first start served in 1.62-1.90x the generation against 1.89-1.95x.
 * The setting is the database's, so it is changed between statements.
 */
class InsertThreads {
  #conn: DuckDBConnection | null = null;
  /** the setting to go back to */
  #restore = '';

  async one(conn: DuckDBConnection): Promise<void> {
    if (this.#conn !== null) return;
    this.#restore = (await rows<{ t: string }>(conn, `SELECT current_setting('threads')::VARCHAR AS t`))[0]!.t;
    await run(conn, 'SET threads = 1');
    this.#conn = conn;
  }

  async all(): Promise<void> {
    if (this.#conn === null) return;
    await run(this.#conn, `SET threads = ${Number(this.#restore)}`);
    this.#conn = null;
  }
}

const stopAll = (children: ChildProcess[]) => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
};

/**
 * The generators' priority while the files are loaded: below the loader's, so that the loader inserts
 * each file as soon as it is complete and the generators take the CPU it leaves. At equal priority the
 * loader was ten files behind when the generation ended (46 of 56 at scale 1), which it then inserted
 * alone on one thread (14 s, the other core idle once the cockpit was built). At niceness 10 it is
 * four files behind, and the first start served in 50.3-51.0 s against 54.5-58.5 s (npm run bench --
 * firststart: 1.65-1.71x the generation alone, against 2.01-2.12x).
 */
const GENERATOR_NICENESS = 10;

/** Generate the demo data's rows into `out` and load them into `warehouse` at the same time; the
 * styled files are written afterwards by writeDemoFiles (the warehouse's load_batch rows of the files
 * loaded from plain rows have no digest until then). */
export async function generateAndLoad(opts: FirstLoadOptions): Promise<LoadSummary> {
  const { warehouse, onProgress, ...given } = opts;
  // Both parts, and the styled files later, generate with the same date for today, even across midnight.
  const job: DemoJob = { ...given, today: given.today ?? new Date().toISOString().slice(0, 10) };
  const progress: FirstLoadProgress = { phase: 'generate', rowsGenerated: 0, rowsExpected: 0, filesGenerated: 0, filesLoaded: 0 };
  const report = () => onProgress?.({ ...progress });
  const queue = new FileQueue();
  // The generator writes each file's rows in plain form here, and the loader inserts those
  // (load-generated.ts); each is removed once loaded, the directory at the end.
  const typedRows = path.join(job.out, '.rows');
  await rm(typedRows, { recursive: true, force: true });
  await mkdir(job.out, { recursive: true });
  await rm(path.join(job.out, 'manifest.json'), { force: true }); // written with the styled files
  await writeFile(pendingOf(job.out), JSON.stringify(job));
  const generated = new Map<string, GeneratedRows>();
  const loadGenerated = loadGeneratedFile(generated);
  const { children, done } = runGenerators(
    { ...job, typedRows, styled: false },
    (file) => {
      progress.filesGenerated++;
      const at = path.join(job.out, file.path);
      generated.set(at, file);
      queue.push(at);
      report();
    },
    {
      niceness: GENERATOR_NICENESS,
      onRows: (n, total) => {
        progress.rowsGenerated = n;
        progress.rowsExpected = total;
        report();
      },
    },
  );
  done.then(() => {
    progress.phase = 'load';
    report();
    queue.end();
  }, (e: Error) => queue.end(e));
  const threads = new InsertThreads();
  async function* arriving() {
    yield* queue;
    await threads.all(); // every thread again for the marts and scores
    progress.phase = 'scores';
    report();
  }
  try {
    return await loadFiles({
      warehouse,
      inputs: arriving(),
      // The marts and scores of a whole province at once: with a normal load's 512 MB they spill to
      // disk (+20-36% for that stage), and they are most of what is left once the generator is done.
      // The first start runs once, before anything else is served: the 1.5 GB every build may take.
      memoryLimit: FIRST_LOAD_MEMORY_LIMIT,
      loadFile: async (conn, file, scope, arrival) => {
        if (progress.phase === 'generate') await threads.one(conn);
        else await threads.all(); // the generators are done: the files left have the cores
        const summary = await loadGenerated(conn, file, scope, arrival);
        const rows = generated.get(file)?.typedRows;
        if (rows) await rm(rows, { force: true });
        return summary;
      },
      onFile: (done, _total, _file, summary) => {
        if (!summary) return;
        progress.filesLoaded = done;
        report();
      },
    });
  } finally {
    stopAll(children);
    await rm(typedRows, { recursive: true, force: true });
  }
}

/** A generator process's priority while the cockpit serves: it takes only the CPU the server leaves. */
const DEMO_FILES_NICENESS = 19;

/**
 * The second step of a first start (see the top): writes the styled demo files of the generation
 * generateAndLoad loaded into `warehouse`, and their manifest, into `out`, and publishes their digests
 * into the files' load_batch rows. Does nothing when `out` has no pending generation.
 */
export async function writeDemoFiles(warehouse: string, out: string): Promise<{ files: number } | null> {
  if (!demoFilesPending(out)) return null;
  const job = JSON.parse(await readFile(pendingOf(out), 'utf8')) as DemoJob;
  const digests = new Map<string, { rows: number; digest: Promise<string> }>();
  const { children, done } = runGenerators({ ...job, out }, (file) => {
    const at = path.join(out, file.path);
    digests.set(at, { rows: file.rows, digest: digestOf(at) }); // awaited below
  }, { niceness: DEMO_FILES_NICENESS });
  try {
    writeManifest(out, await done);
  } finally {
    stopAll(children);
  }
  const files = await Promise.all([...digests].map(async ([file, d]) => ({ file, rows: d.rows, digest: await d.digest })));
  await buildNextSnapshot(warehouse, async (conn) => {
    await run(
      conn,
      `UPDATE load_batch SET sha256 = d.digest FROM (VALUES ${files.map((f) => `(${lit(f.file)}, ${f.rows}, ${lit(f.digest)})`).join(', ')}) d(file, rows, digest)
       WHERE load_batch.file_name = d.file AND load_batch.sha256 = '' AND load_batch.rows_read = d.rows`,
    );
    // Every file loaded from plain rows has its digest now, or these files are not the ones loaded.
    const missing = await rows<{ f: string }>(conn, `SELECT file_name AS f FROM load_batch WHERE sha256 = '' ORDER BY batch_id LIMIT 3`);
    if (missing.length > 0) throw new Error(`演示数据文件与已导入的不一致 / the demo files written differ from those loaded: ${missing.map((m) => m.f).join(', ')}`);
  });
  await rm(pendingOf(out), { force: true });
  return { files: files.length };
}
