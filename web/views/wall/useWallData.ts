// Everything the wall reads, as resources of the data store (so one refresh tick revalidates them
// all with If-None-Match). Endpoints depend on the period, which comes from the snapshot's newest
// data: until /api/meta answers, nothing else is asked.
import { computed } from 'vue';
import { api, PROVINCE } from '../../api/endpoints.ts';
import type { MediationSuccessRate } from '../../api/types.ts';
import { useResource } from '../../stores/useResource.ts';
import { metricTarget } from '../catalog.ts';
import { wallPeriod } from './model.ts';

/** Year-to-date totals of last year up to `month`, from its monthly series. */
export function yearToDate(last: MediationSuccessRate | null, month: number): MediationSuccessRate | null {
  if (!last?.series) return null;
  const months = last.series.filter((p) => Number(p.key.slice(5, 7)) <= month);
  const success = months.reduce((s, p) => s + p.success, 0);
  const failed = months.reduce((s, p) => s + p.failed, 0);
  const rate = success + failed > 0 ? Math.round((10000 * success) / (success + failed)) / 100 : null;
  return { ...last, success, failed, rate, to: `${last.to.slice(0, 5)}${String(month).padStart(2, '0')}` };
}

/**
 * The scoring endpoints (rankings, map, alerts, briefing) are asked without a period: the server's
 * default is the latest scoring period (this year to date), which is what a wall shows.
 */
export function useWallData() {
  const meta = useResource(() => api.meta());
  const period = computed(() => (meta.data.value ? wallPeriod(meta.data.value.snapshot.newest_data) : null));
  const p = () => period.value;

  const overview = useResource(() => (p() ? api.overview() : null));
  const mediationNow = useResource(() =>
    p() ? api.mediationSuccessRate({ unit: PROVINCE, from: `${p()!.year}-01`, to: p()!.period, by: 'month' }) : null,
  );
  const mediationLastYear = useResource(() =>
    p() ? api.mediationSuccessRate({ unit: PROVINCE, from: `${p()!.year - 1}-01`, to: `${p()!.year - 1}-12`, by: 'month' }) : null,
  );
  const mediationByCounty = useResource(() =>
    p() ? api.mediationSuccessRate({ unit: PROVINCE, from: `${p()!.year}-01`, to: p()!.period, by: 'county' }) : null,
  );
  const members = useResource(() => (p() ? api.insuranceMembers(PROVINCE) : null));
  const countyRankings = useResource(() => (p() ? api.rankings({ set: 'county47' }) : null));
  const cityRankings = useResource(() => (p() ? api.rankings({ set: 'reform88' }) : null));
  const countyMap = useResource(() => (p() ? api.map({ set: 'county47', level: 'county' }) : null));
  const cityMap = useResource(() => (p() ? api.map({ set: 'reform88', level: 'city' }) : null));
  const alerts = useResource(() => (p() ? api.alerts({ limit: 5 }) : null));
  const briefing = useResource(() => (p() ? api.briefing() : null));
  const catalog = useResource(() => api.catalog());

  const mediationLastYearToDate = computed(() => (period.value ? yearToDate(mediationLastYear.data.value, period.value.month) : null));
  /** The mediation success target: the overview's, else the catalog's for the year (72% from 2023). */
  const mediationTarget = computed(
    () =>
      overview.data.value?.kpis.find((k) => k.key === 'mediation_rate')?.target ??
      (period.value ? metricTarget(catalog.data.value, 'county47', 'mediation_success_rate', period.value.year) : null),
  );

  return {
    meta,
    period,
    overview,
    mediationNow,
    mediationLastYear,
    mediationLastYearToDate,
    mediationByCounty,
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
