// GET /api/health (public: is the process up, is a warehouse loaded) and GET /api/meta (which
// snapshot is live, when it was built, the catalog version and the newest data date).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../plugins/errors.ts';
import { ALL_ROLES } from '../plugins/auth.ts';
import { HealthResponse, MetaResponse, NoWarehouseResponse } from '../schemas/meta.ts';

const meta: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness: ok when a warehouse snapshot is being served; 503 says why not and what to run',
        response: {
          200: HealthResponse,
          503: NoWarehouseResponse,
        },
      },
      config: { roles: 'public' },
    },
    async (_request, reply) => {
      const current = app.warehouse.current;
      reply.header('cache-control', 'no-store');
      if (!current) {
        const refused = app.warehouse.refused;
        return reply.code(503).send(refused
          ? { status: 'warehouse_outdated', snapshot: null, message: refused }
          : { status: 'no_warehouse', snapshot: null, message: 'the warehouse has not been built yet: run `npm run etl -- load`' });
      }
      return { status: 'ok' as const, snapshot: current.id };
    },
  );

  app.get(
    '/api/meta',
    {
      schema: {
        tags: ['meta'],
        summary: 'The live warehouse snapshot: id, build time, catalog version, newest data date',
        response: {
          200: MetaResponse,
          ...errorResponses(401, 403),
        },
      },
      config: { roles: ALL_ROLES, cache: true },
    },
    async (request) => {
      const s = request.snapshot();
      return { snapshot: { id: s.id, opened_at: s.openedAt, ...s.info } };
    },
  );
};

export default meta;
