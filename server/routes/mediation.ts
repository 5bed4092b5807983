// GET /api/mediation/success-rate: the mediation success rate of a unit over a month range, and
// optionally its series by month, city or county.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import {
  mediationSuccessRate,
  mediationSuccessRateByCity,
  mediationSuccessRateByCounty,
  mediationSuccessRateByMonth,
} from '../queries/mediation.ts';
import { SuccessRateQuery, SuccessRateResponse } from '../schemas/mediation.ts';
import { monthKey, monthRange, requireUnit } from './params.ts';

const byQuery = { month: mediationSuccessRateByMonth, city: mediationSuccessRateByCity, county: mediationSuccessRateByCounty };

const mediation: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/mediation/success-rate',
    {
      schema: {
        tags: ['mediation'],
        summary: 'Mediation success rate: success / (success + failed) of cases closed in the months',
        querystring: SuccessRateQuery,
        response: {
          200: SuccessRateResponse,
          ...errorResponses(400, 401, 403, 404),
        },
      },
      config: { roles: ['leader', 'analyst', 'county', 'display'], cache: true },
    },
    async (request) => {
      const { db } = request.snapshot();
      const unit = await requireUnit(request, request.query.unit);
      const { from, to } = monthRange(request, request.query);
      const range = { unit, from: monthKey(from), to: monthKey(to) };
      const by = request.query.by;
      const [total, series] = await Promise.all([
        mediationSuccessRate(db, range),
        by ? byQuery[by](db, range) : undefined,
      ]);
      return { unit, from, to, ...total, ...(series ? { series } : {}) };
    },
  );
};

export default mediation;
