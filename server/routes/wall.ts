// GET /api/wall: the wall display's data in one answer (services/wall.ts), cached and revalidated
// with one ETag like every snapshot answer. For whoever reads the wall: leaders, analysts and display
// tokens; a county union may not (the map, the alerts and the briefing name every county). Beside it,
// GET /api/wall/county-map: the bundle's county map drawn on the server, a screen's first paint of it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badParameter, errorResponses } from '../plugins/errors.ts';
import { Alert } from '../schemas/scores.ts';
import { WallMapSvgResponse, WallQuery, WallResponse } from '../schemas/wall.ts';
import { wallBundle } from '../services/wall.ts';
import { wallCountyMapSvg } from '../services/wall-map-svg.ts';
import { requireUnit } from './params.ts';

const wall: FastifyPluginAsyncTypebox<{ webDist?: string }> = async (app, opts) => {
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

  // The county map, drawn: a wall's first paint of its map before its own ECharts has run (the
  // preload script asks for it with the bundle). Cached per snapshot like every snapshot answer.
  app.get(
    '/api/wall/county-map',
    {
      schema: {
        tags: ['wall'],
        summary: "The wall's county map of the year to date, drawn on the server as SVG (the picture a wall screen shows until its own chart has drawn)",
        response: { 200: WallMapSvgResponse, ...errorResponses(401, 403) },
      },
      config: { roles: ['leader', 'analyst', 'display'], cache: true },
    },
    async (request) => {
      const s = request.snapshot();
      return { snapshot: s.id, svg: await wallCountyMapSvg(s.db, opts.webDist) };
    },
  );
};

export default wall;
