// The indicator engine's tables (sql/indicators/README.md), read for the API: scoring periods,
// rankings, the map, a unit's scorecard (scores, projection, explanation, path up, data quality),
// alerts and briefing facts. Composites come as the engine publishes them (two decimals, the value
// ranks compare), points with two decimals, scores with one, attainment as a percent with one
// decimal; ranks are the engine's, never recomputed here.
import { sql } from 'kysely';
import type { IndicatorSet } from '../../core/catalog-vocabulary.ts';
import { levelOfSet } from '../../core/set-level.ts';
import type { UnitRef } from '../schemas/common.ts';
import type { DimensionScore, RankingRow } from '../schemas/scores.ts';
import { monthKey } from './months.ts';
import { unitNameEn } from './units.ts';
import type { WarehouseDb } from './warehouse.ts';

export type { IndicatorSet };

export interface ScorePeriod {
  period: string;
  period_kind: 'year' | 'quarter';
  year: number;
  period_start: string;
  period_end: string;
  previous_period: string | null;
  /** the last complete year ('2025'), whose final result can be shown beside a year to date */
  final_period: string | null;
  /** what the period is: the running year to date, the last complete year's final result, an earlier full year, or a quarter's end */
  period_scope: 'year_to_date' | 'final' | 'year' | 'quarter';
  end_month_key: number;
}

const round = (expr: string, digits: number) => sql<number>`round(${sql.ref(expr)}, ${sql.lit(digits)})::DOUBLE`;
const roundOrNull = (expr: string, digits: number) => sql<number | null>`round(${sql.ref(expr)}, ${sql.lit(digits)})::DOUBLE`;

/**
 * The scoring period a parameter names: '2025' or '2025-Q2' as is; a month ('2025-07') as the latest
 * period ended by the end of that month (a year over its fourth quarter); 'final': the last complete
 * year; nothing: the current year to date. Undefined when there is no such period (before the first
 * scored quarter, not scored, or no complete year yet).
 */
export async function resolveScorePeriod(db: WarehouseDb, requested: string | undefined): Promise<ScorePeriod | undefined> {
  let q = db
    .selectFrom('score_period')
    .select([
      'period',
      'period_kind',
      'year',
      sql<string>`strftime(start_date, '%Y-%m-%d')`.as('period_start'),
      sql<string>`strftime(end_date, '%Y-%m-%d')`.as('period_end'),
      'prev_period as previous_period',
      sql<string | null>`(SELECT max(f.period) FROM score_period f WHERE f.period_kind = 'year' AND f.is_year_end)`.as('final_period'),
      sql<ScorePeriod['period_scope']>`CASE WHEN period_kind = 'quarter' THEN 'quarter' WHEN NOT is_year_end THEN 'year_to_date'
        WHEN period = (SELECT max(f.period) FROM score_period f WHERE f.period_kind = 'year' AND f.is_year_end) THEN 'final' ELSE 'year' END`.as('period_scope'),
      'end_month_key',
    ]);
  if (requested === undefined) q = q.where('is_latest', '=', true).where('period_kind', '=', 'year');
  else if (requested === 'final') q = q.where('period_kind', '=', 'year').where('is_year_end', '=', true).orderBy('period', 'desc').limit(1);
  else if (/^\d{4}-\d{2}$/.test(requested)) {
    q = q.where('end_month_key', '<=', monthKey(requested)).orderBy('end_month_key', 'desc').orderBy(sql`period_kind = 'year'`, 'desc').limit(1);
  } else q = q.where('period', '=', requested);
  return q.executeTakeFirst();
}

/** The dimensions of each unit as [{dimension, ...}], keyed by unit code. */
async function dimensionsOf(db: WarehouseDb, set: IndicatorSet, period: string, codes?: string[]): Promise<Map<string, DimensionScore[]>> {
  const rows = await db
    .selectFrom('unit_dimension_score')
    .where('indicator_set', '=', set)
    .where('period', '=', period)
    .$if(codes !== undefined, (qb) => qb.where('unit_code', 'in', codes!.length ? codes! : ['']))
    .select([
      'unit_code',
      'dimension',
      'dimension_en',
      'dimension_order as order',
      round('points', 2).as('points'),
      round('weight_effective', 2).as('max'),
      roundOrNull('score', 1).as('score'),
    ])
    .orderBy('unit_code')
    .orderBy('dimension_order')
    .execute();
  const out = new Map<string, DimensionScore[]>();
  for (const { unit_code, ...d } of rows) {
    const list = out.get(unit_code) ?? [];
    list.push(d);
    out.set(unit_code, list);
  }
  return out;
}

