// Publishes approved submissions into the next warehouse snapshot, by itself: once approvals stop
// arriving for a moment (or on its poll, for approvals made by another replica or before a restart) it
// takes the publisher lease, hands every approved file to the ETL worker in one `etl load` (merge by key;
// a county's second file of a stream goes into a second load, so its correction replaces rather than
// clashes: publishLoads in etl/worker.ts), waits for the server to serve the new snapshot and only then marks them published with its
// id; a file of which the load accepted no row is not in it and goes back to its county (returned,
// its rejects the reason). A failed or killed publish leaves them approved; it is retried with a growing pause. Re-applying
// a file that did reach a snapshot changes nothing (merge by key), so nothing is applied twice.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { audit } from '../appdb/audit.ts';
import type { AppDb } from '../appdb/db.ts';
import { approvedSubmissions, markPublished, markPublishFailed, returnUnpublished } from '../appdb/submissions.ts';
import type { SnapshotManager } from '../plugins/warehouse.ts';
import type { EtlWorker, PublishResult } from './etl-worker.ts';
import { systemClock, type Clock } from './clock.ts';
import { releaseLease, takeLease } from './lease.ts';
import type { StreamName } from '../../core/contract.ts';

const LEASE = 'publisher';

export interface PublisherOptions {
  appDb: AppDb;
  worker: EtlWorker;
  warehouse: string;
  snapshots: SnapshotManager;
  uploadsDir: string;
  log?: FastifyBaseLogger;
  /** quiet pause after the latest approval before the publish: a reviewer approving a whole matrix
   * gives one publish, not one per approval (ms) */
  settleMs?: number;
  /** the most a publish waits after the first approval of a batch while approvals keep coming (ms) */
  maxSettleMs?: number;
  /** how often to look for approved submissions nobody told us about (ms) */
  pollMs?: number;
  /** first pause after a failure, doubled per attempt up to maxRetryMs (ms) */
  retryMs?: number;
  maxRetryMs?: number;
  leaseMs?: number;
  /** the quiet and retry pauses' time (default: the system's) */
  clock?: Clock;
}

export class Publisher {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #clock: Clock;
  #timer: unknown = null;
  /** when the pending timer was started by approvals: the first one's time (clock ms); null otherwise */
  #settlingSince: number | null = null;
  /** the latest approval's time (clock ms), for the settle the publish reports */
  #lastApproval: number | null = null;
  #poll: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #failures = 0;
  #closed = false;
  /** Resolved after each publish attempt (tests wait on it). */
  #listeners: ((outcome: PublishOutcome) => void)[] = [];

  constructor(readonly opts: PublisherOptions) {
    this.#clock = opts.clock ?? systemClock;
  }

  start(): void {
    this.#poll = setInterval(() => this.#schedule(0), this.opts.pollMs ?? 5000);
    this.#poll.unref();
    this.#settle();
  }

