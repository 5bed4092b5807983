// The indicator engine's results: GET /api/rankings, /api/map, /api/units/:code/scorecard,
// /api/alerts and /api/briefing. The numbers are the engine's (sql/indicators); the routes pick the
// scoring period and check the filters; services/ assemble the answers (rankings, map, alerts, briefing,
// scorecard), which the wall bundle (routes/wall.ts) shares.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { levelOfSet } from '../../core/set-level.ts';
import { badParameter, echo, errorResponses, notFound } from '../plugins/errors.ts';
import { indicatorInfo } from '../queries/scores.ts';
import {
  Alert,
  AlertsQuery,
  AlertsResponse,
  BriefingQuery,
  BriefingResponse,
  MapQuery,
  MapResponse,
  RankingsQuery,
  RankingsResponse,
  ScorecardParams,
  ScorecardQuery,
  ScorecardResponse,
} from '../schemas/scores.ts';
import { alertsBody } from '../services/alerts.ts';
import { briefingBody } from '../services/briefing.ts';
import { mapBody } from '../services/map.ts';
import { rankingsBody } from '../services/rankings.ts';
import { buildScorecard } from '../services/scorecard.ts';
import { requireRankedCity, requireScorePeriod, requireUnit } from './params.ts';

const scores: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Alert);

  app.get(
    '/api/rankings',
    {
      schema: {
        tags: ['scores'],
        summary: 'Ranked counties (county47) or cities (reform88): composite, dimension scores, rank in province and city, rank change',
        querystring: RankingsQuery,
        response: { 200: RankingsResponse, ...errorResponses(400, 401, 403, 404) },
      },
      // County unions see the whole table: their place among the others is the point of it.
      config: { roles: ['leader', 'analyst', 'county', 'display'], countyScope: 'any', cache: true },
    },
    async (request) => {
      const { set, city, period } = request.query;
      const cityUnit = await requireRankedCity(request, set, city);
      return rankingsBody(request.snapshot().db, set, await requireScorePeriod(request, period), cityUnit);
    },
  );

  app.get(
    '/api/map',
    {
      schema: {
        tags: ['scores'],
        summary: 'Per county (county47) or city (reform88): the composite or one indicator, for the choropleth',
        querystring: MapQuery,
        response: { 200: MapResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'display'], cache: true },
    },
    async (request) => {
      const { db } = request.snapshot();
      const { set, indicator: code } = request.query;
      const level = levelOfSet[set];
      if (request.query.level !== undefined && request.query.level !== level) {
        throw badParameter('level', `${set} is scored for ${level === 'county' ? 'counties' : 'cities'}: level=${level} or leave it out`);
      }
      const indicator = code === undefined ? undefined : await indicatorInfo(db, code);
      if (code !== undefined && indicator?.set !== set) throw notFound(`indicator ${echo(code)} is not in ${set} (GET /api/catalog)`, 'indicator');
      return mapBody(db, set, await requireScorePeriod(request, request.query.period), indicator);
    },
  );

  app.get(
    '/api/units/:code/scorecard',
    {
      schema: {
        tags: ['scores'],
        summary: "A unit's scorecard: every indicator with value, target, attainment, points, status, projection and explanation; ranks, trend, dimensions, path up, alerts, data quality",
        params: ScorecardParams,
        querystring: ScorecardQuery,
        response: { 200: ScorecardResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'county'], cache: true },
    },
    async (request) => {
      const unit = await requireUnit(request, request.params.code, 'code');
      const p = await requireScorePeriod(request, request.query.period);
      return buildScorecard(request.snapshot().db, unit, p);
    },
  );

  app.get(
    '/api/alerts',
    {
      schema: {
        tags: ['scores'],
        summary: 'Alerts (预警): units behind the pace for their annual target, and sharp drops, most severe first',
        querystring: AlertsQuery,
        response: { 200: AlertsResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'display'], cache: true },
    },
    async (request) => {
      const q = request.query;
      const unit = q.unit === undefined ? undefined : await requireUnit(request, q.unit);
      const p = await requireScorePeriod(request, q.period);
      return alertsBody(request.snapshot().db, { period: p, level: q.level, unit, kind: q.kind }, q.limit ?? 50);
    },
  );

  app.get(
    '/api/briefing',
    {
      schema: {
        tags: ['scores'],
        summary: '本期要点: a few plain sentences (zh-CN and en) on the period: scores, alerts, rank movers, records',
        querystring: BriefingQuery,
        response: { 200: BriefingResponse, ...errorResponses(400, 401, 403, 404) },
      },
      config: { roles: ['leader', 'analyst', 'display'], cache: true },
    },
    async (request) => {
      return briefingBody(request.snapshot().db, await requireScorePeriod(request, request.query.period));
    },
  );
};

export default scores;