/** Ranked units of the set in the period (counties of one city when `city` is given), by rank. */
export async function rankings(db: WarehouseDb, set: IndicatorSet, period: string, city?: string): Promise<RankingRow[]> {
  const [rows, dims] = await Promise.all([
    db
      .selectFrom('unit_rank as r')
      .innerJoin('unit_score as s', (j) =>
        j.onRef('s.unit_code', '=', 'r.unit_code').onRef('s.period', '=', 'r.period').onRef('s.indicator_set', '=', 'r.indicator_set'),
      )
      .innerJoin('dim_unit as u', 'u.unit_code', 'r.unit_code')
      .where('r.indicator_set', '=', set)
      .where('r.period', '=', period)
      .$if(city !== undefined, (qb) => qb.where('r.city_code', '=', city!))
      .select([
        'u.unit_code as code',
        'u.unit_name as name',
        'u.unit_name_en as name_en',
        'u.short_name',
        'u.level',
        'u.city_code',
        'r.composite',
        'r.rank_province as rank',
        'r.units_in_province as rank_of',
        'r.rank_in_city as rank_city',
        'r.units_in_city as rank_city_of',
        'r.composite_prev as previous_composite',
        'r.rank_province_prev as previous_rank',
        'r.rank_in_city_prev as previous_rank_city',
        'r.rank_province_change as rank_change',
        'r.rank_in_city_change as rank_city_change',
        's.indicators_met',
        's.indicators_total',
        's.indicators_scored',
      ])
      .orderBy('r.rank_province')
      .orderBy('r.unit_code')
      .execute(),
    dimensionsOf(db, set, period),
  ]);
  return rows.map(({ code, name, name_en, short_name, level, city_code, ...r }) => ({
    unit: { code, name, name_en, short_name, level, city_code },
    ...r,
    dimensions: dims.get(code) ?? [],
  }));
}

/** A unit's composite in the set and period (the province's for reform88), or undefined. */
export async function unitScore(db: WarehouseDb, code: string, set: IndicatorSet, period: string) {
  return db
    .selectFrom('unit_score')
    .where('unit_code', '=', code)
    .where('indicator_set', '=', set)
    .where('period', '=', period)
    .select([
      'composite',
      'points_lost',
      'indicators_total',
      'indicators_scored',
      'indicators_met',
      'indicators_not_met',
      'indicators_missing',
      'indicators_not_due',
      'indicators_not_applicable',
      'catalog_version',
    ])
    .executeTakeFirst();
}

export interface IndicatorInfo {
  code: string;
  set: IndicatorSet;
  name_zh: string;
  name_en: string;
  unit: 'count' | 'percent' | 'yuan' | 'days' | 'boolean' | 'ratio';
  direction: 'higher_better' | 'lower_better' | 'target_band';
}

export async function indicatorInfo(db: WarehouseDb, code: string): Promise<IndicatorInfo | undefined> {
  return db
    .selectFrom('dim_indicator')
    .where('code', '=', code)
    .select(['code', 'indicator_set as set', 'name_zh', 'name_en', 'unit', 'direction'])
    .executeTakeFirst();
}

export interface MapValue {
  code: string;
  name: string;
  short_name: string;
  city_code: string | null;
  value: number | null;
  rank: number | null;
  status: string | null;
}

/** Every county (county47) or city (reform88): the composite and its rank, or one indicator's value and status. */
export async function mapValues(db: WarehouseDb, set: IndicatorSet, period: string, indicator?: string): Promise<MapValue[]> {
  const level = levelOfSet[set];
  return db
    .selectFrom('dim_unit as u')
    .leftJoin('unit_rank as r', (j) => j.onRef('r.unit_code', '=', 'u.unit_code').on('r.indicator_set', '=', set).on('r.period', '=', period))
    .$if(indicator !== undefined, (qb) =>
      qb.leftJoin('indicator_score as i', (j) =>
        j.onRef('i.unit_code', '=', 'u.unit_code').on('i.period', '=', period).on('i.indicator_code', '=', indicator!),
      ),
    )
    .where('u.level', '=', level)
    .select([
      'u.unit_code as code',
      'u.unit_name as name',
      'u.short_name',
      'u.city_code',
      indicator === undefined ? sql<number | null>`r.composite`.as('value') : sql<number | null>`round(i.value, 2)::DOUBLE`.as('value'),
      'r.rank_province as rank',
      indicator === undefined ? sql<string | null>`NULL::VARCHAR`.as('status') : sql<string | null>`i.status`.as('status'),
    ])
    .orderBy('u.unit_code')
    .execute();
}

