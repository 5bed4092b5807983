// The reporting calendar and the status matrix (counties x streams for a month).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { unitTree } from '../queries/units.ts';
import { reportingStatus } from '../reporting/status.ts';
import { CalendarResponse, StatusQuery, StatusResponse } from '../schemas/reporting.ts';

const reporting: FastifyPluginAsyncTypebox = async (app) => {
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
      const counties = (await unitTree(request.snapshot().db)).flatMap((c) => c.counties.map((x) => ({ code: x.code, name: x.name })));
      const shown = p.role === 'county' ? counties.filter((c) => c.code === p.county_code) : counties;
      return reportingStatus(app.appDb, app.reporting.calendar, request.query.period, shown);
    },
  );
};

export default reporting;
