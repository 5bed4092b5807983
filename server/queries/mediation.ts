// Mediation success rate (DATA-CONTRACT.md): success / (success + failed) of cases closed in the
// period, in percent with two decimals; withdrawn and pending cases are not in the denominator.
// Read from mart_mediation_county_month (closings by closed_date month), months as integer keys
// (202307) so the range filter is an integer comparison.
import { sql, type RawBuilder } from 'kysely';
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
}

export interface MonthRange {
  unit: UnitRef;
  /** Inclusive month keys, year*100 + month. */
  from: number;
  to: number;
}

/** Sums of success and failed over the rows of `x`, and the rate: the one place the formula lives. */
function successRateColumns(x: string) {
  const success = sql<number>`coalesce(sum(${sql.ref(`${x}.success`)}), 0)`;
  const failed = sql<number>`coalesce(sum(${sql.ref(`${x}.failed`)}), 0)`;
  const rate: RawBuilder<number | null> = sql`CASE WHEN ${success} + ${failed} > 0
    THEN round(100.0 * ${success} / (${success} + ${failed}), 2)::DOUBLE END`;
  return [sql<number>`${success}::INTEGER`.as('success'), sql<number>`${failed}::INTEGER`.as('failed'), rate.as('rate')] as const;
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

export async function mediationSuccessRate(db: WarehouseDb, range: MonthRange): Promise<SuccessRate> {
  return db
    .selectFrom(closings(db, range).as('x'))
    .select(successRateColumns('x'))
    .executeTakeFirstOrThrow();
}

export async function mediationSuccessRateByMonth(db: WarehouseDb, range: MonthRange): Promise<SuccessRatePoint[]> {
  return db
    .selectFrom('dim_month as d')
    .leftJoin(closings(db, range).as('x'), 'x.month_key', 'd.month_key')
    .where('d.month_key', '>=', range.from)
    .where('d.month_key', '<=', range.to)
    .groupBy(['d.month_key', 'd.month'])
    .orderBy('d.month_key')
    .select(['d.month as key', 'd.month as name', ...successRateColumns('x')])
    .execute();
}

/** One point per city touching the unit (all 14 for the province), zero-filled. */
export async function mediationSuccessRateByCity(db: WarehouseDb, range: MonthRange): Promise<SuccessRatePoint[]> {
  const { unit } = range;
  return db
    .selectFrom('dim_city as ci')
    .leftJoin(closings(db, range).as('x'), 'x.city_code', 'ci.city_code')
    .$if(unit.level !== 'province', (qb) => qb.where('ci.city_code', '=', unit.city_code ?? unit.code))
    .groupBy(['ci.city_code', 'ci.city_name'])
    .orderBy('ci.city_code')
    .select(['ci.city_code as key', 'ci.city_name as name', ...successRateColumns('x')])
    .execute();
}

/** One point per county inside the unit, zero-filled. */
export async function mediationSuccessRateByCounty(db: WarehouseDb, range: MonthRange): Promise<SuccessRatePoint[]> {
  return db
    .selectFrom('dim_county as c')
    .leftJoin(closings(db, range).as('x'), 'x.county_code', 'c.county_code')
    .where(countyInUnit(range.unit))
    .groupBy(['c.county_code', 'c.county_name'])
    .orderBy('c.county_code')
    .select(['c.county_code as key', 'c.county_name as name', ...successRateColumns('x')])
    .execute();
}