/** Composite and rank over the periods of the same kind up to `period`. */
export async function scoreTrend(db: WarehouseDb, code: string, set: IndicatorSet, p: ScorePeriod) {
  return db
    .selectFrom('unit_score as s')
    .innerJoin('score_period as sp', 'sp.period', 's.period')
    .leftJoin('unit_rank as r', (j) =>
      j.onRef('r.unit_code', '=', 's.unit_code').onRef('r.period', '=', 's.period').onRef('r.indicator_set', '=', 's.indicator_set'),
    )
    .where('s.unit_code', '=', code)
    .where('s.indicator_set', '=', set)
    .where('sp.period_kind', '=', p.period_kind)
    .where('sp.end_month_key', '<=', p.end_month_key)
    .select(['s.period', 's.composite', 'r.rank_province as rank'])
    .orderBy('sp.end_month_key')
    .execute();
}

export async function unitRank(db: WarehouseDb, code: string, set: IndicatorSet, period: string) {
  return db
    .selectFrom('unit_rank')
    .where('unit_code', '=', code)
    .where('indicator_set', '=', set)
    .where('period', '=', period)
    .select([
      'rank_province as province',
      'units_in_province as province_of',
      'rank_in_city as city',
      'units_in_city as city_of',
      'rank_province_prev as previous_province',
      'rank_in_city_prev as previous_city',
      'rank_province_change as change_province',
      'rank_in_city_change as change_city',
      'composite_prev as previous_composite',
    ])
    .executeTakeFirst();
}

/** The unit's dimensions with the average score of its city's counties and of every unit of its level. */
export async function dimensionsWithAverages(db: WarehouseDb, unit: UnitRef, set: IndicatorSet, period: string) {
  const averages = db
    .selectFrom('unit_dimension_score as d')
    .leftJoin('dim_county as c', 'c.county_code', 'd.unit_code')
    .where('d.indicator_set', '=', set)
    .where('d.period', '=', period)
    .where('d.unit_level', '=', unit.level)
    .groupBy('d.dimension_order')
    .select([
      'd.dimension_order',
      sql<number | null>`round(avg(d.score), 1)::DOUBLE`.as('province_avg'),
      (unit.level === 'county'
        ? sql<number | null>`round(avg(d.score) FILTER (WHERE c.city_code = ${unit.city_code}), 1)::DOUBLE`
        : sql<number | null>`NULL::DOUBLE`
      ).as('city_avg'),
    ]);
  return db
    .selectFrom('unit_dimension_score as d')
    .innerJoin(averages.as('a'), 'a.dimension_order', 'd.dimension_order')
    .where('d.unit_code', '=', unit.code)
    .where('d.indicator_set', '=', set)
    .where('d.period', '=', period)
    .select([
      'd.dimension',
      'd.dimension_en',
      'd.dimension_order as order',
      round('d.points', 2).as('points'),
      round('d.weight_effective', 2).as('max'),
      roundOrNull('d.score', 1).as('score'),
      'a.city_avg',
      'a.province_avg',
    ])
    .orderBy('d.dimension_order')
    .execute();
}

export interface ScoredIndicator {
  code: string;
  name_zh: string;
  name_en: string;
  dimension: string;
  dimension_en: string;
  unit: IndicatorInfo['unit'];
  direction: IndicatorInfo['direction'];
  native_period: 'annual' | 'quarterly' | 'monthly';
  value: number | null;
  baseline: number | null;
  target: number | null;
  target_low: number | null;
  target_high: number | null;
  target_text: string;
  attainment: number | null;
  weight: number;
  weight_effective: number | null;
  points: number | null;
  points_lost: number | null;
  /** how far a not-met value is short of its target, in the indicator's unit (the engine's indicator_gap) */
  gap: number | null;
  status: 'met' | 'not_met' | 'missing' | 'not_due' | 'not_applicable';
  status_reason: string | null;
  reports_due: number | null;
  reports_missing: number | null;
  projection_method: string | null;
  projected_value: number | null;
  annual_target: number | null;
  will_meet: boolean | null;
  projected_attainment: number | null;
  monthly_pace: number | null;
  monthly_pace_needed: number | null;
}

