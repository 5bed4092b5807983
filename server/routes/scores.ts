// The indicator engine's results: GET /api/rankings, /api/map, /api/units/:code/scorecard,
// /api/alerts and /api/briefing. The numbers are the engine's (sql/indicators); the routes pick the
// scoring period, check the filters and word the explanations.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { levelOfSet, setOfLevel } from '../../core/set-level.ts';
import { badParameter, echo, errorResponses, notFound } from '../plugins/errors.ts';
import {
  alertChanges,
  alerts,
  averageComposite,
  briefingFacts,
  dataQuality,
  dimensionsWithAverages,
  explanation,
  indicatorInfo,
  mapValues,
  metricLabels,
  pathUp,
  rankings,
  scoredIndicators,
  scoreTrend,
  unitRank,
  unitScore,
  type AlertRow,
  type IndicatorSet,
  type ScorePeriod,
} from '../queries/scores.ts';
import type { UnitRef } from '../schemas/common.ts';
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
import { alertLevel, alertMessage } from '../text/alerts.ts';
import { briefingSentences } from '../text/briefing.ts';
import { dataQualityNotes, indicatorExplanation } from '../text/scorecard.ts';
import { requireScorePeriod, requireUnit } from './params.ts';

const periodFields = (p: ScorePeriod) => ({
  period: p.period,
  period_kind: p.period_kind,
  period_start: p.period_start,
  period_end: p.period_end,
  previous_period: p.previous_period,
});

export function alertBody(a: AlertRow) {
  return {
    level: alertLevel(a.severity),
    severity: a.severity,
    kind: a.kind,
    is_new: a.is_new,
    unit: { code: a.unit_code, name: a.unit_name, short_name: a.short_name, level: a.level, city_code: a.city_code },
    indicator_code: a.indicator_code,
    indicator_name_zh: a.indicator_name_zh,
    indicator_name_en: a.indicator_name_en,
    indicator_unit: a.indicator_unit,
    value: a.value,
    reference_value: a.reference_value,
    projected_value: a.projected_value,
    monthly_pace: a.monthly_pace,
    monthly_pace_needed: a.monthly_pace_needed,
    native_period: a.native_period,
    reference_period: a.reference_period,
    change_pct: a.change_pct,
    threshold_pct: a.threshold_pct,
    message_zh: alertMessage(a, 'zh-CN'),
    message_en: alertMessage(a, 'en'),
  };
}

/** Everything on a unit's scorecard for a period (also the scorecard export's source). */
export async function buildScorecard(db: Parameters<typeof unitScore>[0], unit: UnitRef, p: ScorePeriod) {
  const set = setOfLevel(unit.level);
  const [score, rank, trend, dimensions, indicators, explain, path, dq, unitAlerts] = await Promise.all([
    unitScore(db, unit.code, set, p.period),
    unit.level === 'province' ? undefined : unitRank(db, unit.code, set, p.period),
    scoreTrend(db, unit.code, set, p),
    dimensionsWithAverages(db, unit, set, p.period),
    scoredIndicators(db, unit.code, p.period),
    explanation(db, unit.code, p.period),
    pathUp(db, unit.code, p.period),
    dataQuality(db, unit.code),
    alerts(db, { period: p, unit, exact: true }, 1000),
  ]);
  const names = new Map(indicators.map((i) => [i.code, [i.name_zh, i.name_en] as [string, string]]));
  const { previous_composite, ...rankFields } = rank ?? { previous_composite: null };
  const previousComposite = previous_composite ?? trend.find((t) => t.period === p.previous_period)?.composite ?? null;
  return {
    unit,
    set,
    ...periodFields(p),
    catalog_version: score?.catalog_version ?? null,
    composite: score?.composite ?? null,
    previous_composite: previousComposite,
    indicators_scored: score?.indicators_scored ?? 0,
    indicators_met: score?.indicators_met ?? 0,
    indicators_not_met: score?.indicators_not_met ?? 0,
    indicators_missing: score?.indicators_missing ?? 0,
    indicators_not_applicable: score?.indicators_not_applicable ?? 0,
    rank: rank ? (rankFields as Exclude<typeof rankFields, Record<string, never>>) : null,
    trend,
    dimensions,
    indicators: indicators.map((i) => ({
      code: i.code,
      name_zh: i.name_zh,
      name_en: i.name_en,
      dimension: i.dimension,
      dimension_en: i.dimension_en,
      unit: i.unit,
      direction: i.direction,
      native_period: i.native_period,
      value: i.value,
      baseline: i.baseline,
      target: i.target,
      target_low: i.target_low,
      target_high: i.target_high,
      target_text: i.target_text,
      attainment: i.attainment,
      weight: i.weight,
      weight_effective: i.weight_effective,
      points: i.points,
      points_lost: i.points_lost,
      status: i.status,
      status_reason: i.status_reason,
      reports_due: i.reports_due,
      reports_missing: i.reports_missing,
      projection:
        i.projection_method === null
          ? null
          : {
              method: i.projection_method,
              value: i.projected_value,
              annual_target: i.annual_target,
              will_meet: i.will_meet,
              attainment: i.projected_attainment,
              monthly_pace: i.monthly_pace,
              monthly_pace_needed: i.monthly_pace_needed,
            },
      explanation_zh: indicatorExplanation(i, 'zh-CN'),
      explanation_en: indicatorExplanation(i, 'en'),
    })),
    explanation: {
      costs_most: explain.filter((e) => e.kind === 'costs_most').map(({ kind: _, ...e }) => e),
      beats_peers: explain.filter((e) => e.kind === 'beats_peers').map(({ kind: _, ...e }) => e),
    },
    path_up: path,
    alerts: unitAlerts.rows.map(alertBody),
    data_quality: {
      as_of: dq?.as_of ?? null,
      reports_expected: dq?.reports_expected ?? 0,
      reports_received: dq?.reports_received ?? 0,
      reports_on_time: dq?.reports_on_time ?? 0,
      reports_late: dq?.reports_late ?? 0,
      reports_central: dq?.reports_central ?? 0,
      reports_corrected: dq?.reports_corrected ?? 0,
      reports_missing: dq?.reports_missing ?? 0,
      newest_data_month: dq?.newest_data_month ?? null,
      months_behind: dq?.months_behind ?? null,
      rows_rejected_recent: dq?.rows_rejected_recent ?? 0,
      notes: dataQualityNotes(dq, names),
    },
  };
}

