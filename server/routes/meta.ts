// GET /api/health (public: is the process up, is a warehouse loaded) and GET /api/meta (which
// snapshot is live, when it was built, the catalog version and the newest data date).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../plugins/errors.ts';
import { ALL_ROLES } from '../plugins/auth.ts';

const NullableString = Type.Union([Type.String(), Type.Null()]);

const meta: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness: ok when a warehouse snapshot is being served',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), snapshot: Type.String() }),
          503: Type.Object({ status: Type.Literal('no_warehouse'), snapshot: Type.Null() }),
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
          200: Type.Object({
            snapshot: Type.Object({
              id: Type.String({ description: 'changes with every published snapshot; part of every ETag' }),
              opened_at: Type.String({ description: 'when this server started serving it (ISO 8601, UTC)' }),
              built_at: { ...NullableString, description: 'when the ETL built it (warehouse local time)' },
              catalog_version: { ...NullableString, description: 'indicator catalog version it was scored with' },
              newest_data: { ...NullableString, description: 'the newest date in any fact, YYYY-MM-DD' },
            }),
          }),
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
