// Starts the API: reads the environment, builds the app, listens, prints where to go and how to log in.
//   HOST (127.0.0.1)  PORT (8080)  WAREHOUSE (data/warehouse.duckdb)  APP_DB (data/app.sqlite)
//   SESSION_SECRET (generated and kept in APP_DB when unset)  COOKIE_SECURE=1 behind HTTPS
//   SEED_DEMO=0 to create no demo accounts in a new APP_DB   WEB_DIST (dist/web): the built cockpit
//   CHROMIUM_PATH (/usr/bin/chromium; empty: no PDF exports)
//   TRUST_PROXY: the load balancer's addresses or CIDRs (comma-separated), whose X-Forwarded-For is believed
//   LOG_LEVEL (info)  LOG_REQUESTS=1: a log line per request (by default only failed requests)
//   Subscriptions: SMTP_URL or SMTP_HOST/SMTP_PORT/SMTP_SECURE/SMTP_USER/SMTP_PASS, MAIL_FROM, PUBLIC_URL,
//   SUBSCRIPTION_HOSTS (see README)
import path from 'node:path';
import { defaultAppDb, defaultWarehouse, repoRoot } from '../core/paths.ts';
import { liveDemoCredentials } from './appdb/seed.ts';
import { buildApp } from './app.ts';
import { isBuilt } from './routes/web.ts';
import { INSTALL_HINT } from './exports/pdf.ts';
import { settingsFromEnv } from './subscriptions/plugin.ts';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);
const warehouse = process.env.WAREHOUSE ?? defaultWarehouse;
const appDb = defaultAppDb;
const webDist = process.env.WEB_DIST ?? path.join(repoRoot, 'dist', 'web');
const chromium = process.env.CHROMIUM_PATH === undefined ? '/usr/bin/chromium' : process.env.CHROMIUM_PATH || null;

const app = await buildApp({
  warehouse,
  appDb,
  sessionSecret: process.env.SESSION_SECRET || undefined,
  seedDemo: process.env.SEED_DEMO !== '0',
  secureCookies: process.env.COOKIE_SECURE === '1',
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
  logRequests: process.env.LOG_REQUESTS === '1',
  webDist,
  chromium,
  trustProxy: process.env.TRUST_PROXY || undefined,
  subscriptions: { ...settingsFromEnv(process.env), baseUrl: process.env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}` },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info(`${signal}: closing`);
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}

await app.listen({ host, port });
const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
const { accounts, displayToken } = await liveDemoCredentials(app.appDb);
const lines = [
  '',
  isBuilt(webDist) ? `cockpit             ${base}/` : `cockpit             not built: vite build --config web/vite.config.ts (into ${webDist})`,
  `API                 ${base}/api`,
  `OpenAPI             ${base}/docs   (log in first: POST /api/auth/login)`,
  `warehouse           ${warehouse}${app.warehouse.current ? `  (snapshot ${app.warehouse.current.id})` : '  (not built yet: npm run etl -- load ...)'}`,
  `application db      ${appDb}`,
  `PDF exports         ${app.pdf.available ? `Chromium at ${chromium}` : `unavailable (no Chromium${chromium ? ` at ${chromium}` : ''}: ${INSTALL_HINT})`}`,
];
if (accounts.length) {
  lines.push('', 'demo accounts (change them with npm run users before real use):');
  for (const a of accounts) lines.push(`  ${a.role.padEnd(8)} ${a.username.padEnd(15)} ${a.password}${a.county_code ? `   county ${a.county_code}` : ''}`);
}
if (displayToken) lines.push('', `display token       ${displayToken}`, `wall display        ${base}/wall?token=${displayToken}`);
console.log(lines.join('\n') + '\n');
