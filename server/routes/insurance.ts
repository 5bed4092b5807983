// Medical mutual-aid: GET /api/insurance/members (members per plan year with growth) and
// GET /api/insurance/claims (paid claims of a year: count, amount, beneficiaries, days to pay).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../plugins/errors.ts';
import { claimsByMonth, claimsTotals, membersByYear, newestClaimsYear } from '../queries/insurance.ts';
import { Percent, UnitCode, UnitRef, Year } from '../schemas/common.ts';
import { requireUnit } from './params.ts';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

const insurance: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/insurance/members',
    {
      schema: {
        tags: ['insurance'],
        summary: 'Mutual-aid members (distinct members enrolled) per plan year, with growth',
        querystring: Type.Object({ unit: UnitCode }),
        response: {
          200: Type.Object({
            unit: UnitRef,
            years: Type.Array(
              Type.Object({
                year: Type.Integer(),
                members: Type.Integer({ description: 'distinct members enrolled in the plan year' }),
                growth: { ...Percent, description: 'members / previous year - 1, percent, two decimals; null for the first year' },
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
      config: { roles: ['leader', 'analyst', 'county', 'display'], cache: true },
    },
    async (request) => {
      const unit = await requireUnit(request, request.query.unit);
      return { unit, years: await membersByYear(request.snapshot().db, unit) };
    },
  );

  app.get(
    '/api/insurance/claims',
    {
      schema: {
        tags: ['insurance'],
        summary: 'Paid mutual-aid claims of a year: count, amount, beneficiaries, days to pay, by month',
        querystring: Type.Object({
          unit: UnitCode,
          year: Type.Optional(Year('default: the newest year with paid claims')),
        }),
        response: {
          200: Type.Object({
            unit: UnitRef,
            year: Type.Union([Type.Integer(), Type.Null()], { description: 'null when the warehouse has no paid claims' }),
            paid_count: Type.Integer(),
            paid_amount: Type.Number({ description: 'yuan' }),
            beneficiaries: Type.Integer({ description: 'distinct members paid' }),
            days_to_pay_mean: NullableNumber,
            days_to_pay_median: NullableNumber,
            months: Type.Array(Type.Object({ month: Type.String(), paid_count: Type.Integer(), paid_amount: Type.Number() })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
      config: { roles: ['leader', 'analyst', 'county'], cache: true },
    },
    async (request) => {
      const { db } = request.snapshot();
      const unit = await requireUnit(request, request.query.unit);
      const year = request.query.year ?? (await newestClaimsYear(db));
      if (year === undefined) {
        return { unit, year: null, paid_count: 0, paid_amount: 0, beneficiaries: 0, days_to_pay_mean: null, days_to_pay_median: null, months: [] };
      }
      const [totals, months] = await Promise.all([claimsTotals(db, unit, year), claimsByMonth(db, unit, year)]);
      return { unit, year, ...totals, months };
    },
  );
};

export default insurance;
