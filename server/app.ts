// Builds the Fastify app: the `start` script and the tests both use buildApp. Order as in fastify/demo:
// external plugins (security headers, rate limits, OpenAPI), then the app's own plugins (errors,
// warehouse, auth, cache; each names what it depends on), then one route file per resource.
import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { keepSetting, openAppDb } from './appdb/db.ts';
import { seedDemo } from './appdb/seed.ts';
import authPlugin, { ALL_ROLES } from './plugins/auth.ts';
import cachePlugin, { type CacheOptions } from './plugins/cache.ts';
import errorsPlugin, { ApiError, unreadableUrl } from './plugins/errors.ts';
import type { PdfOptions } from './exports/pdf.ts';
import pdfPlugin from './plugins/pdf.ts';
import reportingPlugin, { type ReportingOptions } from './reporting/plugin.ts';
import subscriptionsPlugin, { type SubscriptionOptions } from './subscriptions/plugin.ts';
import securityHeaders, { API_HEADERS } from './plugins/security-headers.ts';
import warehousePlugin from './plugins/warehouse.ts';
import { parseQuery, redactToken } from './querystring.ts';
import { lazyRequestLogger, requestLog } from './request-log.ts';
import { serverWithEarlyAnswer, type EarlyAnswer } from './early-answer.ts';
import { warmSnapshot } from './queries/warm.ts';
import { finiteKeyword } from './schemas/common.ts';
import authRoutes from './routes/auth.ts';
import catalogRoutes from './routes/catalog.ts';
import exportsRoutes from './routes/exports.ts';
import insuranceRoutes from './routes/insurance.ts';
import mediationRoutes from './routes/mediation.ts';
import metaRoutes from './routes/meta.ts';
import overviewRoutes from './routes/overview.ts';
import reportingRoutes from './routes/reporting.ts';
import scoreRoutes from './routes/scores.ts';
import submissionRoutes from './routes/submissions.ts';
import subscriptionRoutes from './routes/subscriptions.ts';
import templateRoutes from './routes/templates.ts';
import unitRoutes from './routes/units.ts';
import wallRoutes from './routes/wall.ts';
import webRoutes, { isBuilt } from './routes/web.ts';

export interface AppOptions {
  /** The live warehouse snapshot (WAREHOUSE). */
  warehouse: string;
  /** The application database (APP_DB): users, sessions, display tokens, audit log. */
  appDb: string;
  /** SESSION_SECRET; when unset, one is generated on first start and kept in the application database. */
  sessionSecret?: string;
  /** Create the demo accounts when the application database has no users (default true). */
  seedDemo?: boolean;
  /** Pino options, or false (tests). */
  logger?: FastifyServerOptions['logger'];
  /** A log line per request (LOG_REQUESTS=1); by default only failed requests are logged. */
  logRequests?: boolean;
  /** Send the session cookie only over HTTPS (set when served behind TLS). */
  secureCookies?: boolean;
  /** Failed logins per client address per minute before its wrong passwords get 429 (default 10). */
  loginPerMinute?: number;
  /** Failed logins per account within 15 minutes before it is locked for 15 minutes (default 5). */
  loginFailuresPerAccount?: number;
  /** The proxies whose X-Forwarded-For names the client (TRUST_PROXY: comma-separated addresses or
   * CIDRs); behind a load balancer the login rate limit would otherwise count every client as one. */
  trustProxy?: string;
  snapshotPollMs?: number;
  snapshotGraceMs?: number;
  /** The built web app to serve beside the API (dist/web); not served when unset or not built. */
  webDist?: string;
  /** Read a new snapshot's hot tables before switching to it (default true). */
  warmSnapshots?: boolean;
  /** Chromium for PDF exports (CHROMIUM_PATH, default /usr/bin/chromium); null: PDF exports answer 503. */
  chromium?: string | null;
  /** County reporting: upload limit, ETL worker limits, publisher timing (tests shorten them). */
  reporting?: Omit<ReportingOptions, 'appDbFile' | 'warehouse'>;
  /** Bounds on PDF printing (queue, per account, time per render); defaults in exports/pdf.ts. */
  pdfLimits?: Omit<PdfOptions, 'executablePath'>;
  /** Exports per account per minute (default 20). */
  exportsPerMinute?: number;
  /** The response cache's size limit and compression threshold (defaults in plugins/cache.ts). */
  responseCache?: CacheOptions;
  /** Subscriptions: SMTP, the cockpit's public address for links, allowed hosts, scheduler timing. */
  subscriptions?: SubscriptionOptions;
}

