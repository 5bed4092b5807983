// Subscriptions in the application database: what to send, when and where; the runs (one per due time
// or "send now"), each claimed by one replica before it is sent; the log of every attempt; and what the
// alert pushes have already sent.
import { stmt, type AppDb } from './db.ts';

import type { ChannelKind, ReportKind } from '../../core/subscription-reports.ts';

export { CHANNEL_KINDS, type ChannelKind, type ReportKind } from '../../core/subscription-reports.ts';

export interface Channel {
  kind: ChannelKind;
  to?: string;
  url?: string;
  secret?: string;
}

export interface SubscriptionRow {
  id: number;
  report: ReportKind;
  params: string;
  schedule: string;
  channel_kind: ChannelKind;
  channel_to: string | null;
  channel_url: string | null;
  channel_secret: string | null;
  created_by: string;
  created_at: string;
  next_run_at: number;
  deleted_at: string | null;
}

export interface RunRow {
  id: number;
  subscription_id: number;
  due_at: number;
  trigger: 'schedule' | 'manual';
  requested_by: string | null;
  status: 'pending' | 'sent' | 'quiet' | 'failed';
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  finished_at: string | null;
}

export interface DeliveryRow {
  id: number;
  run_id: number;
  at: string;
  holder: string;
  outcome: 'sent' | 'quiet' | 'failed';
  error: string | null;
  detail: string | null;
}

export interface NewSubscription {
  report: ReportKind;
  params: Record<string, unknown>;
  schedule: string;
  channel: Channel;
  createdBy: string;
  nextRunAt: number;
}

export function createSubscription(db: AppDb, s: NewSubscription): SubscriptionRow {
  return stmt(
    db,
    `INSERT INTO subscriptions (report, params, schedule, channel_kind, channel_to, channel_url, channel_secret, created_by, next_run_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(s.report, JSON.stringify(s.params), s.schedule, s.channel.kind, s.channel.to ?? null, s.channel.url ?? null, s.channel.secret ?? null, s.createdBy, s.nextRunAt) as SubscriptionRow;
}

export function activeSubscriptions(db: AppDb): SubscriptionRow[] {
  return stmt(db, 'SELECT * FROM subscriptions WHERE deleted_at IS NULL ORDER BY id').all() as SubscriptionRow[];
}

export function findSubscription(db: AppDb, id: number): SubscriptionRow | undefined {
  return stmt(db, 'SELECT * FROM subscriptions WHERE id = ? AND deleted_at IS NULL').get(id) as SubscriptionRow | undefined;
}

export const DELETED_BEFORE_SENT = '订阅已删除，未发送 / the subscription was deleted before this run was sent';

/**
 * Deleted subscriptions stay as rows (their runs and deliveries refer to them) but are never run again.
 * Their runs still waiting are settled as failed, with the reason logged, so the log shows none pending
 * forever; a run a replica is sending right now is settled by that replica's outcome instead.
 */
export function deleteSubscription(db: AppDb, id: number, by: string): boolean {
  return db.transaction(() => {
    const deleted = stmt(db, `UPDATE subscriptions SET deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND deleted_at IS NULL`).run(id).changes === 1;
    if (!deleted) return false;
    const now = Date.now();
    const waiting = stmt(db, `SELECT id FROM subscription_runs WHERE subscription_id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)`).all(id, now) as { id: number }[];
    for (const r of waiting) {
      stmt(db, `INSERT INTO subscription_deliveries (run_id, holder, outcome, error) VALUES (?, ?, 'failed', ?)`).run(r.id, by, DELETED_BEFORE_SENT);
      stmt(db, `UPDATE subscription_runs SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`).run(r.id);
    }
    return true;
  })();
}

/**
 * For every subscription whose next scheduled time has come: one run for that time, and the next time
 * moved on. In one write transaction, and the run is unique per (subscription, time): two replicas
 * ticking together make one run. Times missed while no server ran make one run, not one per miss.
 */
export function scheduleDueRuns(db: AppDb, now: number, nextAfter: (schedule: string, after: number) => number): number {
  return db
    .transaction(() => {
      const due = stmt(db, 'SELECT id, schedule, next_run_at FROM subscriptions WHERE deleted_at IS NULL AND next_run_at <= ?').all(now) as Pick<SubscriptionRow, 'id' | 'schedule' | 'next_run_at'>[];
      for (const s of due) {
        stmt(db, `INSERT INTO subscription_runs (subscription_id, due_at, trigger, next_attempt_at) VALUES (?, ?, 'schedule', ?) ON CONFLICT DO NOTHING`).run(s.id, s.next_run_at, now);
        stmt(db, 'UPDATE subscriptions SET next_run_at = ? WHERE id = ?').run(nextAfter(s.schedule, now), s.id);
      }
      return due.length;
    })
    .immediate();
}

/** "Send now": a run due at once. */
export function requestRun(db: AppDb, subscriptionId: number, requestedBy: string, now: number): RunRow {
  return stmt(
    db,
    `INSERT INTO subscription_runs (subscription_id, due_at, trigger, requested_by, next_attempt_at)
     VALUES (?, ?, 'manual', ?, ?) ON CONFLICT DO UPDATE SET requested_by = excluded.requested_by RETURNING *`,
  ).get(subscriptionId, now, requestedBy, now) as RunRow;
}

/**
 * Claim the oldest pending run that is due, for `holder` until now + leaseMs: the lease on that run.
 * One statement, so two replicas never claim the same run; a claim whose holder died runs out and the
 * run is claimed again. At most one run of a subscription is claimed at a time, so an alert push and a
 * "send now" of the same subscription never send the same alert twice.
 */
export function claimRun(db: AppDb, holder: string, now: number, leaseMs: number): RunRow | undefined {
  return stmt(
    db,
    `UPDATE subscription_runs SET claimed_by = @holder, claimed_until = @until
     WHERE id = (
       SELECT r.id FROM subscription_runs r JOIN subscriptions s ON s.id = r.subscription_id
       WHERE r.status = 'pending' AND r.next_attempt_at <= @now AND (r.claimed_until IS NULL OR r.claimed_until < @now)
         AND s.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM subscription_runs o WHERE o.subscription_id = r.subscription_id AND o.id <> r.id
                         AND o.status = 'pending' AND o.claimed_until >= @now)
       ORDER BY r.next_attempt_at, r.id LIMIT 1)
     RETURNING *`,
  ).get({ holder, until: now + leaseMs, now }) as RunRow | undefined;
}

/** Extend a claim while a slow delivery runs; false when the claim was lost. */
export function renewClaim(db: AppDb, runId: number, holder: string, until: number): boolean {
  return stmt(db, `UPDATE subscription_runs SET claimed_until = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'`).run(until, runId, holder).changes === 1;
}

