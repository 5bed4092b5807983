// The server as the environment configures it, for server.ts and npm start's start.ts (which
// reads it before anything heavy is loaded, to answer at once).
//   HOST (127.0.0.1)  PORT (8080)  WAREHOUSE (data/warehouse.duckdb)  APP_DB (data/app.sqlite)
//   SESSION_SECRET (generated and kept in APP_DB when unset)  COOKIE_SECURE=1 behind HTTPS
//   SEED_DEMO=0 to create no demo accounts in a new APP_DB   WEB_DIST (dist/web): the built cockpit
//   CHROMIUM_PATH (/usr/bin/chromium; empty: no PDF exports)
//   TRUST_PROXY: the load balancer's addresses or CIDRs (comma-separated), whose X-Forwarded-For is believed
//   LOG_LEVEL (info)  LOG_REQUESTS=1: a log line per request (by default only failed requests)
//   Subscriptions: SMTP_URL or SMTP_HOST/SMTP_PORT/SMTP_SECURE/SMTP_USER/SMTP_PASS, MAIL_FROM, PUBLIC_URL,
//   SUBSCRIPTION_HOSTS, ALERT_* (see README)
import path from 'node:path';
import { defaultAppDb, defaultWarehouse, repoRoot } from '../core/paths.ts';
import type { AppOptions } from './app.ts';
import { settingsFromEnv } from './subscriptions/plugin.ts';

export const host = process.env.HOST ?? '127.0.0.1';
export const port = Number(process.env.PORT ?? 8080);
export const chromium = process.env.CHROMIUM_PATH === undefined ? '/usr/bin/chromium' : process.env.CHROMIUM_PATH || null;
export const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

export const appOptions: AppOptions = {
  warehouse: process.env.WAREHOUSE ?? defaultWarehouse,
  appDb: defaultAppDb,
  sessionSecret: process.env.SESSION_SECRET || undefined,
  seedDemo: process.env.SEED_DEMO !== '0',
  secureCookies: process.env.COOKIE_SECURE === '1',
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
  logRequests: process.env.LOG_REQUESTS === '1',
  webDist: process.env.WEB_DIST ?? path.join(repoRoot, 'dist', 'web'),
  chromium,
  trustProxy: process.env.TRUST_PROXY || undefined,
  subscriptions: { ...settingsFromEnv(process.env), baseUrl: process.env.PUBLIC_URL || baseUrl },
};

/** Close the app on Ctrl-C or a stop signal, then exit (`before` runs first: stop builds and loads). */
export function closeOnSignals(app: () => { close(): Promise<unknown>; log: { info(msg: string): void } } | null, before?: () => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      before?.();
      const current = app();
      if (!current) process.exit(0);
      current.log.info(`${signal}: closing`);
      current.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}
