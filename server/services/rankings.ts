// The ranked units of a set: what GET /api/rankings answers and the rankings export prints. Ranks and
// composites are the engine's (sql/indicators/50-ranks.sql), as published.
import { rankings, unitScore, type IndicatorSet, type ScorePeriod } from '../queries/scores.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import type { UnitRef } from '../schemas/common.ts';
import { periodFields } from './period.ts';

/** The ranking of the set in the period, of one city's counties when `city` is given. */
export async function rankingsBody(db: WarehouseDb, set: IndicatorSet, p: ScorePeriod, city: UnitRef | null) {
  const [rows, province] = await Promise.all([
    rankings(db, set, p.period, city?.code),
    set === 'reform88' ? unitScore(db, '450000', set, p.period) : undefined,
  ]);
  return {
    set,
    ...periodFields(p),
    city: city?.code ?? null,
    city_name: city?.name ?? null,
    province_composite: province?.composite ?? null,
    rows,
  };
}