/** Every indicator of the unit's set in the period, in catalog order, with its projection. */
export async function scoredIndicators(db: WarehouseDb, code: string, period: string): Promise<ScoredIndicator[]> {
  return db
    .selectFrom('indicator_score as s')
    .innerJoin('dim_indicator as d', 'd.code', 's.indicator_code')
    .leftJoin('indicator_projection as p', (j) =>
      j.onRef('p.unit_code', '=', 's.unit_code').onRef('p.period', '=', 's.period').onRef('p.indicator_code', '=', 's.indicator_code'),
    )
    .where('s.unit_code', '=', code)
    .where('s.period', '=', period)
    .select([
      'd.code',
      'd.name_zh',
      'd.name_en',
      'd.dimension',
      'd.dimension_en',
      'd.unit',
      'd.direction',
      'd.period as native_period',
      roundOrNull('s.value', 2).as('value'),
      roundOrNull('s.baseline', 2).as('baseline'),
      roundOrNull('s.target', 2).as('target'),
      roundOrNull('s.target_low', 2).as('target_low'),
      roundOrNull('s.target_high', 2).as('target_high'),
      's.target_rule as target_text',
      sql<number | null>`round(100 * s.attainment, 1)::DOUBLE`.as('attainment'),
      's.weight',
      roundOrNull('s.weight_effective', 2).as('weight_effective'),
      roundOrNull('s.points', 2).as('points'),
      roundOrNull('s.points_lost', 2).as('points_lost'),
      roundOrNull('s.gap', 2).as('gap'),
      's.status',
      's.status_reason',
      's.reports_due',
      's.reports_missing',
      'p.projection_method',
      roundOrNull('p.projected_value', 2).as('projected_value'),
      roundOrNull('p.annual_target', 2).as('annual_target'),
      'p.will_meet',
      sql<number | null>`round(100 * p.projected_attainment, 1)::DOUBLE`.as('projected_attainment'),
      roundOrNull('p.monthly_pace', 2).as('monthly_pace'),
      roundOrNull('p.monthly_pace_needed', 2).as('monthly_pace_needed'),
    ])
    .orderBy('d.sort_order')
    .execute();
}

export async function explanation(db: WarehouseDb, code: string, period: string) {
  return db
    .selectFrom('indicator_explain as e')
    .innerJoin('dim_indicator as d', 'd.code', 'e.indicator_code')
    .where('e.unit_code', '=', code)
    .where('e.period', '=', period)
    .select([
      'e.kind',
      'd.code',
      'd.name_zh',
      'd.name_en',
      'e.status',
      roundOrNull('e.value', 2).as('value'),
      roundOrNull('e.target', 2).as('target'),
      roundOrNull('e.gap', 2).as('gap'),
      roundOrNull('e.gap_pct', 1).as('gap_pct'),
      roundOrNull('e.points', 2).as('points'),
      roundOrNull('e.points_lost', 2).as('points_lost'),
      roundOrNull('e.peer_avg_value', 2).as('peer_avg_value'),
      roundOrNull('e.advantage', 2).as('advantage'),
    ])
    .orderBy('e.kind')
    .orderBy('e.ordinal')
    .execute();
}

export async function pathUp(db: WarehouseDb, code: string, period: string) {
  return db
    .selectFrom('path_up as p')
    .innerJoin('dim_indicator as d', 'd.code', 'p.indicator_code')
    .where('p.unit_code', '=', code)
    .where('p.period', '=', period)
    .select([
      'd.code',
      'd.name_zh',
      'd.name_en',
      'p.status',
      roundOrNull('p.value', 2).as('value'),
      roundOrNull('p.target', 2).as('target'),
      round('p.points_gain', 2).as('points_gained'),
      'p.composite_if_met',
      'p.rank_province_if_met as rank_if_met',
      'p.places_gained',
      'p.rank_in_city_if_met as rank_city_if_met',
      'p.places_gained_in_city',
    ])
    .orderBy('p.ordinal')
    .execute();
}

