// GET /api/mediation/success-rate: the mediation success rate of a unit over a month range, and
// optionally its series by month, city or county.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../plugins/errors.ts';
import {
  mediationSuccessRate,
  mediationSuccessRateByCity,
  mediationSuccessRateByCounty,
  mediationSuccessRateByMonth,
} from '../queries/mediation.ts';
import { Month, Percent, UnitCode, UnitRef } from '../schemas/common.ts';
import { monthKey, monthRange, requireUnit } from './params.ts';

const SuccessRateFields = {
  success: Type.Integer({ description: 'cases closed with outcome success' }),
  failed: Type.Integer({ description: 'cases closed with outcome failed' }),
  rate: Percent,
};

const byQuery = { month: mediationSuccessRateByMonth, city: mediationSuccessRateByCity, county: mediationSuccessRateByCounty };

const mediation: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/mediation/success-rate',
    {
      schema: {
        tags: ['mediation'],
        summary: 'Mediation success rate: success / (success + failed) of cases closed in the months',
        querystring: Type.Object({
          unit: UnitCode,
          from: Type.Optional(Month('the first month; default: January of `to`')),
          to: Type.Optional(Month('the last month; default: the month of the newest data')),
          by: Type.Optional(Type.Enum(['month', 'city', 'county'], { description: 'add a series by month, city or county' })),
        }),
        response: {
          200: Type.Object({
            unit: UnitRef,
            from: Type.String(),
            to: Type.String(),
            ...SuccessRateFields,
            series: Type.Optional(
              Type.Array(
                Type.Object({
                  key: Type.String({ description: 'the month (YYYY-MM) or the unit code' }),
                  name: Type.String({ description: 'the month or the unit name' }),
                  ...SuccessRateFields,
                }),
              ),
            ),
          }),
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