/** Display tokens travel in the wall's URL: keep them out of the logs. */
const requestForLog = (req: { method: string; url: string }) => ({ method: req.method, url: redactToken(req.url) });

export async function buildApp(opts: AppOptions) {
  const logger =
    opts.logger === true ? { serializers: { req: requestForLog } }
    : opts.logger ? { ...opts.logger, serializers: { req: requestForLog } }
    : false;
  // Installed once the cache is registered; withdrawn when the app starts closing, so requests on
  // kept-alive connections then get Fastify's 503 as before.
  let early: EarlyAnswer | null = null;
  const app = Fastify({
    serverFactory: serverWithEarlyAnswer(() => early),
    logger,
    logController: requestLog(opts.logRequests ?? false),
    ...(logger ? { childLoggerFactory: lazyRequestLogger } : {}),
    frameworkErrors: unreadableUrl(API_HEADERS),
    // The warehouse plugin opens and warms the snapshot while it registers: on a busy machine that
    // takes longer than avvio's default 10 s, which would stop the server (seen on a first start).
    pluginTimeout: 120_000,
    trustProxy: opts.trustProxy ?? false,
    routerOptions: { querystringParser: parseQuery },
    ajv: { plugins: [finiteKeyword] },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const appDb = openAppDb(opts.appDb);
  app.addHook('onClose', () => appDb.close());
  const sessionSecret = opts.sessionSecret ?? keepSetting(appDb, 'session_secret', randomBytes(32).toString('base64url'));
  if (opts.seedDemo !== false) await seedDemo(appDb);

  // External plugins. No CORS: the web app is served from the same origin.
  // Over plain HTTP (a wall screen on the LAN), HSTS and upgrade-insecure-requests would break the page.
  const https = opts.secureCookies ?? false;
  await app.register(securityHeaders, {
    hsts: https,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new ApiError(429, 'rate_limited', `too many attempts: try again in ${ctx.after}`),
  });
  await app.register(swagger, {
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}` },
    openapi: {
      info: { title: 'Union Cockpit API', version: '0.1.0', description: 'Guangxi trade-union federation cockpit' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'uc_session' }, displayToken: { type: 'http', scheme: 'bearer' } } },
    },
  });

  // The app's own plugins.
  await app.register(errorsPlugin);
  await app.register(warehousePlugin, {
    file: opts.warehouse,
    pollMs: opts.snapshotPollMs,
    graceMs: opts.snapshotGraceMs,
    warm: opts.warmSnapshots === false ? undefined : warmSnapshot,
  });
  await app.register(authPlugin, { appDb, sessionSecret, secureCookies: opts.secureCookies });
  await app.register(cachePlugin, opts.responseCache ?? {});
  // With a log line per request (LOG_REQUESTS=1) every request goes through Fastify, which logs it.
  if (!opts.logRequests) early = app.responseCache.answerEarly;
  app.addHook('preClose', (done) => {
    early = null;
    done();
  });
  await app.register(pdfPlugin, { ...opts.pdfLimits, executablePath: opts.chromium === undefined ? '/usr/bin/chromium' : opts.chromium });
  await app.register(reportingPlugin, { ...opts.reporting, appDbFile: opts.appDb, warehouse: opts.warehouse });
  await app.register(subscriptionsPlugin, { ...opts.subscriptions, defaultBaseUrl: 'http://127.0.0.1:8080' });

  // The OpenAPI UI is for signed-in users like every non-public route.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, roles: ALL_ROLES };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });

  await app.register(metaRoutes);
  await app.register(authRoutes, { loginPerMinute: opts.loginPerMinute, loginFailuresPerAccount: opts.loginFailuresPerAccount });
  await app.register(unitRoutes);
  await app.register(catalogRoutes);
  await app.register(overviewRoutes);
  await app.register(scoreRoutes);
  await app.register(exportsRoutes, { perMinute: opts.exportsPerMinute });
  await app.register(mediationRoutes);
  await app.register(insuranceRoutes);
  await app.register(submissionRoutes);
  await app.register(reportingRoutes);
  await app.register(templateRoutes);
  await app.register(subscriptionRoutes);
  await app.register(wallRoutes, { webDist: opts.webDist });
  if (opts.webDist && isBuilt(opts.webDist)) await app.register(webRoutes, { dist: opts.webDist });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
