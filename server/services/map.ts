// The choropleth's values: what GET /api/map answers and the wall's map shows. Values, statuses and
// ranks are the engine's (sql/indicators); min and max only bound the colour scale.
import { levelOfSet } from '../../core/set-level.ts';
import { mapValues, type IndicatorInfo, type IndicatorSet, type ScorePeriod } from '../queries/scores.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import { periodFields } from './period.ts';

/** Every unit of the set's level in the period: its composite, or one indicator's value when given. */
export async function mapBody(db: WarehouseDb, set: IndicatorSet, p: ScorePeriod, indicator?: IndicatorInfo) {
  const values = await mapValues(db, set, p.period, indicator?.code);
  const numbers = values.flatMap((v) => (v.value === null ? [] : [v.value]));
  return {
    set,
    ...periodFields(p),
    level: levelOfSet[set],
    indicator: indicator ? { code: indicator.code, name_zh: indicator.name_zh, name_en: indicator.name_en, unit: indicator.unit, direction: indicator.direction } : null,
    min: numbers.length ? Math.min(...numbers) : null,
    max: numbers.length ? Math.max(...numbers) : null,
    values,
  };
}
