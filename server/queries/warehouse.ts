// Kysely's view of the warehouse snapshot: the dimensions, marts and facts the API reads
// (sql/schema and sql/marts are the truth; these types follow them). Types are what DuckDB stores;
// queries cast BIGINT/DECIMAL/DATE to numbers and strings before rows leave the query layer.
import type { Kysely } from 'kysely';
import type { IndicatorSet } from '../../core/catalog-vocabulary.ts';
import type { DimIndicatorRow, DimIndicatorTargetRow } from '../../core/indicator-rows.ts';

type Decimal = unknown; // DuckDB DECIMAL arrives as an object: always cast ::DOUBLE in SQL
type DateValue = unknown; // DATE/TIMESTAMP: always strftime/::VARCHAR in SQL
type UnitLevel = 'county' | 'city' | 'province';

export interface Warehouse {
  dim_city: { city_code: string; city_name: string; short_name: string; pinyin: string; name_en: string };
  dim_county: {
    county_code: string;
    county_name: string;
    short_name: string;
    pinyin: string;
    kind: 'district' | 'city' | 'county' | 'autonomous_county';
    city_code: string;
    name_en: string;
  };
  dim_unit: { unit_code: string; unit_name: string; short_name: string; level: 'province' | 'city' | 'county'; city_code: string | null; unit_name_en: string };
  dim_month: { month_key: number; month: string; month_start: DateValue; month_end: DateValue; year: number; quarter: number; quarter_label: string };
  dim_indicator: DimIndicatorRow; // the rows etl/catalog writes
  /** per-year target overrides of dim_indicator (the catalog's target_YYYY columns) */
  dim_indicator_target: DimIndicatorTargetRow;
  // ---- The indicator engine's tables (sql/indicators, README there): one row per the grain named. ----
  /** unit x stream metric x window (month, quarter, ytd, year): sql/indicators/20-metric-values.sql */
  metric_value: {
    unit_code: string;
    unit_level: UnitLevel;
    metric: string;
    period_kind: 'month' | 'quarter' | 'ytd' | 'year';
    period: string;
    year: number;
    end_month_key: number;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    null_reason: string | null;
    is_complete: boolean;
  };
  /** unit x month x headline tile: sql/indicators/22-overview-tile.sql */
  overview_tile: {
    unit_code: string;
    month_key: number;
    year: number;
    tile: string;
    end_month_key: number | null;
    value: number | null;
    previous: number | null;
    last_year: number | null;
    change: number | null;
    target: number | null;
    target_indicator: string | null;
    met: boolean | null;
  };
  /** one row per headline tile: labels, unit, basis, metric */
  overview_tile_def: {
    ordinal: number;
    tile: string;
    name_zh: string;
    name_en: string;
    unit: 'people' | 'cases' | 'yuan' | 'percent' | 'count';
    basis: 'year_to_date' | 'quarters_to_date' | 'plan_year';
    metric: string | null;
    change_kind: 'points' | 'percent';
  };
  /** indicator x scored year: the target rule in force (sql/indicators/10-periods.sql) */
  indicator_target_year: { indicator_code: string; year: number; target_rule: string; target_op: string };
  /** scoring periods: year-to-date windows, 'YYYY' (the current one runs to the newest data) and 'YYYY-Qn' */
  score_period: {
    period: string;
    period_kind: 'year' | 'quarter';
    year: number;
    quarter: number | null;
    start_date: DateValue;
    end_date: DateValue;
    end_month_key: number;
    end_month: number;
    days_elapsed: number;
    days_in_year: number;
    is_year_end: boolean;
    is_partial_month: boolean;
    prev_period: string | null;
    is_latest: boolean;
  };
  indicator_asof: { as_of_date: DateValue; as_of_year: number; as_of_month: number; first_year: number; catalog_version: string };
  /** unit x scoring period x indicator */
  indicator_score: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    period_kind: string;
    year: number;
    indicator_code: string;
    dimension: string;
    sort_order: number;
    value: number | null;
    baseline: number | null;
    target_rule: string;
    target: number | null;
    target_low: number | null;
    target_high: number | null;
    attainment: number | null;
    attainment_raw: number | null;
    weight: number;
    weight_effective: number | null;
    points: number | null;
    points_lost: number | null;
    gap: number | null;
    status: 'met' | 'not_met' | 'missing' | 'not_due' | 'not_applicable';
    status_reason: string | null;
    reports_due: number | null;
    reports_missing: number | null;
    subperiods_due: number | null;
    catalog_version: string;
  };
  /** unit x set x scoring period */
  unit_score: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    period_kind: string;
    year: number;
    composite: number;
    points_lost: number;
    indicators_total: number;
    indicators_scored: number;
    indicators_met: number;
    indicators_not_met: number;
    indicators_missing: number;
    indicators_not_due: number;
    indicators_not_applicable: number;
    points_missing: number;
    catalog_version: string;
  };
  /** unit x set x scoring period x dimension */
  unit_dimension_score: {
    unit_code: string;
    unit_level: UnitLevel;
    indicator_set: IndicatorSet;
    period: string;
    dimension: string;
    dimension_en: string;
    dimension_order: number;
    weight: number;
    weight_effective: number;
    points: number;
    score: number | null;
    indicators_met: number;
    indicators_scored: number;
  };
  /** ranked unit (counties in county47, cities in reform88) x scoring period */
  unit_rank: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    period_kind: string;
    year: number;
    composite: number;
    rank_province: number;
    units_in_province: number;
    rank_in_city: number | null;
    units_in_city: number | null;
    prev_period: string | null;
    composite_prev: number | null;
    rank_province_prev: number | null;
    rank_in_city_prev: number | null;
    rank_province_change: number | null;
    rank_in_city_change: number | null;
  };
  /** unit x indicator x scoring period (scored with a value) */
  indicator_projection: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    period_kind: string;
    year: number;
    indicator_code: string;
    value: number | null;
    days_elapsed: number;
    days_in_year: number;
    projection_method: string;
    projected_value: number | null;
    annual_target: number | null;
    target_low: number | null;
    target_high: number | null;
    will_meet: boolean | null;
    projected_attainment: number | null;
    monthly_pace: number | null;
    monthly_pace_needed: number | null;
  };
  /** unit x scoring period x kind ('costs_most' | 'beats_peers') x ordinal */
  indicator_explain: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    kind: 'costs_most' | 'beats_peers';
    ordinal: number;
    indicator_code: string;
    status: string;
    value: number | null;
    target: number | null;
    target_low: number | null;
    target_high: number | null;
    gap: number | null;
    gap_pct: number | null;
    weight_effective: number | null;
    points: number | null;
    points_lost: number | null;
    peer_avg_value: number | null;
    peer_avg_points: number | null;
    advantage: number | null;
  };
  /** ranked unit x scoring period x unmet indicator (ordinal 1 = fix first) */
  path_up: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    ordinal: number;
    indicator_code: string;
    status: string;
    value: number | null;
    target: number | null;
    target_low: number | null;
    target_high: number | null;
    points_gain: number;
    composite: number;
    composite_if_met: number;
    rank_province: number;
    rank_province_if_met: number;
    places_gained: number;
    rank_in_city: number | null;
    rank_in_city_if_met: number | null;
    places_gained_in_city: number | null;
  };
  /** unit x scoring period x indicator x alert_kind */
  indicator_alert: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    indicator_set: IndicatorSet;
    period: string;
    indicator_code: string;
    alert_kind: 'behind_pace' | 'sharp_drop';
    value: number | null;
    reference_value: number | null;
    native_period: string | null;
    reference_period: string | null;
    change_pct: number | null;
    threshold_pct: number | null;
    projected_value: number | null;
    monthly_pace: number | null;
    monthly_pace_needed: number | null;
    severity: number;
    /** how loudly to show it, from severity (sql/indicators/85-alerts.sql) */
    level: 'high' | 'medium' | 'low';
  };
  /** scoring period x fact_kind x unit_level x ordinal */
  briefing_fact: {
    period: string;
    fact_kind: 'rank_up' | 'rank_down' | 'alert_new' | 'alert_cleared' | 'record' | 'province_score' | 'county_average' | 'headline';
    unit_level: UnitLevel;
    ordinal: number;
    unit_code: string;
    indicator_set: IndicatorSet | null;
    indicator_code: string | null;
    metric: string | null;
    alert_kind: string | null;
    native_period: string | null;
    value: number | null;
    previous_value: number | null;
    change: number | null;
    rank: number | null;
    rank_prev: number | null;
  };
  /** one row per county, city and the province */
  unit_data_quality: {
    unit_code: string;
    unit_level: UnitLevel;
    city_code: string | null;
    as_of_date: DateValue;
    reports_expected: number;
    reports_received: number;
    reports_on_time: number;
    reports_late: number;
    reports_central: number;
    reports_corrected: number;
    reports_missing: number;
    reports_not_yet_due: number;
    county_reports_missing: number | null;
    missing_reports: string[];
    newest_mediation_month: string | null;
    newest_claims_month: string | null;
    newest_assistance_month: string | null;
    newest_training_month: string | null;
    newest_funding_month: string | null;
    newest_data_month: string | null;
    months_behind: number | null;
    data_age_days: number | null;
    rows_rejected_recent: number;
    rows_rejected_unattributed: number | null;
  };
  snapshot_info: { built_at: DateValue; catalog_version: string | null; newest_data: DateValue; code_version: string | null };
  mart_mediation_county_month: {
    county_code: string;
    month_key: number;
    month: string;
    year: number;
    quarter: number;
    received: number;
    closed: number;
    success: number;
    failed: number;
    withdrawn: number;
    pending: number;
    workers: number;
    amount_yuan: Decimal;
    days_to_close_sum: bigint;
  };
  mart_members_county_year: { county_code: string; year: number; members: number; enrolments: number; contribution_yuan: Decimal };
  mart_members_province_year: { year: number; members: number; enrolments: number; contribution_yuan: Decimal };
  mart_members_city_year: { city_code: string; year: number; members: number; enrolments: number; contribution_yuan: Decimal };
  /** unit x plan year, growth in percent computed by the mart (sql/marts/members_county_year.sql) */
  mart_members_unit_year: { unit_code: string; unit_level: UnitLevel; year: number; members: number; growth: number | null };
  mart_claims_county_month: {
    county_code: string;
    month_key: number;
    year: number;
    paid_count: number;
    paid_amount: Decimal;
    beneficiaries: number;
    days_to_pay_sum: bigint;
    days_to_pay_median: number;
  };
  /** one row per county, city or province ('450000') and year: distinct beneficiaries are not additive. */
  mart_claims_unit_year: {
    unit_code: string;
    year: number;
    paid_count: number;
    paid_amount: Decimal;
    beneficiaries: number;
    days_to_pay_mean: number;
    days_to_pay_median: number;
  };
  /** quarter_key = year*10 + quarter; resolved/exited/aid by closed_date, opened/referred by opened_date */
  mart_assistance_county_quarter: {
    county_code: string;
    quarter_key: number;
    year: number;
    quarter: number;
    quarter_label: string;
    opened: number;
    active: number;
    resolved: number;
    exited: number;
    aid_paid: Decimal;
    referred: number;
    referral_share: number | null;
  };
  /** one row per county x quarter x kind x skill level; records = rows, certified = records with a certificate */
  mart_training_county_quarter: {
    county_code: string;
    quarter_key: number;
    year: number;
    quarter: number;
    kind: 'training' | 'competition' | 'certification';
    skill_level: string;
    records: number;
    people: number;
    certified: number;
  };
  mart_funding_year: {
    recipient_code: string;
    recipient_level: 'city' | 'county';
    city_code: string | null;
    program: string;
    source: string;
    year: number;
    grants: number;
    amount_yuan: Decimal;
  };
  fact_funding: { grant_id: string; recipient_code: string; program: string; source: string; amount_yuan: Decimal; disbursed_date: DateValue; batch_id: number };
  fact_insurance_enrolment: { member_id: string; county_code: string; plan_year: number; plan: string; enrolled_date: DateValue; contribution_yuan: Decimal; batch_id: number };
  fact_insurance_claim: {
    claim_id: string;
    member_id: string;
    county_code: string;
    plan_year: number;
    submitted_date: DateValue;
    paid_date: DateValue;
    amount_yuan: Decimal;
    status: 'paid' | 'rejected' | 'pending';
    batch_id: number;
  };
}

export type WarehouseDb = Kysely<Warehouse>;
