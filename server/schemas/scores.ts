// The indicator engine's results (sql/indicators): rankings, the map, a unit's scorecard, alerts and
// the briefing. Scores are for a scoring period: a year to date ('2026': 1 January to the newest data;
// a past year is the whole year) or a quarter's end ('2026-Q2': the year as it stood on 30 June).
import { Type, type Static } from 'typebox';
import { DirectionSchema, IndicatorSetSchema, PeriodSchema, UnitSchema } from '../../core/catalog-vocabulary.ts';
import { Nullable, UnitCode, UnitRef } from './common.ts';

const NullableNumber = Nullable(Type.Number());
const NullableInteger = Nullable(Type.Integer());
const NullableString = Nullable(Type.String());

const PERIOD_DESCRIPTION =
  "a scoring period: a year (2025; the current year is the year to date), a quarter (2025-Q2: the year as it stood at its end), a month (2025-07: the latest period ended by then) or 'final' (the last complete year's final result, 年度终评); default: the current year to date";

/** The optional period parameter of every scores endpoint. */
export const ScorePeriodParam = Type.Optional(Type.String({ pattern: '^(final|\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?)$', description: PERIOD_DESCRIPTION }));

/** The scoring period a response is for. */
const PeriodFields = {
  period: Type.String({ description: "the scoring period: '2026' or '2026-Q2'" }),
  period_kind: Type.Enum(['year', 'quarter']),
  period_start: Type.String({ description: 'YYYY-MM-DD' }),
  period_end: Type.String({ description: 'YYYY-MM-DD: the newest data for the current year' }),
  previous_period: { ...NullableString, description: 'what rank changes and new alerts compare with' },
  final_period: {
    ...NullableString,
    description: "the last complete year's final result ('2025': 年度终评), to show beside a year to date; null before the first full year",
  },
  period_scope: Type.Enum(['year_to_date', 'final', 'year', 'quarter'], {
    description: "year_to_date (the running year, 年初至今), final (the last complete year, 年度终评), year (an earlier full year) or quarter (the year as it stood at a quarter's end)",
  }),
};

/** How much of the set a composite covers: indicators_scored of indicators_total. */
const Coverage = {
  indicators_total: Type.Integer({ description: 'the indicators of the set: 47 (county47) or 88 (reform88)' }),
  indicators_scored: Type.Integer({
    description: 'the indicators the composite covers (met, not met or missing); the others are not due (未到期) or not applicable (不适用)',
  }),
};

export const ScoreSet = { ...IndicatorSetSchema, description: 'county47 (the 111 counties) or reform88 (the 14 cities and the province)' };

// ---- GET /api/rankings ----

export const RankingsQuery = Type.Object({
  set: ScoreSet,
  period: ScorePeriodParam,
  city: Type.Optional(Type.String({ pattern: '^45\\d{2}00$', description: 'a city code such as 450100: only its counties (county47 only)' })),
});
export type RankingsQuery = Static<typeof RankingsQuery>;

export const DimensionScore = Type.Object({
  dimension: Type.String(),
  dimension_en: Type.String(),
  order: Type.Integer(),
  points: Type.Number({ description: "the dimension's part of the composite, two decimals" }),
  max: Type.Number({ description: 'the most points it could give: its weight after not-due and not-applicable indicators were dropped and the rest rescaled' }),
  score: { ...NullableNumber, description: 'points / max x 100, one decimal; null when nothing in it was scored' },
});
export type DimensionScore = Static<typeof DimensionScore>;

export const RankingRow = Type.Object({
  unit: UnitRef,
  composite: Type.Number({ description: '0-100, the published composite (two decimals): ranks compare this value' }),
  rank: Type.Integer({ description: 'in the province: 1, 2, 2, 4 for equal published composites' }),
  rank_of: Type.Integer({ description: 'how many units are ranked' }),
  rank_city: { ...NullableInteger, description: 'among the counties of its city (county47)' },
  rank_city_of: NullableInteger,
  previous_composite: NullableNumber,
  previous_rank: NullableInteger,
  previous_rank_city: NullableInteger,
  rank_change: { ...NullableInteger, description: 'previous_rank - rank: positive means moved up' },
  rank_city_change: NullableInteger,
  indicators_met: Type.Integer(),
  ...Coverage,
  dimensions: Type.Array(DimensionScore),
});
export type RankingRow = Static<typeof RankingRow>;

