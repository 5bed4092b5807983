// The reporting calendar, the status matrix (counties x streams for a month), its totals for the wall
// and the 催报 list of what is overdue.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastEndedMonth } from '../../core/reporting-calendar.ts';
import { audit } from '../appdb/audit.ts';
import { toXlsx } from '../exports/xlsx.ts';
import { errorResponses } from '../plugins/errors.ts';
import { unitTree } from '../queries/units.ts';
import { overdueReport } from '../reporting/overdue.ts';
import { reportingStatus } from '../reporting/status.ts';
import { CalendarResponse, OverdueQuery, StatusQuery, StatusResponse, TotalsQuery, TotalsResponse } from '../schemas/reporting.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const reporting: FastifyPluginAsyncTypebox = async (app) => {
  const allCounties = async (request: FastifyRequest) => {
    const tree = await unitTree(request.snapshot().db);
    return {
      counties: tree.flatMap((c) => c.counties.map((x) => ({ code: x.code, name: x.name }))),
      cityOf: new Map(tree.flatMap((c) => c.counties.map((x) => [x.code, c.name] as const))),
    };
  };

  app.get(
    '/api/reporting/calendar',
    {
      schema: { tags: ['reporting'], summary: 'For each stream: its reporting period and deadline (fixtures/reference/reporting-calendar.csv)', response: { 200: CalendarResponse, ...errorResponses(401, 403) } },
      config: { roles: ['leader', 'analyst', 'county', 'reviewer'] },
    },
    async () => ({
      streams: app.reporting.calendar.map((e) => ({ stream: e.stream, period: e.period, deadline_day: e.deadlineDay, name_zh: e.nameZh, name_en: e.nameEn })),
    }),
  );

  app.get(
    '/api/reporting/status',
    {
      schema: {
        tags: ['reporting'],
        summary: "Every county's reports for a month: not_submitted, submitted, returned, approved or published, late, overdue; a county account gets its own row",
        querystring: StatusQuery,
        response: { 200: StatusResponse, ...errorResponses(400, 401, 403, 503) },
      },
      config: { roles: ['reviewer', 'leader', 'analyst', 'county'] },
    },
    async (request) => {
      const p = request.principal!;
      const { counties } = await allCounties(request);
      const shown = p.role === 'county' ? counties.filter((c) => c.code === p.county_code) : counties;
      return reportingStatus(app.appDb, app.reporting.calendar, request.query.period, shown);
    },
  );

  app.get(
    '/api/reporting/totals',
    {
      schema: {
        tags: ['reporting'],
        summary: "The province's reporting completeness for a month (counts only, no county's row): what the wall shows as 本月已报 98/111，逾期 7",
        querystring: TotalsQuery,
        response: { 200: TotalsResponse, ...errorResponses(400, 401, 403, 503) },
      },
      config: { roles: ['display', 'leader', 'analyst', 'reviewer'] },
    },
    async (request) => {
      const period = request.query.period ?? lastEndedMonth();
      const { totals } = reportingStatus(app.appDb, app.reporting.calendar, period, (await allCounties(request)).counties);
      return { period, totals };
    },
  );

  app.get(
    '/api/reporting/overdue.xlsx',
    {
      schema: {
        tags: ['reporting'],
        summary: '催报 list for a month as XLSX: every county and stream overdue (deadline passed, nothing sent) or returned and not sent again, with city, deadline and days overdue',
        querystring: OverdueQuery,
        response: { 200: { description: 'the XLSX file', type: 'string', format: 'binary' }, ...errorResponses(400, 401, 403, 503) },
      },
      config: { roles: ['reviewer', 'leader', 'analyst'] },
    },
    async (request, reply) => {
      const { period, lang = 'zh-CN' } = request.query;
      const now = new Date().toISOString();
      const { counties, cityOf } = await allCounties(request);
      const status = reportingStatus(app.appDb, app.reporting.calendar, period, counties, now);
      const report = overdueReport({ month: period, counties: status.counties, cityOf, calendar: app.reporting.calendar, lang, now });
      const body = await toXlsx(report);
      // A HEAD (Fastify answers it with this handler) downloads nothing: not an export.
      if (request.method === 'GET') audit(app.appDb, {
        actor: request.principal!.username,
        action: 'export',
        target: `${report.filename}.xlsx`,
        detail: { route: request.routeOptions.url, format: 'xlsx', filters: { period }, rows: report.rows.length },
        ip: request.ip,
      });
      return (reply as FastifyReply) // the body is a file, not the JSON the route's types expect
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${report.filename}.xlsx"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};

export default reporting;
