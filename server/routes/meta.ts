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
        summary: 'Liveness: ok when a warehouse snapshot is being served',
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
      if (!current) return reply.code(503).send({ status: 'no_warehouse', snapshot: null });
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