export const RankingsResponse = Type.Object({
  set: IndicatorSetSchema,
  ...PeriodFields,
  city: { ...NullableString, description: 'the city filter, if any' },
  city_name: NullableString,
  province_composite: { ...NullableNumber, description: "reform88: the province's own composite (not ranked)" },
  rows: Type.Array(RankingRow, { description: 'by rank, then unit code' }),
});
export type RankingsResponse = Static<typeof RankingsResponse>;

// ---- GET /api/map ----

export const MapQuery = Type.Object({
  set: ScoreSet,
  period: ScorePeriodParam,
  level: Type.Optional(Type.Enum(['county', 'city'], { description: 'county for county47, city for reform88 (the default follows the set)' })),
  indicator: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: "an indicator code of the set (C40): map its value instead of the composite" })),
});
export type MapQuery = Static<typeof MapQuery>;

export const MapResponse = Type.Object({
  set: IndicatorSetSchema,
  ...PeriodFields,
  level: Type.Enum(['county', 'city']),
  indicator: Nullable(
    Type.Object({ code: Type.String(), name_zh: Type.String(), name_en: Type.String(), unit: UnitSchema, direction: DirectionSchema }),
    { description: 'the mapped indicator, or null for the composite' },
  ),
  min: NullableNumber,
  max: NullableNumber,
  values: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      short_name: Type.String(),
      city_code: NullableString,
      value: { ...NullableNumber, description: 'the composite (two decimals) or the indicator value' },
      rank: { ...NullableInteger, description: 'the composite rank in the province' },
      status: { ...NullableString, description: 'the indicator status (met, not_met, missing, not_due, not_applicable); null for the composite' },
    }),
    { description: 'every county (or city), by code' },
  ),
});
export type MapResponse = Static<typeof MapResponse>;

// ---- GET /api/units/:code/scorecard ----

export const ScorecardParams = Type.Object({ code: UnitCode });
export const ScorecardQuery = Type.Object({
  period: ScorePeriodParam,
});
export type ScorecardQuery = Static<typeof ScorecardQuery>;

export const IndicatorStatus = Type.Enum(['met', 'not_met', 'missing', 'not_due', 'not_applicable'], {
  description:
    "met / not_met / missing (no report or no cases: 0 points) / not_due (未到期: the indicator's period has not ended) / not_applicable (不适用: does not apply to the unit); not_due and not_applicable drop out, the other weights are rescaled",
});

export const ScorecardIndicator = Type.Object({
  code: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  dimension: Type.String(),
  dimension_en: Type.String(),
  unit: UnitSchema,
  direction: DirectionSchema,
  native_period: PeriodSchema,
  value: { ...NullableNumber, description: 'year to date at the period end (percent in points: 72.2 is 72.2%)' },
  baseline: { ...NullableNumber, description: 'the same window a year earlier' },
  target: { ...NullableNumber, description: 'for this window (a band has target_low/target_high instead)' },
  target_low: NullableNumber,
  target_high: NullableNumber,
  target_text: Type.String({ description: 'the rule as the catalog writes it, e.g. ">= 72%"' }),
  attainment: { ...NullableNumber, description: 'percent, one decimal, capped at 100' },
  weight: Type.Number({ description: 'catalog weight' }),
  weight_effective: { ...NullableNumber, description: 'after not-due and not-applicable indicators were dropped (null for those)' },
  points: NullableNumber,
  points_lost: NullableNumber,
  status: IndicatorStatus,
  status_reason: { ...NullableString, description: 'no_records, no_report, not_due, not_pilot, no_baseline, no_program, not_at_level' },
  reports_due: NullableInteger,
  reports_missing: NullableInteger,
  projection: Nullable(
    Type.Object({
      method: Type.String({ description: 'run_rate_seasonal, run_rate or current_value' }),
      value: NullableNumber,
      annual_target: NullableNumber,
      will_meet: Nullable(Type.Boolean()),
      attainment: { ...NullableNumber, description: 'projected, percent' },
      monthly_pace: NullableNumber,
      monthly_pace_needed: NullableNumber,
    }),
    { description: 'the year-end projection from the year-to-date trend (null when not scored with a value)' },
  ),
  explanation_zh: Type.String(),
  explanation_en: Type.String(),
});
export type ScorecardIndicator = Static<typeof ScorecardIndicator>;

