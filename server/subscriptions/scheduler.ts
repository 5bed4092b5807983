// Runs subscriptions in the server process. Every tick it turns due schedules into runs (one per due
// time, made in one write transaction, so two replicas make one run), then claims pending runs one at
// a time (a lease on the run in the application database: exactly one replica sends each) and sends
// them. Every attempt is logged; a failed one is retried after retryMs, doubling up to maxRetryMs,
// until maxAttempts. Runs live in the application database: a restart picks up where it stopped, and
// a schedule that fell due while no server ran is sent once on the next start.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { CalendarEntry } from '../../core/reporting-calendar.ts';
import type { AppDb } from '../appdb/db.ts';
import { claimRun, finishAttempt, renewClaim, scheduleDueRuns, type Outcome, type RunRow, type SubscriptionRow } from '../appdb/subscriptions.ts';
import { stmt } from '../appdb/db.ts';
import type { PdfRenderer } from '../exports/pdf.ts';
import type { SnapshotManager } from '../plugins/warehouse.ts';
import { alertPush } from './alerts.ts';
import { reportMessage } from './content.ts';
import { deliver, type Mailer } from './deliver.ts';
import { nextRunAfter } from './schedule.ts';

export interface SchedulerOptions {
  appDb: AppDb;
  snapshots: SnapshotManager;
  pdf: PdfRenderer;
  calendar: CalendarEntry[];
  mailer: Mailer | null;
  /** the cockpit's address for links in messages */
  baseUrl: string;
  log?: FastifyBaseLogger;
  /** how often to look for due runs (ms) */
  tickMs?: number;
  /** how long a claim on a run holds without renewal (ms) */
  leaseMs?: number;
  /** first pause after a failed attempt, doubled per attempt up to maxRetryMs (ms) */
  retryMs?: number;
  maxRetryMs?: number;
  /** attempts before a run is given up as failed */
  maxAttempts?: number;
  /** the clock (tests move it) */
  now?: () => number;
}

export class SubscriptionScheduler {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  #interval: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;

  constructor(readonly opts: SchedulerOptions) {}

  now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  start(): void {
    this.#interval = setInterval(() => this.kick(), this.opts.tickMs ?? 15_000);
    this.#interval.unref();
    this.kick();
  }

  /** Look for due work now (after a "send now", or on the tick). */
  kick(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#tick().catch((err) => this.opts.log?.error({ err }, 'subscriptions: tick failed'));
      } while (this.#again && !this.#closed);
    })().finally(() => (this.#running = null));
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#interval) clearInterval(this.#interval);
    await this.#running;
  }

  async #tick(): Promise<void> {
    const { appDb: db } = this.opts;
    scheduleDueRuns(db, this.now(), nextRunAfter);
    const leaseMs = this.opts.leaseMs ?? 120_000;
    for (let run = claimRun(db, this.holder, this.now(), leaseMs); run && !this.#closed; run = claimRun(db, this.holder, this.now(), leaseMs)) {
      const renew = setInterval(() => renewClaim(db, run!.id, this.holder, this.now() + leaseMs), leaseMs / 3);
      try {
        await this.#attempt(run);
      } finally {
        clearInterval(renew);
      }
    }
  }

  async #attempt(run: RunRow): Promise<void> {
    const { appDb: db, log } = this.opts;
    const sub = stmt(db, 'SELECT * FROM subscriptions WHERE id = ?').get(run.subscription_id) as SubscriptionRow;
    let outcome: Outcome;
    try {
      outcome = await this.#send(sub, run);
    } catch (e) {
      outcome = { outcome: 'failed', error: String((e as Error).message ?? e).slice(0, 500) };
    }
    const attempts = run.attempts + 1;
    let retryAt: number | null = null;
    if (outcome.outcome === 'failed' && attempts < (this.opts.maxAttempts ?? 6)) {
      retryAt = this.now() + Math.min((this.opts.retryMs ?? 30_000) * 2 ** (attempts - 1), this.opts.maxRetryMs ?? 30 * 60_000);
    }
    finishAttempt(db, run, this.holder, outcome, retryAt);
    const fields = { subscription: sub.id, run: run.id, report: sub.report, channel: sub.channel_kind, attempt: attempts, ...outcome, pushed: outcome.pushed?.length };
    if (outcome.outcome === 'failed') log?.warn(fields, retryAt ? 'subscription delivery failed; retried later' : 'subscription delivery failed; given up');
    else log?.info(fields, 'subscription delivered');
  }

  async #send(sub: SubscriptionRow, run: RunRow): Promise<Outcome> {
    const lease = this.opts.snapshots.acquire();
    const { snapshot } = lease;
    try {
      const deps = { snapshot, baseUrl: this.opts.baseUrl };
      if (sub.report === 'alerts') {
        const push = await alertPush(sub, { ...deps, appDb: this.opts.appDb, calendar: this.opts.calendar, now: new Date(this.now()) });
        if (!push.message) return { outcome: 'quiet', detail: push.counts };
        const sent = await deliver(sub, run.id, push.message, this.opts.mailer);
        return { outcome: 'sent', detail: { ...push.counts, ...sent }, pushed: push.items };
      }
      const message = await reportMessage(sub, { ...deps, pdf: this.opts.pdf });
      const sent = await deliver(sub, run.id, message, this.opts.mailer);
      return { outcome: 'sent', detail: { file: message.file?.name, size: message.file?.content.length, ...sent } };
    } finally {
      lease.release();
    }
  }
}
