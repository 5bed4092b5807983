// The ETL as a separate program (etl/worker.ts), driven over IPC: the server never imports etl/, and
// hostile uploads are parsed in a process with its own memory cap. Started on first use, restarted on
// the next job after a crash, killed when a job outlives its timeout. Jobs run one at a time in the
// order given. The message types are core/etl-worker-protocol.ts's, shared with etl/worker.ts.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs etl/worker.ts compiled ahead, as `npm run etl` runs the CLI: its start costs half the CPU it
 * costs under tsx. */
const COMPILED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../etl/compiled.mjs');

export type { CheckResult, PublishResult, WorkerReject } from '../../core/etl-worker-protocol.ts';
import type { CheckJob, CheckResult, PublishJob, PublishResult } from '../../core/etl-worker-protocol.ts';
export type { SubmissionPreview as PreviewResult } from '../schemas/submissions.ts';
import type { SubmissionPreview } from '../schemas/submissions.ts';

export type WorkerJob =
  | CheckJob
  | PublishJob
  | { cmd: 'preview'; file: string; stream: string; county: string; months: string[]; warehouse?: string };

/** The worker refused the file itself (unreadable, unknown header): the uploader's fault, not ours. */
export class UnreadableUpload extends Error {}

export interface EtlWorkerOptions {
  /** V8 heap cap of the worker (MB) */
  maxOldSpaceMb?: number;
  /** a job running longer is killed (ms) */
  timeoutMs?: number;
  /** a worker script of the caller's, run under tsx (default: etl/worker.ts compiled ahead) */
  script?: string;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string; unreadable?: boolean };

export class EtlWorker {
  #child: ChildProcess | null = null;
  #ready: Promise<ChildProcess> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 1;
  #closed = false;
  #busy: string | null = null;

  constructor(readonly opts: EtlWorkerOptions = {}) {}

  /** The worker's process id while it runs (tests kill it to prove a killed publish is retried). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The command the worker is running now, if any. */
  get busy(): string | null {
    return this.#busy;
  }

  run(job: Extract<WorkerJob, { cmd: 'check' }>): Promise<CheckResult>;
  run(job: Extract<WorkerJob, { cmd: 'publish' }>): Promise<PublishResult>;
  run(job: Extract<WorkerJob, { cmd: 'preview' }>): Promise<SubmissionPreview>;
  run(job: WorkerJob): Promise<unknown> {
    const result = this.#queue.then(() => this.#runNow(job));
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Start the worker now unless it runs (a job about to come need not wait for the process, its
   * modules and DuckDB to load); a failed start is the next job's error. */
  prestart(): void {
    if (!this.#closed) this.#start().catch(() => {});
  }

  #start(): Promise<ChildProcess> {
    if (this.#ready) return this.#ready;
    this.#ready = new Promise((resolve, reject) => {
      const [script, args, loader] = this.opts.script ? [this.opts.script, [], ['--import', 'tsx']] : [COMPILED, ['worker'], []];
      const child = fork(script, args, {
        execArgv: [...loader, `--max-old-space-size=${this.opts.maxOldSpaceMb ?? 1024}`],
        serialization: 'json',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.#child = child;
      const onReady = (m: { ready?: boolean }) => {
        if (m?.ready) {
          child.off('message', onReady);
          resolve(child);
        }
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => {
        if (this.#child === child) {
          this.#child = null;
          this.#ready = null;
        }
        reject(new Error(`ETL worker exited before it was ready (${signal ?? code})`));
      });
    });
    return this.#ready;
  }

  async #runNow(job: WorkerJob): Promise<unknown> {
    if (this.#closed) throw new Error('ETL worker closed');
    const child = await this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        child.kill('SIGKILL');
        reject(new Error(`ETL worker: ${job.cmd} took longer than ${(this.opts.timeoutMs ?? 120_000) / 1000} s and was stopped`));
      }, this.opts.timeoutMs ?? 120_000);
      const onMessage = (m: Reply) => {
        if (m?.id !== id) return;
        cleanup();
        if (m.ok) resolve(m.result);
        else reject(m.unreadable ? new UnreadableUpload(m.error) : new Error(m.error));
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`ETL worker stopped during ${job.cmd} (${signal ?? `exit ${code}`})`));
      };
      const cleanup = () => {
        this.#busy = null;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      this.#busy = job.cmd;
      child.send({ ...job, id });
    });
  }

  /** Stop the worker (a later job starts a new one unless closed). */
  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.#closed = true;
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }
}
