// Medical mutual-aid: members per plan year with growth, and paid claims (DATA-CONTRACT.md).
// Members and beneficiaries are distinct people, not additive across counties: every level reads the
// mart rows counted at its own level. Growth is the mart's (sql/marts/members_county_year.sql).
import { sql } from 'kysely';
import type { UnitRef } from '../schemas/common.ts';
import { countyInUnit } from './units.ts';
import type { WarehouseDb } from './warehouse.ts';

export interface MembersYear {
  year: number;
  members: number;
  /** members / previous year's members - 1, percent with two decimals; null without members the year before. */
  growth: number | null;
}

export async function membersByYear(db: WarehouseDb, unit: UnitRef): Promise<MembersYear[]> {
  return db
    .selectFrom('mart_members_unit_year')
    .where('unit_code', '=', unit.code)
    .select(['year', 'members', 'growth'])
    .orderBy('year')
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
  const row = await db.selectFrom('mart_claims_unit_year').select(sql<number | null>`max(year)`.as('year')).executeTakeFirst();
  return row?.year ?? undefined;
}

const NO_CLAIMS: ClaimsTotals = { paid_count: 0, paid_amount: 0, beneficiaries: 0, days_to_pay_mean: null, days_to_pay_median: null };

export async function claimsTotals(db: WarehouseDb, unit: UnitRef, year: number): Promise<ClaimsTotals> {
  const row = await db
    .selectFrom('mart_claims_unit_year')
    .where('unit_code', '=', unit.code)
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

export interface ClaimsYear extends ClaimsTotals {
  year: number;
}

/** Paid claims of the unit per year of payment (every year with paid claims). */
export async function claimsByYear(db: WarehouseDb, unit: UnitRef): Promise<ClaimsYear[]> {
  return db
    .selectFrom('mart_claims_unit_year')
    .where('unit_code', '=', unit.code)
    .select([
      'year',
      'paid_count',
      sql<number>`round(paid_amount::DOUBLE, 2)`.as('paid_amount'),
      'beneficiaries',
      sql<number | null>`round(days_to_pay_mean, 1)`.as('days_to_pay_mean'),
      'days_to_pay_median',
    ])
    .orderBy('year')
    .execute();
}