export async function dataQuality(db: WarehouseDb, code: string) {
  return db
    .selectFrom('unit_data_quality')
    .where('unit_code', '=', code)
    .select([
      sql<string | null>`strftime(as_of_date, '%Y-%m-%d')`.as('as_of'),
      'reports_expected',
      'reports_received',
      'reports_on_time',
      'reports_late',
      'reports_central',
      'reports_corrected',
      'reports_missing',
      'missing_reports',
      'newest_data_month',
      'months_behind',
      'rows_rejected_recent',
    ])
    .executeTakeFirst();
}

export interface AlertRow {
  unit_code: string;
  unit_name: string;
  unit_name_en: string;
  short_name: string;
  level: 'province' | 'city' | 'county';
  city_code: string | null;
  indicator_code: string;
  indicator_name_zh: string;
  indicator_name_en: string;
  indicator_unit: IndicatorInfo['unit'];
  direction: IndicatorInfo['direction'];
  kind: 'behind_pace' | 'sharp_drop';
  severity: number;
  /** indicator_alert.level: high / medium / low, decided by the engine */
  alert_level: 'high' | 'medium' | 'low';
  is_new: boolean;
  value: number | null;
  reference_value: number | null;
  projected_value: number | null;
  monthly_pace: number | null;
  monthly_pace_needed: number | null;
  native_period: string | null;
  reference_period: string | null;
  change_pct: number | null;
  threshold_pct: number | null;
}

export interface AlertFilter {
  period: ScorePeriod;
  level?: 'county' | 'city' | 'province';
  /** this unit; for a city the city and its counties unless `exact` */
  unit?: UnitRef;
  exact?: boolean;
  kind?: 'behind_pace' | 'sharp_drop';
  /** the alert's level (indicator_alert.level) */
  alertLevel?: 'high' | 'medium' | 'low';
}

function alertsQuery(db: WarehouseDb, f: AlertFilter) {
  return db
    .selectFrom('indicator_alert as a')
    .innerJoin('dim_unit as u', 'u.unit_code', 'a.unit_code')
    .innerJoin('dim_indicator as d', 'd.code', 'a.indicator_code')
    .leftJoin('indicator_alert as b', (j) =>
      j
        .onRef('b.unit_code', '=', 'a.unit_code')
        .onRef('b.indicator_code', '=', 'a.indicator_code')
        .onRef('b.alert_kind', '=', 'a.alert_kind')
        .on('b.period', '=', f.period.previous_period ?? ''),
    )
    .where('a.period', '=', f.period.period)
    .$if(f.level !== undefined, (qb) => qb.where('a.unit_level', '=', f.level!))
    .$if(f.kind !== undefined, (qb) => qb.where('a.alert_kind', '=', f.kind!))
    .$if(f.alertLevel !== undefined, (qb) => qb.where('a.level', '=', f.alertLevel!))
    .$if(f.unit !== undefined && (f.exact === true || f.unit.level !== 'province'), (qb) =>
      f.unit!.level === 'city' && !f.exact ? qb.where('a.city_code', '=', f.unit!.code) : qb.where('a.unit_code', '=', f.unit!.code),
    );
}

