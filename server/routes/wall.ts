// GET /api/wall: the wall display's data in one answer (services/wall.ts), cached and revalidated
// with one ETag like every snapshot answer. For whoever reads the wall: leaders, analysts and display
// tokens; a county union may not (the map, the alerts and the briefing name every county).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badParameter, errorResponses } from '../plugins/errors.ts';
import { Alert } from '../schemas/scores.ts';
import { WallQuery, WallResponse } from '../schemas/wall.ts';
import { wallBundle } from '../services/wall.ts';
import { requireUnit } from './params.ts';

const wall: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Alert);
  app.get(
    '/api/wall',
    {
      schema: {
        tags: ['wall'],
        summary: "Everything the wall draws from the snapshot: the province's tiles, mediation trend, members, rankings, maps, alerts and briefing, with each panel's as-of month",
        querystring: WallQuery,
        response: { 200: WallResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'display'], cache: true },
    },
    async (request) => {
      const s = request.snapshot();
      const province = await requireUnit(request, '450000');
      const page = request.query.unit ? await requireUnit(request, request.query.unit) : province;
      if (page.level === 'county') throw badParameter('unit', `${page.code} is a county: a wall page shows the province or a city`);
      return wallBundle(s.db, { id: s.id, opened_at: s.openedAt, ...s.info }, province, page, request.query.score ?? 'ytd');
    },
  );
};

export default wall;
