// GET /api/units: the province, its cities and their counties, for pickers and maps.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { findUnit, unitTree } from '../queries/units.ts';
import { ALL_ROLES } from '../plugins/auth.ts';
import { UnitsResponse } from '../schemas/units.ts';

const units: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/units',
    {
      schema: {
        tags: ['units'],
        summary: 'The province, its 14 cities and their counties',
        response: {
          200: UnitsResponse,
          ...errorResponses(401, 403),
        },
      },
      config: { roles: ALL_ROLES, cache: true },
    },
    async (request) => {
      const { db } = request.snapshot();
      const [province, cities] = await Promise.all([findUnit(db, '450000'), unitTree(db)]);
      return { province: { code: '450000', name: province!.name, short_name: province!.short_name, name_en: province!.name_en }, cities };
    },
  );
};

export default units;
