// Medical mutual-aid: GET /api/insurance/members (members per plan year with growth) and
// GET /api/insurance/claims (paid claims of a year: count, amount, beneficiaries, days to pay).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { claimsByMonth, claimsTotals, membersByYear, newestClaimsYear } from '../queries/insurance.ts';
import { ClaimsQuery, ClaimsResponse, MembersQuery, MembersResponse } from '../schemas/insurance.ts';
import { requireUnit } from './params.ts';

const insurance: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/insurance/members',
    {
      schema: {
        tags: ['insurance'],
        summary: 'Mutual-aid members (distinct members enrolled) per plan year, with growth',
        querystring: MembersQuery,
        response: {
          200: MembersResponse,
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
        querystring: ClaimsQuery,
        response: {
          200: ClaimsResponse,
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
