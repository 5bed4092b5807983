// GET /api/exports/<report>.<format>: the cockpit's tables as files, with the same filters as their JSON
// endpoints. One route per report, so each has its own access rule and the set of report names is the
// router's (an unknown name, or anything like a path, is a 404 before any code runs). Every export is
// audited (who, which report, which filters) and never cached, and each account may export only so
// many a minute.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../appdb/audit.ts';
import { toCsv } from '../exports/csv.ts';
import { toHtml } from '../exports/html.ts';
import { insuranceReport, mediationReport, rankingsReport, scorecardReport } from '../exports/reports.ts';
import type { Report } from '../exports/report.ts';
import { toXlsx } from '../exports/xlsx.ts';
import { errorResponses } from '../plugins/errors.ts';
import { clientGone } from '../plugins/pdf.ts';
import { newestClaimsYear } from '../queries/insurance.ts';
import {
  ExportParams,
  InsuranceExportQuery,
  MediationExportQuery,
  RankingsExportQuery,
  ScorecardExportQuery,
  type ExportFormat,
} from '../schemas/exports.ts';
import { successRateBody } from '../services/mediation.ts';
import { rankingsBody } from '../services/rankings.ts';
import { buildScorecard } from '../services/scorecard.ts';
import { declaredQuery } from './declared-query.ts';
import { monthRange, requireRankedCity, requireScorePeriod, requireUnit } from './params.ts';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Render the report in the format, record the export, and send it as a download. A HEAD request
 * (Fastify answers it with the GET route) gets the same status and headers without the file: no
 * render, nothing exported, nothing audited; an empty stream, so no Content-Length claims a size
 * that only rendering would tell. */
export async function sendReport(request: FastifyRequest, reply: FastifyReply, report: Report, format: ExportFormat) {
  const download = () =>
    reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${report.filename}.${format}"`)
      .header('cache-control', 'no-store');
  if (request.method === 'HEAD') return download().send(Readable.from([]));
  let body: string | Buffer;
  if (format === 'csv') body = toCsv(report);
  else if (format === 'xlsx') body = await toXlsx(report);
  else {
    const generatedAt = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    body = await request.server.pdf.render(toHtml(report, generatedAt), {
      landscape: report.landscape,
      account: request.principal!.username,
      signal: clientGone(reply),
    });
  }
  const p = request.principal!;
  const filters = declaredQuery(request, ['lang']);
  audit(request.server.appDb, {
    actor: p.username,
    action: 'export',
    target: `${report.filename}.${format}`,
    detail: { route: request.routeOptions.url, format, filters, rows: report.rows.length },
    ip: request.ip,
  });
  return download().send(body);
}

const FILE = { 200: { description: 'the file (CSV, XLSX or PDF)', type: 'string', format: 'binary' } } as const;

export interface ExportRouteOptions {
  /** Exports per account per minute, all reports and formats together. */
  perMinute?: number;
}

const exportsRoutes: FastifyPluginAsyncTypebox<ExportRouteOptions> = async (app, opts) => {
  // Per account, not per address: a county office shares one address, and one account must not
  // crowd out the others. After validation and the access checks (preHandler), so refusals are free.
  app.addHook(
    'preHandler',
    app.rateLimit({ max: opts.perMinute ?? 20, timeWindow: '1 minute', keyGenerator: (request) => `export ${request.principal!.username}` }),
  );

  app.get(
    '/api/exports/mediation.:format',
    {
      schema: {
        tags: ['exports'],
        summary: 'Mediation success rate table (as GET /api/mediation/success-rate) as CSV, XLSX or PDF',
        params: ExportParams,
        querystring: MediationExportQuery,
        response: { ...FILE, ...errorResponses(400, 401, 403, 404, 503) },
      },
      config: { roles: ['analyst'] },
    },
    async (request, reply) => {
      const q = request.query;
      const unit = await requireUnit(request, q.unit);
      const { from, to } = monthRange(request, q);
      const by = q.by ?? (unit.level === 'county' ? 'month' : 'county');
      const snapshot = request.snapshot();
      const report = mediationReport(snapshot, await successRateBody(snapshot.db, unit, from, to, by), by, q.lang ?? 'zh-CN');
      return sendReport(request, reply, report, request.params.format);
    },
  );

  app.get(
    '/api/exports/insurance.:format',
    {
      schema: {
        tags: ['exports'],
        summary: 'Mutual-aid members and claims by year, or claims by month of a year, as CSV, XLSX or PDF',
        params: ExportParams,
        querystring: InsuranceExportQuery,
        response: { ...FILE, ...errorResponses(400, 401, 403, 404, 503) },
      },
      config: { roles: ['analyst'] },
    },
    async (request, reply) => {
      const q = request.query;
      const unit = await requireUnit(request, q.unit);
      const by = q.by ?? 'year';
      const year = by === 'month' ? (q.year ?? (await newestClaimsYear(request.snapshot().db)) ?? null) : null;
      const report = await insuranceReport(request.snapshot(), { unit, by, year }, q.lang ?? 'zh-CN');
      return sendReport(request, reply, report, request.params.format);
    },
  );

  app.get(
    '/api/exports/rankings.:format',
    {
      schema: {
        tags: ['exports'],
        summary: 'The rankings table (as GET /api/rankings) as CSV, XLSX or PDF',
        params: ExportParams,
        querystring: RankingsExportQuery,
        response: { ...FILE, ...errorResponses(400, 401, 403, 404, 503) },
      },
      config: { roles: ['analyst'] },
    },
    async (request, reply) => {
      const { lang, set, city, period } = request.query;
      const cityUnit = await requireRankedCity(request, set, city);
      const data = await rankingsBody(request.snapshot().db, set, await requireScorePeriod(request, period), cityUnit);
      const report = await rankingsReport(request.snapshot(), data, cityUnit, lang ?? 'zh-CN');
      return sendReport(request, reply, report, request.params.format);
    },
  );

  app.get(
    '/api/exports/scorecard.:format',
    {
      schema: {
        tags: ['exports'],
        summary: "A unit's scorecard (as GET /api/units/:code/scorecard) as CSV, XLSX or PDF; a county account its own only",
        params: ExportParams,
        querystring: ScorecardExportQuery,
        response: { ...FILE, ...errorResponses(400, 401, 403, 404, 503) },
      },
      config: { roles: ['analyst', 'county'] },
    },
    async (request, reply) => {
      const unit = await requireUnit(request, request.query.unit);
      const p = await requireScorePeriod(request, request.query.period);
      const card = await buildScorecard(request.snapshot().db, unit, p);
      const report = await scorecardReport(request.snapshot(), card, request.query.lang ?? 'zh-CN');
      return sendReport(request, reply, report, request.params.format);
    },
  );
};

export default exportsRoutes;
