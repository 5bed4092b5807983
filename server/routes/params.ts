// Turning validated parameters into what queries take: unit codes into known units (404 otherwise),
// months into integer keys.
import type { FastifyRequest } from 'fastify';
import { badParameter, echo, notFound } from '../plugins/errors.ts';
import { newestMonth } from '../queries/months.ts';
import { resolveScorePeriod, type IndicatorSet, type ScorePeriod } from '../queries/scores.ts';
import { findUnit } from '../queries/units.ts';
import type { UnitRef } from '../schemas/common.ts';

export async function requireUnit(request: FastifyRequest, code: string, field = 'unit'): Promise<UnitRef> {
  const unit = await findUnit(request.snapshot().db, code);
  if (!unit) throw notFound(`${field} ${echo(code)} is not a unit of Guangxi: use 450000, a city or a county code (GET /api/units)`, field);
  return unit;
}


/** The month of the newest data in the request's snapshot (or this month for an empty warehouse). */
export const requestMonth = (request: FastifyRequest): string => newestMonth(request.snapshot().info);

/**
 * from/to with their defaults (the year to date of the newest data), checked to be in order and to be
 * a window the engine computes (metric_value): the year to date (from = January of to's year) or a
 * single month (from = to).
 */
export function monthRange(request: FastifyRequest, q: { from?: string; to?: string }): { from: string; to: string } {
  const to = q.to ?? requestMonth(request);
  const from = q.from ?? `${to.slice(0, 4)}-01`;
  if (from > to) throw badParameter('from', `the first month (${from}) is after the last month (to=${to})`);
  if (from !== to && from !== `${to.slice(0, 4)}-01`) {
    throw badParameter('from', `rates are computed for the year to date or a single month: from=${to.slice(0, 4)}-01 or from=${to} (got ${from})`);
  }
  return { from, to };
}

/** The scoring period a `period` parameter names (see resolveScorePeriod), or a 404 naming it. */
export async function requireScorePeriod(request: FastifyRequest, requested: string | undefined): Promise<ScorePeriod> {
  const p = await resolveScorePeriod(request.snapshot().db, requested);
  if (!p) {
    throw notFound(
      requested === undefined
        ? 'the warehouse has no scores yet'
        : requested === 'final'
          ? 'period final has no scores: no complete year has been scored yet'
        : `period ${echo(requested)} has no scores: scoring periods are years (2025) and quarters (2025-Q2) from the first quarter with data to the newest data`,
      'period',
    );
  }
  return p;
}

/** The city filter of a ranking (county47 only, a city's code), or null without one. */
export async function requireRankedCity(request: FastifyRequest, set: IndicatorSet, city: string | undefined): Promise<UnitRef | null> {
  if (city === undefined) return null;
  if (set !== 'county47') throw badParameter('city', 'filters the county rankings only (set=county47)');
  const unit = await requireUnit(request, city, 'city');
  if (unit.level !== 'city') throw badParameter('city', `${city} is not a city: use one of the 14 city codes (GET /api/units)`);
  return unit;
}
