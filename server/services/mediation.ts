// The mediation success rate of a unit over a window the engine computes (the year to date or one
// month), with its series by month, city or county: GET /api/mediation/success-rate and the wall's
// trend. The rates are the engine's (queries/mediation.ts).
import {
  mediationSuccessRate,
  mediationSuccessRateByCity,
  mediationSuccessRateByCounty,
  mediationSuccessRateByMonth,
} from '../queries/mediation.ts';
import { monthKey } from '../queries/months.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import type { UnitRef } from '../schemas/common.ts';

const byQuery = { month: mediationSuccessRateByMonth, city: mediationSuccessRateByCity, county: mediationSuccessRateByCounty };


/** `from` and `to` are months ('2026-01'), already checked to be a window the engine computes. */
export async function successRateBody(db: WarehouseDb, unit: UnitRef, from: string, to: string, by?: keyof typeof byQuery) {
  const range = { unit, from: monthKey(from), to: monthKey(to) };
  const [total, series] = await Promise.all([mediationSuccessRate(db, range), by ? byQuery[by](db, range) : undefined]);
  return { unit, from, to, ...total, ...(series ? { series } : {}) };
}

export type SuccessRateBody = Awaited<ReturnType<typeof successRateBody>>;