export interface Outcome {
  outcome: DeliveryRow['outcome'];
  error?: string;
  detail?: Record<string, unknown>;
  /** alert pushes: the items this delivery sent, remembered so that they are not sent again */
  pushed?: string[];
}

/** Log one attempt and settle the run: sent or quiet, or failed (retried at `retryAt`, or given up when null). */
export function finishAttempt(db: AppDb, run: RunRow, holder: string, o: Outcome, retryAt: number | null): void {
  db.transaction(() => {
    stmt(db, 'INSERT INTO subscription_deliveries (run_id, holder, outcome, error, detail) VALUES (?, ?, ?, ?, ?)').run(
      run.id,
      holder,
      o.outcome,
      o.error ?? null,
      o.detail ? JSON.stringify(o.detail) : null,
    );
    for (const item of o.pushed ?? []) {
      stmt(db, 'INSERT INTO subscription_pushed (subscription_id, item, run_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(run.subscription_id, item, run.id);
    }
    const failed = o.outcome === 'failed';
    // A subscription deleted while this attempt ran gets no retry.
    const gone = stmt(db, 'SELECT deleted_at IS NOT NULL AS gone FROM subscriptions WHERE id = ?').get(run.subscription_id) as { gone: number };
    const status = !failed ? o.outcome : retryAt === null || gone.gone ? 'failed' : 'pending';
    stmt(
      db,
      `UPDATE subscription_runs SET status = ?, attempts = attempts + 1, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL,
         finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
       WHERE id = ?`,
    ).run(status, retryAt ?? run.next_attempt_at, status, run.id);
  })();
}

/** Of `items`, those this subscription has not pushed yet. */
export function notYetPushed(db: AppDb, subscriptionId: number, items: string[]): string[] {
  const has = stmt(db, 'SELECT 1 FROM subscription_pushed WHERE subscription_id = ? AND item = ?');
  return items.filter((i) => !has.get(subscriptionId, i));
}

/** The latest runs of a subscription with their attempts, newest first. */
export function recentRuns(db: AppDb, subscriptionId: number, limit = 5): (RunRow & { deliveries: DeliveryRow[] })[] {
  const runs = stmt(db, 'SELECT * FROM subscription_runs WHERE subscription_id = ? ORDER BY id DESC LIMIT ?').all(subscriptionId, limit) as RunRow[];
  return runs.map((r) => ({ ...r, deliveries: stmt(db, 'SELECT * FROM subscription_deliveries WHERE run_id = ? ORDER BY id').all(r.id) as DeliveryRow[] }));
}

/**
 * The alert push the operator configured in the environment (ALERT_CHANNEL_*): kept as one subscription
 * made by 'environment', replaced when the settings change. In one write transaction, so replicas
 * starting together keep one.
 */
export function ensureEnvironmentAlerts(db: AppDb, s: { schedule: string; channel: Channel; nextRunAt: number }): SubscriptionRow {
  return db
    .transaction(() => {
      const current = stmt(db, "SELECT * FROM subscriptions WHERE created_by = 'environment' AND report = 'alerts' AND deleted_at IS NULL").all() as SubscriptionRow[];
      const same = current.find(
        (r) =>
          r.schedule === s.schedule &&
          r.channel_kind === s.channel.kind &&
          r.channel_to === (s.channel.to ?? null) &&
          r.channel_url === (s.channel.url ?? null) &&
          r.channel_secret === (s.channel.secret ?? null),
      );
      for (const r of current) if (r !== same) deleteSubscription(db, r.id, 'environment');
      return same ?? createSubscription(db, { report: 'alerts', params: {}, schedule: s.schedule, channel: s.channel, createdBy: 'environment', nextRunAt: s.nextRunAt });
    })
    .immediate();
}