const ExplainItem = Type.Object({
  code: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  status: Type.String(),
  value: NullableNumber,
  target: NullableNumber,
  gap: { ...NullableNumber, description: 'how far from the target' },
  gap_pct: { ...NullableNumber, description: 'the gap as a percent of the target, one decimal' },
  points: NullableNumber,
  points_lost: NullableNumber,
  peer_avg_value: { ...NullableNumber, description: "the average value of the city's counties (for a city: of the 14 cities)" },
  advantage: { ...NullableNumber, description: 'beats_peers: points above the peers’ average points' },
});

export const ScorecardResponse = Type.Object({
  unit: UnitRef,
  set: IndicatorSetSchema,
  ...PeriodFields,
  catalog_version: NullableString,
  composite: { ...NullableNumber, description: '0-100, the published composite (two decimals)' },
  points_lost: { ...NullableNumber, description: 'the points the indicators lost, summed by the engine (two decimals)' },
  previous_composite: NullableNumber,
  ...Coverage,
  indicators_met: Type.Integer(),
  indicators_not_met: Type.Integer(),
  indicators_missing: Type.Integer(),
  indicators_not_due: Type.Integer(),
  indicators_not_applicable: Type.Integer(),
  rank: Nullable(
    Type.Object({
      province: Type.Integer(),
      province_of: Type.Integer(),
      city: NullableInteger,
      city_of: NullableInteger,
      previous_province: NullableInteger,
      previous_city: NullableInteger,
      change_province: { ...NullableInteger, description: 'places gained since the previous period' },
      change_city: NullableInteger,
    }),
    { description: 'null for the province (scored, not ranked)' },
  ),
  trend: Type.Array(Type.Object({ period: Type.String(), composite: Type.Number(), rank: NullableInteger }), {
    description: 'every scoring period of the same kind up to this one',
  }),
  dimensions: Type.Array(
    Type.Object({
      ...DimensionScore.properties,
      city_avg: { ...NullableNumber, description: "the average score of the city's counties (counties only)" },
      province_avg: { ...NullableNumber, description: 'the average score of every unit of the same level' },
    }),
  ),
  indicators: Type.Array(ScorecardIndicator, { description: 'every indicator of the set, in catalog order' }),
  explanation: Type.Object({
    costs_most: Type.Array(ExplainItem, { description: 'the indicators that cost the most points, worst first' }),
    beats_peers: Type.Array(ExplainItem, { description: 'where the unit beats its peers most' }),
  }),
  path_up: Type.Array(
    Type.Object({
      code: Type.String(),
      name_zh: Type.String(),
      name_en: Type.String(),
      status: Type.String(),
      value: NullableNumber,
      target: NullableNumber,
      points_gained: Type.Number({ description: 'composite points gained by meeting it' }),
      composite_if_met: Type.Number(),
      rank_if_met: Type.Integer(),
      places_gained: Type.Integer(),
      rank_city_if_met: NullableInteger,
      places_gained_in_city: NullableInteger,
    }),
    { description: 'unmet indicators, fix first = first' },
  ),
  alerts: Type.Array(Type.Ref('Alert'), { description: "the unit's alerts in the period, most severe first" }),
  data_quality: Type.Object({
    as_of: NullableString,
    reports_expected: Type.Integer(),
    reports_received: Type.Integer(),
    reports_on_time: Type.Integer({ description: 'county submissions that first arrived by the due date' }),
    reports_late: Type.Integer({ description: 'county submissions that first arrived after the due date' }),
    reports_central: Type.Integer({ description: 'reports that first arrived through a central load: not judged for punctuality' }),
    reports_corrected: Type.Integer({ description: 'reports corrected after their due date (not late for that)' }),
    reports_missing: Type.Integer(),
    newest_data_month: NullableString,
    months_behind: NullableInteger,
    rows_rejected_recent: Type.Integer(),
    notes: Type.Array(
      Type.Object({ code: NullableString, period: NullableString, message_zh: Type.String(), message_en: Type.String() }),
      { description: 'what to fix in the reporting, most important first' },
    ),
  }),
});
export type ScorecardResponse = Omit<Static<typeof ScorecardResponse>, 'alerts'> & { alerts: Alert[] };

