// Medical mutual-aid: members per plan year with growth, and paid claims (DATA-CONTRACT.md).
// Members and beneficiaries are distinct people, not additive across counties: the province reads its
// own mart rows; a city has no mart row yet, so its distinct counts come from the facts (once per
// snapshot, the cache keeps the answer).
import { sql, type SqlBool } from 'kysely';
import type { UnitRef } from '../schemas/common.ts';
import { countyInUnit } from './units.ts';
import type { WarehouseDb } from './warehouse.ts';

export interface MembersYear {
  year: number;
  members: number;
  /** members / previous year's members - 1, percent with two decimals; null without a previous year. */
  growth: number | null;
}

function membersPerYear(db: WarehouseDb, unit: UnitRef) {
  if (unit.level === 'province') return db.selectFrom('mart_members_province_year').select(['year', 'members']);
  if (unit.level === 'county') {
    return db.selectFrom('mart_members_county_year').where('county_code', '=', unit.code).select(['year', 'members']);
  }
  return db
    .selectFrom('fact_insurance_enrolment as e')
    .innerJoin('dim_county as c', 'c.county_code', 'e.county_code')
    .where(countyInUnit(unit))
    .groupBy('e.plan_year')
    .select([sql<number>`e.plan_year::INTEGER`.as('year'), sql<number>`count(DISTINCT e.member_id)::INTEGER`.as('members')]);
}

export async function membersByYear(db: WarehouseDb, unit: UnitRef): Promise<MembersYear[]> {
  const prevYear = sql`lag(y.year) OVER (ORDER BY y.year)`;
  const prevMembers = sql`lag(y.members) OVER (ORDER BY y.year)`;
  return db
    .selectFrom(membersPerYear(db, unit).as('y'))
    .select([
      'y.year',
      'y.members',
      sql<number | null>`CASE WHEN ${prevYear} = y.year - 1 AND ${prevMembers} > 0
        THEN round(100.0 * y.members / ${prevMembers} - 100, 2)::DOUBLE END`.as('growth'),
    ])
    .orderBy('y.year')
    .execute();
}

export interface ClaimsTotals {
  paid_count: number;
  /** yuan, two decimals */
  paid_amount: number;
  beneficiaries: number;
  /** days from submission to payment, one decimal; null without paid claims */
  days_to_pay_mean: number | null;
  days_to_pay_median: number | null;
}

export interface ClaimsMonth {
  month: string;
  paid_count: number;
  paid_amount: number;
}

/** The newest year with paid claims anywhere, or undefined for an empty warehouse. */
export async function newestClaimsYear(db: WarehouseDb): Promise<number | undefined> {
  const row = await db.selectFrom('mart_claims_county_year').select(sql<number | null>`max(year)`.as('year')).executeTakeFirst();
  return row?.year ?? undefined;
}

const NO_CLAIMS: ClaimsTotals = { paid_count: 0, paid_amount: 0, beneficiaries: 0, days_to_pay_mean: null, days_to_pay_median: null };

export async function claimsTotals(db: WarehouseDb, unit: UnitRef, year: number): Promise<ClaimsTotals> {
  if (unit.level === 'city') {
    const days = sql`f.paid_date - f.submitted_date`;
    return db
      .selectFrom('fact_insurance_claim as f')
      .innerJoin('dim_county as c', 'c.county_code', 'f.county_code')
      .where('f.status', '=', 'paid')
      .where(sql<SqlBool>`f.paid_date >= make_date(${year}, 1, 1) AND f.paid_date < make_date(${year + 1}, 1, 1)`)
      .where(countyInUnit(unit))
      .select([
        sql<number>`count(*)::INTEGER`.as('paid_count'),
        sql<number>`coalesce(round(sum(f.amount_yuan)::DOUBLE, 2), 0)`.as('paid_amount'),
        sql<number>`count(DISTINCT f.member_id)::INTEGER`.as('beneficiaries'),
        sql<number | null>`round(avg(${days})::DOUBLE, 1)`.as('days_to_pay_mean'),
        sql<number | null>`median(${days})::DOUBLE`.as('days_to_pay_median'),
      ])
      .executeTakeFirstOrThrow();
  }
  const row = await db
    .selectFrom('mart_claims_county_year')
    .where('county_code', '=', unit.code) // the '450000' rows are the province's
    .where('year', '=', year)
    .select([
      'paid_count',
      sql<number>`round(paid_amount::DOUBLE, 2)`.as('paid_amount'),
      'beneficiaries',
      sql<number | null>`round(days_to_pay_mean, 1)`.as('days_to_pay_mean'),
      'days_to_pay_median',
    ])
    .executeTakeFirst();
  return row ?? NO_CLAIMS;
}

/** Paid claims per month of the year (all twelve, zero-filled) for the counties inside the unit. */
export async function claimsByMonth(db: WarehouseDb, unit: UnitRef, year: number): Promise<ClaimsMonth[]> {
  const paid = db
    .selectFrom('mart_claims_county_month as m')
    .innerJoin('dim_county as c', 'c.county_code', 'm.county_code')
    .where('m.year', '=', year)
    .where(countyInUnit(unit))
    .select(['m.month_key', 'm.paid_count', 'm.paid_amount']);
  return db
    .selectFrom('dim_month as d')
    .leftJoin(paid.as('p'), 'p.month_key', 'd.month_key')
    .where('d.year', '=', year)
    .groupBy(['d.month_key', 'd.month'])
    .orderBy('d.month_key')
    .select([
      'd.month',
      sql<number>`coalesce(sum(p.paid_count), 0)::INTEGER`.as('paid_count'),
      sql<number>`coalesce(round(sum(p.paid_amount)::DOUBLE, 2), 0)`.as('paid_amount'),
    ])
    .execute();
}
