// Everything the wall reads from the snapshot comes in one answer, GET /api/wall (server/services/
// wall.ts): one request on a cold load, one If-None-Match revalidation per refresh tick. Each panel
// reads its part through `part()`, which looks like a resource of its own (data, phase). Every figure
// is the API's; nothing is re-derived here. The reporting completeness is not in the bundle (it
// follows the application database): ReportingPanel reads GET /api/reporting/totals itself.
import { computed, type ComputedRef } from 'vue';
import { useRoute } from 'vue-router';
import { PROVINCE } from '../../api/endpoints.ts';
import type { Wall } from '../../api/types.ts';
import { useResource, type Resource } from '../../stores/useResource.ts';
import { wallPeriod } from '../shared/period.ts';
import { wallEndpoint } from './wallEndpoint.ts';

type Phase = Resource<unknown>['phase']['value'];

/** One panel's share of the bundle. */
export interface WallPart<T> {
  data: ComputedRef<T | null>;
  phase: ComputedRef<Phase>;
}

/**
 * `unit` is the wall page's unit (a playlist's city, else the province): the server's bundle for it
 * has that unit's tiles, mediation and member series, county ranking and alerts; the map, the city
 * ranking and the briefing stay the province's.
 */
export function useWallData(unit: () => string = () => PROVINCE) {
  const route = useRoute();
  const bundle = useResource(() => wallEndpoint(route.query, unit()));

  /**
   * A part of the bundle. A part the server sends as null (no scores for the period yet) is an
   * error on its panel, as the part's own endpoint would have answered (404).
   */
  function part<T>(pick: (w: Wall) => T | null): WallPart<T> {
    const data = computed(() => (bundle.data.value ? pick(bundle.data.value) : null));
    const phase = computed<Phase>(() => (bundle.phase.value === 'ready' && data.value === null ? 'error' : bundle.phase.value));
    return { data, phase };
  }

  const meta = part((w) => ({ snapshot: w.snapshot }));
  const period = computed(() => (bundle.data.value ? wallPeriod(bundle.data.value.month) : null));
  const overview = part((w) => w.overview);

  return {
    bundle,
    meta,
    period,
    overview,
    mediationNow: part((w) => w.mediation.this_year),
    members: part((w) => w.members),
    countyRankings: part((w) => w.rankings.counties),
    cityRankings: part((w) => w.rankings.cities),
    countyMap: part((w) => w.map.counties),
    cityMap: part((w) => w.map.cities),
    alerts: part((w) => w.alerts),
    briefing: part((w) => w.briefing),
  };
}

export type WallData = ReturnType<typeof useWallData>;