  /**
   * An approval: publish once approvals have stopped for settleMs. Each approval restarts that pause,
   * but never past maxSettleMs after the first, so a steady trickle still publishes. A running publish
   * picks up what arrives meanwhile when it ends; a retry pause after a failure is not cut short.
   * The worker process starts during the pause, so the publish finds it ready.
   */
  kick(): void {
    this.#lastApproval = this.#clock.now();
    if (!this.#closed) this.opts.worker.prestart();
    this.#settle();
  }

  /** The quiet pause before a publish (kick), also at start and for approvals made during a publish. */
  #settle(): void {
    if (this.#closed || this.#running) return;
    if (this.#timer && this.#settlingSince === null) return; // a poll's publish is about to start, or a retry pause
    const now = this.#clock.now();
    const since = this.#settlingSince ?? now;
    const deadline = since + (this.opts.maxSettleMs ?? 10_000);
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#schedule(Math.max(0, Math.min(this.opts.settleMs ?? 1000, deadline - now)));
    this.#settlingSince = since;
  }

  /** Publish after `delayMs` unless a publish, a pause or a retry is already pending. */
  #schedule(delayMs: number): void {
    if (this.#closed || this.#timer || this.#running) return;
    this.#settlingSince = null;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#settlingSince = null;
      this.#running = this.#publishOnce()
        .catch((err) => this.opts.log?.error({ err }, 'publisher: unexpected failure'))
        .finally(() => (this.#running = null));
    }, delayMs);
  }

  /** The next attempt's outcome. */
  next(): Promise<PublishOutcome> {
    return new Promise((resolve) => this.#listeners.push(resolve));
  }

  #emit(o: PublishOutcome): void {
    const ls = this.#listeners;
    this.#listeners = [];
    for (const l of ls) l(o);
  }

  async #publishOnce(): Promise<void> {
    const { appDb: db, log } = this.opts;
    const pending = approvedSubmissions(db);
    if (pending.length === 0) return;
    const leaseMs = this.opts.leaseMs ?? 60_000;
    if (!takeLease(db, LEASE, this.holder, leaseMs)) return; // another replica publishes
    const renew = setInterval(() => takeLease(db, LEASE, this.holder, leaseMs), leaseMs / 3);
    const ids = pending.map((s) => s.id);
    const began = performance.now();
    const settled = this.#lastApproval === null ? null : (this.#clock.now() - this.#lastApproval) / 1000;
    this.#lastApproval = null;
    try {
      const result = await this.opts.worker.run({
        cmd: 'publish',
        warehouse: this.opts.warehouse,
        submissions: pending.map((s) => ({
          id: s.id,
          file: path.join(this.opts.uploadsDir, s.file_name),
          stream: s.stream as StreamName, // stored from the worker's own check
          county: s.county_code,
          submittedAt: s.submitted_at!,
          rejectsFile: path.join(this.opts.uploadsDir, `${s.id}.rejects.csv`),
        })),
      });
      const loaded = performance.now();
      // The new file is in place; make the server serve it before saying so.
      await this.opts.snapshots.check();
      const served = performance.now();
      const snapshot = this.opts.snapshots.current;
      const snapshotId = snapshot?.id ?? 'unknown';
      const unpublished = result.files.filter((f) => f.accepted === 0);
      for (const f of unpublished) {
        const reason = nothingAccepted(f);
        returnUnpublished(db, f.id, 'publisher', reason, { read: f.read, accepted: f.accepted, rejected: f.rejected, rejects: f.rejects });
        audit(db, { actor: 'publisher', action: 'submission_return', target: String(f.id), detail: { reason, read: f.read, rejected: f.rejected } });
      }
      const returned = unpublished.map((f) => f.id);
      markPublished(db, ids.filter((id) => !returned.includes(id)), snapshotId, 'publisher');
      // Each submission's entry names the publish it went out in: how long that took, and where
      // (LoadSummary.stages), and the time around the load (seconds): the quiet pause after the latest
      // approval, the worker's start and messages, the wait for the server to switch after the worker
      // answered (the switch may begin earlier, on the file watch: opened, its opening and warming).
      const gap = {
        settle: settled,
        worker: (loaded - began) / 1000 - result.seconds,
        switch: (served - loaded) / 1000,
        open: snapshot?.opening.open ?? null,
        warm: snapshot?.opening.warm ?? null,
        opened: snapshot ? (snapshot.opening.startedAt - loaded) / 1000 : null,
        mark: (performance.now() - served) / 1000,
      };
      const publish = { seconds: result.seconds, stages: result.stages, gap };
      for (const f of result.files) {
        if (f.accepted === 0) continue;
        audit(db, { actor: 'publisher', action: 'submission_publish', target: String(f.id), detail: { snapshot: snapshotId, ...f, publish } });
      }
      this.#failures = 0;
      log?.info({ submissions: ids, returned, snapshot: snapshotId, seconds: result.seconds, stages: result.stages }, 'published approved submissions');
      this.#emit({ ok: true, ids, returned, snapshotId });
    } catch (e) {
      const message = (e as Error).message;
      markPublishFailed(db, ids, message);
      this.#failures++;
      log?.error({ err: e, submissions: ids }, 'publishing approved submissions failed; they stay approved and are retried');
      this.#emit({ ok: false, ids, error: message });
      const pause = Math.min((this.opts.retryMs ?? 2000) * 2 ** (this.#failures - 1), this.opts.maxRetryMs ?? 60_000);
      clearInterval(renew);
      releaseLease(db, LEASE, this.holder);
      this.#running = null;
      this.#schedule(pause);
      return;
    } finally {
      clearInterval(renew);
    }
    releaseLease(db, LEASE, this.holder);
    // Approvals that arrived during the publish.
    if (approvedSubmissions(db).length > 0) setImmediate(() => this.#settle());
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    if (this.#poll) clearInterval(this.#poll);
    await this.#running?.catch(() => {});
  }
}

/** Why a file of which the publish accepted no row goes back: how many rows were rejected, and the first reason. */
function nothingAccepted(f: PublishResult['files'][number]): string {
  const first = f.rejects[0];
  if (!first) return '发布时文件中没有数据行，已退回 / the file had no rows when publishing: upload it again';
  const col = first.column ? ` ${first.column}` : '';
  return `发布时没有一行被接受（${f.rejected} 行被拒绝，如第 ${first.line} 行${col}：${first.reason_zh}），请改正后重新上传` +
    ` / no row was accepted when publishing (${f.rejected} rejected, e.g. line ${first.line}${col}: ${first.reason_en}): fix and upload again`;
}

/** `ids`: every submission the publish took; `returned`: those of them sent back to their county (no row accepted), the rest are published. */
export type PublishOutcome = { ok: true; ids: number[]; returned: number[]; snapshotId: string } | { ok: false; ids: number[]; error: string };
