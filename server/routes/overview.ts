// GET /api/overview: the headline KPI tiles of the province (or a city or county) for a month.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { overview } from '../queries/overview.ts';
import { OverviewQuery, OverviewResponse } from '../schemas/overview.ts';
import { requestMonth, requireUnit } from './params.ts';

const overviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/overview',
    {
      schema: {
        tags: ['overview'],
        summary: 'Headline KPIs of a unit for a month: value, target, previous month, same period last year',
        querystring: OverviewQuery,
        response: { 200: OverviewResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'county', 'display'], cache: true },
    },
    async (request) => {
      const unit = await requireUnit(request, request.query.unit ?? '450000');
      const period = request.query.period ?? requestMonth(request);
      return { unit, period, year: Number(period.slice(0, 4)), kpis: await overview(request.snapshot().db, unit, period) };
    },
  );
};

export default overviewRoutes;
