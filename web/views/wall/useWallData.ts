// Everything the wall reads, as resources of the data store (so one refresh tick revalidates them
// all with If-None-Match). Endpoints depend on the period, which comes from the snapshot's newest
// data: until /api/meta answers, nothing else is asked. Every figure is the API's; nothing is
// re-derived here.
import { computed } from 'vue';
import { api, PROVINCE } from '../../api/endpoints.ts';
import { useResource } from '../../stores/useResource.ts';
import { wallPeriod } from '../shared/period.ts';

/**
 * The scoring endpoints (rankings, map, alerts, briefing) are asked without a period: the server's
 * default is the latest scoring period (this year to date), which is what a wall shows.
 * `unit` is the wall page's unit (a playlist's city, else the province): the tiles, the mediation
 * and member series, the county ranking and the alerts follow it; the map, the city ranking and
 * the briefing stay the province's.
 */
export function useWallData(unit: () => string = () => PROVINCE) {
  const city = () => (unit() === PROVINCE ? undefined : unit());
  const meta = useResource(() => api.meta());
  const period = computed(() => (meta.data.value ? wallPeriod(meta.data.value.snapshot.newest_data) : null));
  const p = () => period.value;

  const overview = useResource(() => (p() ? api.overview(undefined, city()) : null));
  const mediationNow = useResource(() =>
    p() ? api.mediationSuccessRate({ unit: unit(), from: `${p()!.year}-01`, to: p()!.period, by: 'month' }) : null,
  );
  const mediationLastYear = useResource(() =>
    p() ? api.mediationSuccessRate({ unit: unit(), from: `${p()!.year - 1}-01`, to: `${p()!.year - 1}-12`, by: 'month' }) : null,
  );
  const members = useResource(() => (p() ? api.insuranceMembers(unit()) : null));
  const countyRankings = useResource(() => (p() ? api.rankings({ set: 'county47', city: city() }) : null));
  const cityRankings = useResource(() => (p() ? api.rankings({ set: 'reform88' }) : null));
  const countyMap = useResource(() => (p() ? api.map({ set: 'county47', level: 'county' }) : null));
  const cityMap = useResource(() => (p() ? api.map({ set: 'reform88', level: 'city' }) : null));
  const alerts = useResource(() => (p() ? api.alerts({ limit: 5, unit: city() }) : null));
  const briefing = useResource(() => (p() ? api.briefing() : null));

  /** The mediation success target of the province's tile (the catalog indicator computing the same metric), or null. */
  const mediationTarget = computed(() => overview.data.value?.kpis.find((k) => k.key === 'mediation_rate')?.target ?? null);

  return {
    meta,
    period,
    overview,
    mediationNow,
    mediationLastYear,
    mediationTarget,
    members,
    countyRankings,
    cityRankings,
    countyMap,
    cityMap,
    alerts,
    briefing,
  };
}

export type WallData = ReturnType<typeof useWallData>;
