// GET /api/wall: the wall display's data in one answer (services/wall.ts), cached and revalidated
// with one ETag like every snapshot answer. For whoever reads the wall: leaders, analysts and display
// tokens; a county union may not (the map, the alerts and the briefing name every county). Beside it,
// GET /api/wall/county-map: the bundle's county map drawn on the server, a screen's first paint of it;
// GET /api/wall/charts: its mediation trend and member growth charts drawn likewise, at the screen's sizes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { badParameter, errorResponses } from '../plugins/errors.ts';
import { Alert } from '../schemas/scores.ts';
import { WallChartsQuery, WallChartsSvgResponse, WallMapSvgResponse, WallQuery, WallResponse } from '../schemas/wall.ts';
import { snapshotWallBundle } from '../services/wall.ts';
import { wallChartsSvg, type ChartBox } from '../services/wall-charts-svg.ts';
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
      const { province, page } = await wallPage(request, request.query.unit);
      return snapshotWallBundle(request.snapshot(), province, page, request.query.score ?? 'ytd');
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

  // The trend and growth charts, drawn: a wall's first paint of them, asked for once its panels are
  // laid out (their sizes are in the URL, so the answer is still a pure function of snapshot and URL,
  // cached per screen size). Drawn from the bundle GET /api/wall serves for the page: the same one,
  // computed once per snapshot (services/wall.ts snapshotWallBundle).
  app.get(
    '/api/wall/charts',
    {
      schema: {
        tags: ['wall'],
        summary: "The wall's mediation trend and member growth charts drawn on the server as SVG at the screen's chart sizes and language (the pictures a wall screen shows until its own charts have drawn)",
        querystring: WallChartsQuery,
        response: { 200: WallChartsSvgResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'display'], cache: true },
    },
    async (request) => {
      const s = request.snapshot();
      const q = request.query;
      const { province, page } = await wallPage(request, q.unit);
      const lang = q.lang ?? 'zh-CN';
      const wall = await snapshotWallBundle(s, province, page, 'ytd');
      const charts = await wallChartsSvg(wall, { lang, scale: (q.scale_pct ?? 100) / 100, mediation_trend: box(q.mediation_trend), member_growth: box(q.member_growth) });
      return { snapshot: s.id, unit: page.code, lang, charts };
    },
  );
};

/** The province and the wall page's unit (the province, or a city of a playlist). */
async function wallPage(request: FastifyRequest, unit: string | undefined) {
  const province = await requireUnit(request, '450000');
  const page = unit ? await requireUnit(request, unit) : province;
  if (page.level === 'county') throw badParameter('unit', `${page.code} is a county: a wall page shows the province or a city`);
  return { province, page };
}

/** '480x300' (the schema has checked the form) as a box. */
const box = (size: string | undefined): ChartBox | undefined => {
  if (!size) return undefined;
  const [width, height] = size.split('x').map(Number);
  return { width, height };
};

export default wall;
