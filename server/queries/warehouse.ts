// Kysely's view of the warehouse snapshot: the dimensions, marts and facts the API reads
// (sql/schema and sql/marts are the truth; these types follow them). Types are what DuckDB stores;
// queries cast BIGINT/DECIMAL/DATE to numbers and strings before rows leave the query layer.
import type { Kysely } from 'kysely';

type Decimal = unknown; // DuckDB DECIMAL arrives as an object: always cast ::DOUBLE in SQL
type DateValue = unknown; // DATE/TIMESTAMP: always strftime/::VARCHAR in SQL
type TargetOp = '>=' | '<=' | '=' | '>=prev' | 'between';

export interface Warehouse {
  dim_city: { city_code: string; city_name: string; short_name: string; pinyin: string };
  dim_county: {
    county_code: string;
    county_name: string;
    short_name: string;
    pinyin: string;
    kind: 'district' | 'city' | 'county' | 'autonomous_county';
    city_code: string;
  };
  dim_unit: { unit_code: string; unit_name: string; short_name: string; level: 'province' | 'city' | 'county'; city_code: string | null };
  dim_month: { month_key: number; month: string; month_start: DateValue; month_end: DateValue; year: number; quarter: number; quarter_label: string };
  dim_indicator: {
    catalog_version: string;
    indicator_set: 'county47' | 'reform88';
    code: string;
    sort_order: number;
    dimension: string;
    dimension_en: string;
    dimension_order: number;
    name_zh: string;
    name_en: string;
    unit: 'count' | 'percent' | 'yuan' | 'days' | 'boolean' | 'ratio';
    direction: 'higher_better' | 'lower_better' | 'target_band';
    period: 'annual' | 'quarterly' | 'monthly';
    target_rule: string;
    target_op: TargetOp;
    target_value: number | null;
    target_low: number | null;
    target_high: number | null;
    target_percent: boolean | null;
    target_relative: number | null;
    target_points: number | null;
    weight: number;
    source: 'reported' | 'mediation' | 'insurance' | 'assistance' | 'training' | 'funding';
    metric: string | null;
    applies_to: 'all' | 'service_complex_pilot';
    drop_alert: number | null;
    basis: string;
  };
  /** per-year target overrides of dim_indicator (the catalog's target_YYYY columns) */
  dim_indicator_target: {
    catalog_version: string;
    code: string;
    year: number;
    target_rule: string;
    target_op: TargetOp;
    target_value: number | null;
    target_low: number | null;
    target_high: number | null;
    target_percent: boolean | null;
    target_relative: number | null;
    target_points: number | null;
  };
  snapshot_info: { built_at: DateValue; catalog_version: string | null; newest_data: DateValue };
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
