// Subscriptions: the scheduler in this server process, the mailer and the settings the routes check
// channels against. Settings come from the environment (settingsFromEnv, see README).
import fp from 'fastify-plugin';
import { mailTransport, smtpFromEnv, type SmtpSettings } from './email.ts';
import { SubscriptionScheduler, type SchedulerOptions } from './scheduler.ts';

export interface SubscriptionOptions extends Pick<SchedulerOptions, 'tickMs' | 'leaseMs' | 'retryMs' | 'maxRetryMs' | 'maxAttempts' | 'now'> {
  /** SMTP for the email channel; null: email deliveries fail saying it is not configured */
  smtp?: SmtpSettings | null;
  /** the cockpit's public address for links in messages (PUBLIC_URL) */
  baseUrl?: string;
  /** hosts (host or host:port) besides the robots' own that channels may post to (SUBSCRIPTION_HOSTS) */
  allowedHosts?: string[];
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): SubscriptionOptions {
  return {
    smtp: smtpFromEnv(env),
    baseUrl: env.PUBLIC_URL || undefined,
    allowedHosts: (env.SUBSCRIPTION_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
  };
}

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
    app.decorate('subscriptions', { scheduler, allowedHosts: opts.allowedHosts ?? [] });
    app.addHook('onReady', async () => scheduler.start());
    app.addHook('onClose', async () => {
      await scheduler.close();
      mailer?.transport.close();
    });
  },
  { name: 'subscriptions', dependencies: ['auth', 'warehouse', 'pdf', 'reporting'] },
);
