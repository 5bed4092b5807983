// The headline tiles of GET /api/overview, selected from the engine's overview_tile
// (sql/indicators/22-overview-tile.sql): value, previous month, same window last year, change,
// target and met are all computed there; this file only picks the unit and month.
import type { UnitRef } from '../schemas/common.ts';
import type { Kpi } from '../schemas/overview.ts';
import type { WarehouseDb } from './warehouse.ts';

/** Every tile of the unit for the month, in tile order; empty for a month outside the warehouse. */
export async function overview(db: WarehouseDb, unit: UnitRef, period: string): Promise<Kpi[]> {
  return db
    .selectFrom('overview_tile')
    .where('unit_code', '=', unit.code)
    .where('period', '=', period)
    .select([
      'tile as key',
      'name_zh',
      'name_en',
      'unit',
      'basis',
      'from_month as from',
      'to_month as to',
      'value',
      'previous',
      'last_year',
      'change',
      'change_kind',
      'target',
      'target_rule',
      'target_indicator',
      'met',
    ])
    .orderBy('ordinal')
    .execute() as Promise<Kpi[]>;
}
