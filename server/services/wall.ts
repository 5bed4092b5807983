// The wall's bundle (GET /api/wall): every snapshot figure the wall draws, put together from the same
// services as the single endpoints, so a panel shows exactly what its own endpoint would answer. A
// page's unit (the province, or a playlist's city) sets the tiles, the mediation and member series,
// the county ranking and the alerts; the map, the city ranking and the briefing are the province's. The
// wall's month is that of the newest data; the score panels show the year to date (the rankings the
// last complete year's final result with score=final). The reporting completeness is not here: it
// follows the application database, not the snapshot (GET /api/reporting/totals).
import type { Snapshot } from '../plugins/warehouse.ts';
import { membersByYear } from '../queries/insurance.ts';
import { newestMonth } from '../queries/months.ts';
import { overview } from '../queries/overview.ts';
import { resolveScorePeriod, type ScorePeriod } from '../queries/scores.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import type { UnitRef } from '../schemas/common.ts';
import type { MetaResponse } from '../schemas/meta.ts';
import type { WallResponse } from '../schemas/wall.ts';
import { alertsBody } from './alerts.ts';
import { briefingBody } from './briefing.ts';
import { mapBody } from './map.ts';
import { successRateBody } from './mediation.ts';
import { rankingsBody } from './rankings.ts';

/** The wall's alerts list: the five most severe. */
export const WALL_ALERTS = 5;

export type WallScope = 'ytd' | 'final';

export async function wallBundle(
  db: WarehouseDb,
  snapshot: MetaResponse['snapshot'],
  province: UnitRef,
  page: UnitRef,
  scope: WallScope,
): Promise<WallResponse> {
  const month = newestMonth(snapshot);
  const year = Number(month.slice(0, 4));
  const [ytd, ranked] = await Promise.all([
    resolveScorePeriod(db, undefined),
    scope === 'final' ? resolveScorePeriod(db, 'final') : undefined,
  ]);
  const rankedPeriod = scope === 'final' ? ranked : ytd;
  const city = page.level === 'city' ? page : null;
  const whenScored = <T>(p: ScorePeriod | undefined, body: (p: ScorePeriod) => Promise<T>) => (p ? body(p) : null);
  const [kpis, thisYear, lastYear, members, counties, cities, countyMap, cityMap, alerts, briefing] = await Promise.all([
    overview(db, page, month),
    successRateBody(db, page, `${year}-01`, month, 'month'),
    successRateBody(db, page, `${year - 1}-01`, `${year - 1}-12`, 'month'),
    membersByYear(db, page),
    whenScored(rankedPeriod, (p) => rankingsBody(db, 'county47', p, city)),
    whenScored(rankedPeriod, (p) => rankingsBody(db, 'reform88', p, null)),
    whenScored(ytd, (p) => mapBody(db, 'county47', p)),
    whenScored(ytd, (p) => mapBody(db, 'reform88', p)),
    whenScored(ytd, (p) => alertsBody(db, { period: p, unit: city ?? undefined }, WALL_ALERTS)),
    whenScored(ytd, (p) => briefingBody(db, p)),
  ]);
  return {
    snapshot,
    month,
    overview: { unit: page, period: month, year, kpis },
    mediation: { this_year: thisYear, last_year: lastYear },
    members: { unit: page, years: members },
    rankings: { counties, cities },
    map: { counties: countyMap, cities: cityMap },
    alerts,
    briefing,
  };
}

/** Each open snapshot's bundles, by page and scope (gone with the snapshot). */
const bundles = new WeakMap<Snapshot, Map<string, Promise<WallResponse>>>();

/**
 * The snapshot's bundle for a page, computed once: GET /api/wall serves it and GET /api/wall/charts
 * draws from it, and a wall's cold load asks both at once. At most a page per city and the province
 * in each scope are kept per snapshot; a failed computation is not kept.
 */
export function snapshotWallBundle(s: Snapshot, province: UnitRef, page: UnitRef, scope: WallScope): Promise<WallResponse> {
  let bySnapshot = bundles.get(s);
  if (!bySnapshot) bundles.set(s, (bySnapshot = new Map()));
  const key = `${province.code} ${page.code} ${scope}`;
  const known = bySnapshot.get(key);
  if (known) return known;
  const computed = wallBundle(s.db, { id: s.id, opened_at: s.openedAt, ...s.info }, province, page, scope);
  bySnapshot.set(key, computed);
  const forget = bySnapshot;
  computed.catch(() => forget.get(key) === computed && forget.delete(key));
  return computed;
}