/** GET /api/rankings (and the rankings export): the ranked units of a set, optionally of one city. */
export async function rankingsBody(request: FastifyRequest, q: { set: IndicatorSet; period?: string; city?: string }) {
  const { db } = request.snapshot();
  const { set, city } = q;
  let cityUnit: UnitRef | null = null;
  if (city !== undefined) {
    if (set !== 'county47') throw badParameter('city', 'filters the county rankings only (set=county47)');
    cityUnit = await requireUnit(request, city, 'city');
    if (cityUnit.level !== 'city') throw badParameter('city', `${echo(city)} is not a city: use one of the 14 city codes (GET /api/units)`);
  }
  const p = await requireScorePeriod(request, q.period);
  const [rows, province] = await Promise.all([
    rankings(db, set, p.period, city),
    set === 'reform88' ? unitScore(db, '450000', set, p.period) : undefined,
  ]);
  return { set, ...periodFields(p), city: city ?? null, city_name: cityUnit?.name ?? null, province_composite: province?.composite ?? null, rows };
}

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
    async (request) => rankingsBody(request, request.query),
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
      const p = await requireScorePeriod(request, request.query.period);
      const values = await mapValues(db, set, p.period, code);
      const numbers = values.flatMap((v) => (v.value === null ? [] : [v.value]));
      return {
        set,
        ...periodFields(p),
        level,
        indicator: indicator ? { code: indicator.code, name_zh: indicator.name_zh, name_en: indicator.name_en, unit: indicator.unit, direction: indicator.direction } : null,
        min: numbers.length ? Math.min(...numbers) : null,
        max: numbers.length ? Math.max(...numbers) : null,
        values,
      };
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
      const found = await alerts(request.snapshot().db, { period: p, level: q.level, unit, kind: q.kind }, q.limit ?? 50);
      return {
        ...periodFields(p),
        total: found.total,
        counts: { high: found.high, medium: found.medium, low: found.total - found.high - found.medium, new: found.new },
        alerts: found.rows.map(alertBody),
      };
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
      const { db } = request.snapshot();
      const p = await requireScorePeriod(request, request.query.period);
      const [province, previous, countyAverage, facts, changes, metrics] = await Promise.all([
        unitScore(db, '450000', 'reform88', p.period),
        p.previous_period ? unitScore(db, '450000', 'reform88', p.previous_period) : undefined,
        averageComposite(db, 'county47', 'county', p.period),
        briefingFacts(db, p.period),
        alertChanges(db, p.period),
        metricLabels(db),
      ]);
      const sentences = briefingSentences({
        period: p.period,
        previous_period: p.previous_period,
        province: province ? { composite: province.composite, previous: previous?.composite ?? null } : null,
        county_average: countyAverage,
        facts,
        alert_changes: changes,
        metrics,
      });
      return { ...periodFields(p), sentences };
    },
  );
};

export default scores;
