// The first load of the default demo data (npm start on a clean clone): the generator runs in two child
// processes (etl/generate/child.ts), one per part of the generation (the insurance streams, the others),
// so both cores generate; each hands over every file as soon as it is complete, and the loader
// loads it into the next snapshot meanwhile, so most of the load overlaps the generation and what is
// left at the end is the last year's enrolment and claims, the marts and the scores. The generator
// also writes each file's rows in plain form, and the loader inserts those (etl/load-generated.ts)
// rather than checking the styled text cell by cell: the same warehouse as `etl load` of the files,
// for a fraction of the work. The snapshot is published atomically like any load: an interrupted first
// start leaves no warehouse, and the next start generates and loads again.
import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { GenerateJob, GenerateMessage } from './generate/child.ts';
import { generationParts, writeManifest, type GenerationPart, type Manifest } from './generate/index.ts';
import { loadFiles, type LoadSummary } from './load.ts';
import { loadGeneratedFile, type GeneratedRows } from './load-generated.ts';
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

export interface FirstLoadOptions extends Omit<GenerateJob, 'typedRows' | 'part'> {
  warehouse: string;
  onProgress?: (p: FirstLoadProgress) => void;
}

/** Generate the demo data into `out` and load it into `warehouse` at the same time. */
export async function generateAndLoad(opts: FirstLoadOptions): Promise<LoadSummary> {
  const { warehouse, onProgress, ...job } = opts;
  const progress: FirstLoadProgress = { phase: 'generate', rowsGenerated: 0, rowsExpected: 0, filesGenerated: 0, filesLoaded: 0 };
  const report = () => onProgress?.({ ...progress });
  const queue = new FileQueue();
  // The generator writes each file's rows once more in plain form here, and the loader inserts those
  // (load-generated.ts); each is removed once loaded, the directory at the end.
  const typedRows = path.join(job.out, '.rows');
  await rm(typedRows, { recursive: true, force: true });
  const generated = new Map<string, GeneratedRows>();
  const loadGenerated = loadGeneratedFile(generated);
  // Both parts generate with the same date for today, even across midnight.
  const today = job.today ?? new Date().toISOString().slice(0, 10);
  const parts = Object.keys(generationParts) as GenerationPart[];
  const manifests: Manifest[] = [];
  const rowsOf = new Map<GenerationPart, { done: number; total: number }>();
  const children = parts.map((part) => {
    // Under the loader this process runs with (tsx), whether started by `tsx` or by vitest.
    const child: ChildProcess = fork(CHILD, [], { execArgv: ['--import', 'tsx'], serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let finished = false;
    child.on('message', (m: GenerateMessage) => {
      if (m.kind === 'file') {
        progress.filesGenerated++;
        const file = path.join(job.out, m.file.path);
        generated.set(file, m.file);
        queue.push(file);
      } else if (m.kind === 'progress') {
        rowsOf.set(part, { done: m.done, total: m.total });
        progress.rowsGenerated = [...rowsOf.values()].reduce((n, r) => n + r.done, 0);
        progress.rowsExpected = [...rowsOf.values()].reduce((n, r) => n + r.total, 0);
      } else if (m.kind === 'done') {
        finished = true;
        manifests.push(m.manifest);
        if (manifests.length === parts.length) {
          try {
            writeManifest(job.out, manifests);
            progress.phase = 'load';
            queue.end();
          } catch (e) {
            queue.end(e as Error);
          }
        }
      }
      else queue.end(new Error(`生成演示数据失败 / generating the demo data failed: ${m.error}`));
      report();
    });
    // 'close' comes after the last message: a generator that said neither done nor failed died.
    child.once('close', (code, signal) => finished || queue.end(new Error(`生成演示数据的进程意外退出 / the generator stopped (${signal ?? `exit ${code}`})`)));
    child.send({ ...job, today, part, typedRows } satisfies GenerateJob);
    return child;
  });
  async function* arriving() {
    yield* queue;
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
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await rm(typedRows, { recursive: true, force: true });
  }
}
