// GET /api/mediation/success-rate: the mediation success rate of a unit over a month range, and
// optionally its series by month, city or county.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { SuccessRateQuery, SuccessRateResponse } from '../schemas/mediation.ts';
import { successRateBody } from '../services/mediation.ts';
import { monthRange, requireUnit } from './params.ts';

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
      const unit = await requireUnit(request, request.query.unit);
      const { from, to } = monthRange(request, request.query);
      return successRateBody(request.snapshot().db, unit, from, to, request.query.by);
    },
  );
};

export default mediation;
