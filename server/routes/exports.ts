// GET /api/exports/<report>.<format>: the cockpit's tables as files, with the same filters as their JSON
// endpoints. One route per report, so each has its own access rule and the set of report names is the
// router's (an unknown name, or anything like a path, is a 404 before any code runs). Every export is
// audited (who, which report, which filters) and never cached.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../appdb/audit.ts';
import { toCsv } from '../exports/csv.ts';
import { toHtml } from '../exports/html.ts';
import { insuranceReport, mediationReport, rankingsReport, scorecardReport } from '../exports/reports.ts';
import type { Report } from '../exports/report.ts';
import { toXlsx } from '../exports/xlsx.ts';
import { errorResponses } from '../plugins/errors.ts';
import { newestClaimsYear } from '../queries/insurance.ts';
import {
  ExportParams,
  InsuranceExportQuery,
  MediationExportQuery,
  RankingsExportQuery,
  ScorecardExportQuery,
  type ExportFormat,
} from '../schemas/exports.ts';
import { rankingsBody } from '../services/rankings.ts';
import { buildScorecard } from '../services/scorecard.ts';
import { monthKey, monthRange, requireRankedCity, requireScorePeriod, requireUnit } from './params.ts';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Render the report in the format, record the export, and send it as a download. */
export async function sendReport(request: FastifyRequest, reply: FastifyReply, report: Report, format: ExportFormat) {
  let body: string | Buffer;
  if (format === 'csv') body = toCsv(report);
  else if (format === 'xlsx') body = await toXlsx(report);
  else {
    const generatedAt = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    body = await request.server.pdf.render(toHtml(report, generatedAt), { landscape: report.landscape });
  }
  const p = request.principal!;
  const { lang: _, ...filters } = request.query as Record<string, unknown>;
  audit(request.server.appDb, {
    actor: p.username,
    action: 'export',
    target: `${report.filename}.${format}`,
    detail: { route: request.routeOptions.url, format, filters, rows: report.rows.length },
    ip: request.ip,
  });
  return reply
    .header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="${report.filename}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

const FILE = { 200: { description: 'the file (CSV, XLSX or PDF)', type: 'string', format: 'binary' } } as const;

const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      const report = await mediationReport(request.snapshot(), { unit, from, to, fromKey: monthKey(from), toKey: monthKey(to), by }, q.lang ?? 'zh-CN');
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
      const report = await rankingsReport(request.snapshot(), data, data.city_name, lang ?? 'zh-CN');
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
