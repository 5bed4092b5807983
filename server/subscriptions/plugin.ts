// Subscriptions: the scheduler in this server process, the mailer and the settings the routes check
// channels against. Settings come from the environment (settingsFromEnv, see README).
import fp from 'fastify-plugin';
import { CHANNEL_KINDS, ensureEnvironmentAlerts, type Channel, type ChannelKind } from '../appdb/subscriptions.ts';
import { checkChannel } from './channel.ts';
import { cronProblem, nextRunAfter } from './schedule.ts';
import { mailTransport, smtpFromEnv, type SmtpSettings } from './email.ts';
import { SubscriptionScheduler, type SchedulerOptions } from './scheduler.ts';

export interface SubscriptionOptions extends Pick<SchedulerOptions, 'tickMs' | 'leaseMs' | 'retryMs' | 'maxRetryMs' | 'maxAttempts' | 'now'> {
  /** SMTP for the email channel; null: email deliveries fail saying it is not configured */
  smtp?: SmtpSettings | null;
  /** the cockpit's public address for links in messages (PUBLIC_URL) */
  baseUrl?: string;
  /** hosts (host or host:port) besides the robots' own that channels may post to (SUBSCRIPTION_HOSTS) */
  allowedHosts?: string[];
  /** the leadership channel for alert pushes, from the environment (ALERT_CHANNEL_*), checked like a subscription's */
  alerts?: { schedule: string; channel: Channel };
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): SubscriptionOptions {
  return {
    smtp: smtpFromEnv(env),
    baseUrl: env.PUBLIC_URL || undefined,
    allowedHosts: (env.SUBSCRIPTION_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    alerts: env.ALERT_CHANNEL_KIND
      ? {
          schedule: env.ALERT_SCHEDULE || DEFAULT_ALERT_SCHEDULE,
          channel: {
            kind: env.ALERT_CHANNEL_KIND as ChannelKind,
            to: env.ALERT_CHANNEL_TO || undefined,
            url: env.ALERT_CHANNEL_URL || undefined,
            secret: env.ALERT_CHANNEL_SECRET || undefined,
          },
        }
      : undefined,
  };
}

/** Alert pushes look for news at 09:00 and 15:00 Beijing time on working days, unless ALERT_SCHEDULE says otherwise. */
export const DEFAULT_ALERT_SCHEDULE = '0 9,15 * * 1-5';

declare module 'fastify' {
  interface FastifyInstance {
    subscriptions: { scheduler: SubscriptionScheduler; allowedHosts: string[] };
  }
}

export default fp<SubscriptionOptions & { defaultBaseUrl: string }>(
  async (app, opts) => {
    const mailer = opts.smtp ? { transport: mailTransport(opts.smtp), from: opts.smtp.from } : null;
    const scheduler = new SubscriptionScheduler({
      appDb: app.appDb,
      snapshots: app.warehouse,
      pdf: app.pdf,
      calendar: app.reporting.calendar,
      mailer,
      baseUrl: (opts.baseUrl ?? opts.defaultBaseUrl).replace(/\/+$/, ''),
      log: app.log,
      tickMs: opts.tickMs,
      leaseMs: opts.leaseMs,
      retryMs: opts.retryMs,
      maxRetryMs: opts.maxRetryMs,
      maxAttempts: opts.maxAttempts,
      now: opts.now,
    });
    const allowedHosts = opts.allowedHosts ?? [];
    if (opts.alerts) {
      // A wrong setting stops the start with the field named, as a 400 would for a subscription.
      const problem = cronProblem(opts.alerts.schedule);
      if (problem) throw new Error(`ALERT_SCHEDULE: ${problem}`);
      if (!(CHANNEL_KINDS as readonly string[]).includes(opts.alerts.channel.kind)) throw new Error(`ALERT_CHANNEL_KIND: one of ${CHANNEL_KINDS.join(', ')}`);
      let channel: Channel;
      try {
        channel = checkChannel(opts.alerts.channel, allowedHosts);
      } catch (e) {
        throw new Error(`ALERT_CHANNEL_${String((e as { field?: string }).field ?? '').replace('channel.', '').toUpperCase()}: ${(e as Error).message}`);
      }
      ensureEnvironmentAlerts(app.appDb, { schedule: opts.alerts.schedule, channel, nextRunAt: nextRunAfter(opts.alerts.schedule, scheduler.now()) });
    }
    app.decorate('subscriptions', { scheduler, allowedHosts });
    app.addHook('onReady', async () => scheduler.start());
    app.addHook('onClose', async () => {
      await scheduler.close();
      mailer?.transport.close();
    });
  },
  { name: 'subscriptions', dependencies: ['auth', 'warehouse', 'pdf', 'reporting'] },
);
