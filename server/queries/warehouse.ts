// Kysely's view of the warehouse snapshot: the dimensions, marts and facts the API reads
// (sql/schema and sql/marts are the truth; these types follow them). Types are what DuckDB stores;
// queries cast BIGINT/DECIMAL/DATE to numbers and strings before rows leave the query layer.
import type { Kysely } from 'kysely';

type Decimal = unknown; // DuckDB DECIMAL arrives as an object: always cast ::DOUBLE in SQL
type DateValue = unknown; // DATE/TIMESTAMP: always strftime/::VARCHAR in SQL

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
