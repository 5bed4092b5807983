// The headline tiles of GET /api/overview, selected from the engine's overview_tile
// (sql/indicators/22-overview-tile.sql): value, previous month, same window last year, change,
// target and met are all computed there; this file only picks the unit and month.
import { sql } from 'kysely';
import type { UnitRef } from '../schemas/common.ts';
import type { Kpi } from '../schemas/overview.ts';
import { monthKey } from './months.ts';
import type { WarehouseDb } from './warehouse.ts';

/** Every tile of the unit for the month, in tile order; empty for a month outside the warehouse. */
export async function overview(db: WarehouseDb, unit: UnitRef, period: string): Promise<Kpi[]> {
  const month = (key: string) => sql<string>`(${sql.ref(key)} // 100) || '-' || lpad((${sql.ref(key)} % 100)::VARCHAR, 2, '0')`;
  return db
    .selectFrom('overview_tile as t')
    .innerJoin('overview_tile_def as d', 'd.tile', 't.tile')
    .leftJoin('indicator_target_year as r', (j) => j.onRef('r.indicator_code', '=', 't.target_indicator').onRef('r.year', '=', 't.year'))
    .where('t.unit_code', '=', unit.code)
    .where('t.month_key', '=', monthKey(period))
    .select([
      't.tile as key',
      'd.name_zh',
      'd.name_en',
      'd.unit',
      'd.basis',
      sql<string | null>`CASE WHEN t.end_month_key IS NOT NULL THEN t.year || '-01' END`.as('from'),
      sql<string | null>`CASE WHEN d.basis = 'plan_year' THEN t.year || '-12' WHEN t.end_month_key IS NOT NULL THEN ${month('t.end_month_key')} END`.as('to'),
      't.value',
      't.previous',
      't.last_year',
      't.change',
      'd.change_kind',
      't.target',
      'r.target_rule',
      't.target_indicator',
      't.met',
    ])
    .orderBy('d.ordinal')
    .execute() as Promise<Kpi[]>;
}