// ---- GET /api/alerts ----

export const AlertsQuery = Type.Object({
  period: ScorePeriodParam,
  level: Type.Optional(Type.Enum(['county', 'city', 'province'], { description: 'only alerts of counties, cities or the province' })),
  unit: Type.Optional({ ...UnitCode, description: '450000, a city code such as 450100 or a county code such as 450102: only its alerts (a city: the city and its counties)' }),
  kind: Type.Optional(Type.Enum(['behind_pace', 'sharp_drop'], { description: 'behind_pace or sharp_drop' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, finite: true, description: 'a whole number from 1 to 1000: at most this many alerts, most severe first (default 50)' })),
});
export type AlertsQuery = Static<typeof AlertsQuery>;

export const Alert = Type.Object(
  {
    level: Type.Enum(['high', 'medium', 'low'], { description: 'indicator_alert.level (sql/indicators/85-alerts.sql): severity >= 5 high, >= 2 medium, else low' }),
    severity: Type.Number({ description: 'behind_pace: points at stake; sharp_drop: the drop in multiples of its threshold (two decimals)' }),
    kind: Type.Enum(['behind_pace', 'sharp_drop']),
    is_new: Type.Boolean({ description: 'not raised in the previous period' }),
    unit: UnitRef,
    indicator_code: Type.String(),
    indicator_name_zh: Type.String(),
    indicator_name_en: Type.String(),
    indicator_unit: UnitSchema,
    value: { ...NullableNumber, description: 'behind_pace: year to date; sharp_drop: the latest native period' },
    reference_value: { ...NullableNumber, description: 'behind_pace: the annual target; sharp_drop: the period before' },
    projected_value: NullableNumber,
    monthly_pace: NullableNumber,
    monthly_pace_needed: NullableNumber,
    native_period: NullableString,
    reference_period: NullableString,
    change_pct: NullableNumber,
    threshold_pct: NullableNumber,
    message_zh: Type.String(),
    message_en: Type.String(),
  },
  { $id: 'Alert' },
);
export type Alert = Static<typeof Alert>;

export const AlertsResponse = Type.Object({
  ...PeriodFields,
  total: Type.Integer({ description: 'alerts matching the filters before the limit' }),
  counts: Type.Object({ high: Type.Integer(), medium: Type.Integer(), low: Type.Integer(), new: Type.Integer() }),
  alerts: Type.Array(Type.Ref('Alert')),
});
export type AlertsResponse = Omit<Static<typeof AlertsResponse>, 'alerts'> & { alerts: Alert[] };

// ---- GET /api/briefing ----

export const BriefingQuery = Type.Object({
  period: ScorePeriodParam,
});
export type BriefingQuery = Static<typeof BriefingQuery>;

export const BriefingResponse = Type.Object({
  ...PeriodFields,
  sentences: Type.Array(
    Type.Object({
      kind: Type.Enum(['province', 'mediation', 'rank_up', 'rank_down', 'alerts', 'top_alert', 'record']),
      zh: Type.String(),
      en: Type.String(),
      unit_code: NullableString,
      indicator_code: NullableString,
    }),
    { description: 'a few plain sentences, most important first' },
  ),
});
export type BriefingResponse = Static<typeof BriefingResponse>;
