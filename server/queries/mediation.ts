// Mediation success rate (DATA-CONTRACT.md): success / (success + failed) of cases closed in the
// period. The rate is the engine's (metric_value, metric mediation_success_rate, computed in
// sql/indicators/20-metric-values.sql with rate_pct), published with two decimals as the scorecard
// and the overview tiles publish it: this file selects it for the window and adds the case counts
// behind it from mart_mediation_county_month. Months are integer keys (202307).
import { sql } from 'kysely';
import type { UnitRef } from '../schemas/common.ts';
import { countyInUnit } from './units.ts';
import type { WarehouseDb } from './warehouse.ts';

export interface SuccessRate {
  success: number;
  failed: number;
  rate: number | null;
}

export interface SuccessRatePoint extends SuccessRate {
  /** The month (YYYY-MM) or the unit code. */
  key: string;
  /** The month again, or the unit's name. */
  name: string;
  /** The month again, or the unit's official English name. */
  name_en: string;
}

export interface MonthRange {
  unit: UnitRef;
  /** Inclusive month keys, year*100 + month: the year to date (from = January) or one month (from = to). */
  from: number;
  to: number;
}

/** A percent as published: two decimals (72.20%). */
const published = (col: 'value' | 'v.value') => sql<number | null>`round(${sql.ref(col)}, 2)`.as(col === 'value' ? 'value' : 'rate');

/** The engine's window for a range: one month, or the year to date at its last month. */
const windowKind = ({ from, to }: MonthRange) => (from === to ? 'month' : 'ytd');

/** The engine's success rate of each unit for the range's window (published), keyed by unit_code. */
function engineRates(db: WarehouseDb, range: MonthRange) {
  return db
    .selectFrom('metric_value')
    .where('metric', '=', 'mediation_success_rate')
    .where('period_kind', '=', windowKind(range))
    .where('end_month_key', '=', range.to)
    .select(['unit_code', published('value')]);
}

/** Closings of the counties inside the unit within the month range. */
function closings(db: WarehouseDb, { unit, from, to }: MonthRange) {
  return db
    .selectFrom('mart_mediation_county_month as m')
    .innerJoin('dim_county as c', 'c.county_code', 'm.county_code')
    .where('m.month_key', '>=', from)
    .where('m.month_key', '<=', to)
    .where(countyInUnit(unit))
    .select(['m.month_key', 'm.county_code', 'c.city_code', 'm.success', 'm.failed']);
}

const counts = [
  sql<number>`coalesce(sum(x.success), 0)::INTEGER`.as('success'),
  sql<number>`coalesce(sum(x.failed), 0)::INTEGER`.as('failed'),
] as const;

export async function mediationSuccessRate(db: WarehouseDb, range: MonthRange): Promise<SuccessRate> {
  const [total, rate] = await Promise.all([
    db.selectFrom(closings(db, range).as('x')).select(counts).executeTakeFirstOrThrow(),
    engineRates(db, range).where('unit_code', '=', range.unit.code).executeTakeFirst(),
  ]);
  return { ...total, rate: rate?.value ?? null };
}

/** Every month of the range with the unit's monthly rate. */
export async function mediationSuccessRateByMonth(db: WarehouseDb, range: MonthRange): Promise<SuccessRatePoint[]> {
  return db
    .selectFrom('dim_month as d')
    .leftJoin(closings(db, range).as('x'), 'x.month_key', 'd.month_key')
    .leftJoin('metric_value as v', (j) =>
      j
        .onRef('v.end_month_key', '=', 'd.month_key')
        .on('v.unit_code', '=', range.unit.code)
        .on('v.metric', '=', 'mediation_success_rate')
        .on('v.period_kind', '=', 'month'),
    )
    .where('d.month_key', '>=', range.from)
    .where('d.month_key', '<=', range.to)
    .groupBy(['d.month_key', 'd.month', 'v.value'])
    .orderBy('d.month_key')
    .select(['d.month as key', 'd.month as name', 'd.month as name_en', ...counts, published('v.value')])
    .execute();
}

/** One point per city touching the unit (all 14 for the province), zero-filled. */
export async function mediationSuccessRateByCity(db: WarehouseDb, range: MonthRange): Promise<SuccessRatePoint[]> {
  const { unit } = range;
  return db
    .selectFrom('dim_city as ci')
    .leftJoin(closings(db, range).as('x'), 'x.city_code', 'ci.city_code')
    .leftJoin(engineRates(db, range).as('v'), 'v.unit_code', 'ci.city_code')
    .$if(unit.level !== 'province', (qb) => qb.where('ci.city_code', '=', unit.city_code ?? unit.code))
    .groupBy(['ci.city_code', 'ci.city_name', 'ci.name_en', 'v.value'])
    .orderBy('ci.city_code')
    .select(['ci.city_code as key', 'ci.city_name as name', 'ci.name_en', ...counts, 'v.value as rate'])
    .execute();
}

/** One point per county inside the unit, zero-filled. */
export async function mediationSuccessRateByCounty(db: WarehouseDb, range: MonthRange): Promise<SuccessRatePoint[]> {
  return db
    .selectFrom('dim_county as c')
    .leftJoin(closings(db, range).as('x'), 'x.county_code', 'c.county_code')
    .leftJoin(engineRates(db, range).as('v'), 'v.unit_code', 'c.county_code')
    .where(countyInUnit(range.unit))
    .groupBy(['c.county_code', 'c.county_name', 'c.name_en', 'v.value'])
    .orderBy('c.county_code')
    .select(['c.county_code as key', 'c.county_name as name', 'c.name_en', ...counts, 'v.value as rate'])
    .execute();
}