export async function alerts(db: WarehouseDb, f: AlertFilter, limit: number): Promise<{ rows: AlertRow[]; total: number; high: number; medium: number; new: number }> {
  const [rows, counts] = await Promise.all([
    alertsQuery(db, f)
      .select([
        'a.unit_code',
        'u.unit_name',
        unitNameEn.as('unit_name_en'),
        'u.short_name',
        'u.level',
        'u.city_code',
        'a.indicator_code',
        'd.name_zh as indicator_name_zh',
        'd.name_en as indicator_name_en',
        'd.unit as indicator_unit',
        'd.direction',
        'a.alert_kind as kind',
        round('a.severity', 2).as('severity'),
        'a.level as alert_level',
        sql<boolean>`b.unit_code IS NULL`.as('is_new'),
        roundOrNull('a.value', 2).as('value'),
        roundOrNull('a.reference_value', 2).as('reference_value'),
        roundOrNull('a.projected_value', 2).as('projected_value'),
        roundOrNull('a.monthly_pace', 2).as('monthly_pace'),
        roundOrNull('a.monthly_pace_needed', 2).as('monthly_pace_needed'),
        'a.native_period',
        'a.reference_period',
        roundOrNull('a.change_pct', 1).as('change_pct'),
        'a.threshold_pct',
      ])
      .orderBy('a.severity', 'desc')
      .orderBy('a.unit_code')
      .orderBy('a.indicator_code')
      .orderBy('a.alert_kind')
      .limit(limit)
      .execute(),
    alertsQuery(db, f)
      .select([
        sql<number>`count(*)::INTEGER`.as('total'),
        sql<number>`(count(*) FILTER (WHERE a.level = 'high'))::INTEGER`.as('high'),
        sql<number>`(count(*) FILTER (WHERE a.level = 'medium'))::INTEGER`.as('medium'),
        sql<number>`(count(*) FILTER (WHERE b.unit_code IS NULL))::INTEGER`.as('new'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, ...counts };
}

export interface BriefingFactRow {
  fact_kind: 'rank_up' | 'rank_down' | 'alert_new' | 'alert_cleared' | 'record' | 'province_score' | 'county_average' | 'headline';
  unit_level: 'province' | 'city' | 'county';
  ordinal: number;
  unit_code: string;
  unit_name: string;
  unit_name_en: string;
  indicator_code: string | null;
  indicator_name_zh: string | null;
  indicator_name_en: string | null;
  indicator_unit: IndicatorInfo['unit'] | null;
  metric: string | null;
  alert_kind: string | null;
  native_period: string | null;
  value: number | null;
  previous_value: number | null;
  change: number | null;
  rank: number | null;
  rank_prev: number | null;
}

export async function briefingFacts(db: WarehouseDb, period: string): Promise<BriefingFactRow[]> {
  return db
    .selectFrom('briefing_fact as f')
    .innerJoin('dim_unit as u', 'u.unit_code', 'f.unit_code')
    .leftJoin('dim_indicator as d', 'd.code', 'f.indicator_code')
    .where('f.period', '=', period)
    .select([
      'f.fact_kind',
      'f.unit_level',
      'f.ordinal',
      'f.unit_code',
      'u.unit_name',
      unitNameEn.as('unit_name_en'),
      'f.indicator_code',
      'd.name_zh as indicator_name_zh',
      'd.name_en as indicator_name_en',
      'd.unit as indicator_unit',
      'f.metric',
      'f.alert_kind',
      'f.native_period',
      roundOrNull('f.value', 2).as('value'),
      roundOrNull('f.previous_value', 2).as('previous_value'),
      roundOrNull('f.change', 2).as('change'),
      'f.rank',
      'f.rank_prev',
    ])
    .orderBy('f.fact_kind')
    .orderBy('f.unit_level')
    .orderBy('f.ordinal')
    .execute();
}

/** For each stream metric: the name, unit and direction of the first catalog indicator computing it. */
export async function metricLabels(db: WarehouseDb) {
  return db
    .selectFrom('dim_indicator')
    .where('metric', 'is not', null)
    .groupBy('metric')
    .select([
      sql<string>`metric`.as('metric'),
      sql<string>`arg_min(name_zh, sort_order + (indicator_set = 'reform88')::INTEGER * 1000)`.as('name_zh'),
      sql<string>`arg_min(name_en, sort_order + (indicator_set = 'reform88')::INTEGER * 1000)`.as('name_en'),
      sql<IndicatorInfo['unit']>`arg_min(unit, sort_order)`.as('unit'),
      sql<IndicatorInfo['direction']>`arg_min(direction, sort_order)`.as('direction'),
    ])
    .execute();
}

/**
 * Alerts raised and cleared against the previous period, by level and in all (unit_level null: the
 * rollup's total row), from the briefing facts.
 */
export async function alertChanges(db: WarehouseDb, period: string) {
  return db
    .selectFrom('briefing_fact')
    .where('period', '=', period)
    .where('fact_kind', 'in', ['alert_new', 'alert_cleared'])
    .groupBy(sql`fact_kind, ROLLUP (unit_level)`)
    .select(['fact_kind', sql<string | null>`unit_level`.as('unit_level'), sql<number>`count(*)::INTEGER`.as('n')])
    .execute();
}
