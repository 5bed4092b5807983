// County reporting: the ETL worker processes (one checks uploads, one publishes, so a long publish
// never holds up an upload's answer), the publisher, the reporting calendar, multipart uploads, and
// the same-origin rule for state-changing requests. Multipart parsing is registered beside the upload
// route only (routes/submissions.ts), so no other request pays for its hooks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { parseCalendar, type CalendarEntry } from '../../core/reporting-calendar.ts';
import { uploadsDirOf } from '../../core/paths.ts';
import { ApiError } from '../plugins/errors.ts';
import { EtlWorker } from './etl-worker.ts';
import { Publisher, type PublisherOptions } from './publisher.ts';
import { DEFAULT_UPLOAD_LIMIT } from './uploads.ts';

export const CALENDAR_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/reference/reporting-calendar.csv');

export interface ReportingOptions {
  appDbFile: string;
  warehouse: string;
  /** largest upload in bytes (default 20 MB) */
  uploadLimit?: number;
  /** a check or publish running longer is stopped (ms) */
  workerTimeoutMs?: number;
  workerMaxOldSpaceMb?: number;
  publisher?: Pick<PublisherOptions, 'settleMs' | 'maxSettleMs' | 'pollMs' | 'retryMs' | 'maxRetryMs' | 'leaseMs' | 'clock'>;
}

export interface Reporting {
  calendar: CalendarEntry[];
  /** the live snapshot's path: a check reads it (read-only) for keys other counties have filed */
  warehouse: string;
  uploadsDir: string;
  uploadLimit: number;
  checker: EtlWorker;
  publisher: Publisher;
  publishWorker: EtlWorker;
}

declare module 'fastify' {
  interface FastifyInstance {
    reporting: Reporting;
  }
  interface FastifyContextConfig {
    /** State-changing: refused unless the request shows it comes from the cockpit's own pages. */
    sameOrigin?: boolean;
  }
}

/** A cross-site form cannot set a custom header, and a cross-site fetch that does is stopped by CORS
 * (we answer no preflight): X-Requested-With, or an Origin naming this host, proves the cockpit sent it. */
function fromOwnPages(headers: Record<string, string | string[] | undefined>, host: string | undefined): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return typeof headers['x-requested-with'] === 'string';
}

export default fp<ReportingOptions>(
  async (app, opts) => {
    const calendar = parseCalendar(readFileSync(CALENDAR_FILE, 'utf8'));
    const uploadLimit = opts.uploadLimit ?? DEFAULT_UPLOAD_LIMIT;
    const workerOpts = { timeoutMs: opts.workerTimeoutMs, maxOldSpaceMb: opts.workerMaxOldSpaceMb };
    const checker = new EtlWorker({ ...workerOpts, timeoutMs: opts.workerTimeoutMs ?? 60_000, maxOldSpaceMb: opts.workerMaxOldSpaceMb ?? 512 });
    const publishWorker = new EtlWorker({ timeoutMs: opts.workerTimeoutMs ?? 600_000, maxOldSpaceMb: opts.workerMaxOldSpaceMb ?? 1536 });
    const uploadsDir = uploadsDirOf(opts.appDbFile);
    const publisher = new Publisher({
      appDb: app.appDb,
      worker: publishWorker,
      warehouse: opts.warehouse,
      snapshots: app.warehouse,
      uploadsDir,
      log: app.log,
      ...opts.publisher,
    });
    app.decorate('reporting', { calendar, warehouse: opts.warehouse, uploadsDir, uploadLimit, checker, publisher, publishWorker });

    // Only the routes that declare sameOrigin get the check: the hot read path has no hook for it.
    app.addHook('onRoute', (route) => {
      if (!route.config?.sameOrigin) return;
      const own: onRequestHookHandler = (request, _reply, done) =>
        done(
          fromOwnPages(request.headers, request.headers.host)
            ? undefined
            : new ApiError(403, 'forbidden', 'state-changing requests must come from the cockpit: send X-Requested-With or a same-origin Origin header'),
        );
      route.onRequest = [...(route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]), own];
    });
    app.addHook('onReady', async () => publisher.start());
    app.addHook('onClose', async () => {
      await publisher.close();
      await Promise.all([checker.close(), publishWorker.close()]);
    });
  },
  { name: 'reporting', dependencies: ['auth', 'warehouse', 'errors'] },
);
