// GET /api/catalog: the indicator catalog (47 county + 88 reform indicators) that scored the live
// snapshot, with its version, dimensions and per-year targets.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { catalogDimensions, catalogIndicators } from '../queries/catalog.ts';
import { CatalogResponse } from '../schemas/catalog.ts';

const catalog: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/catalog',
    {
      schema: {
        tags: ['indicators'],
        summary: 'The indicator catalog that scored the live snapshot: version, dimensions, indicators and targets',
        response: { 200: CatalogResponse, ...errorResponses(401, 403) },
      },
      config: { roles: ['leader', 'analyst', 'county', 'display'], cache: true },
    },
    async (request) => {
      const { db } = request.snapshot();
      const [{ version, indicators }, dimensions] = await Promise.all([catalogIndicators(db), catalogDimensions(db)]);
      return { version, dimensions, indicators };
    },
  );
};

export default catalog;
