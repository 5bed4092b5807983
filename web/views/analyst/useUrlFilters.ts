// Keeps the filters store and the URL in step: the URL is the source (shareable, the back button
// works); a change made in the store is written back with router.replace.
import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { filtersFromQuery, filtersToQuery, useFiltersStore } from '../../stores/filters.ts';

export function useUrlFilters() {
  const route = useRoute();
  const router = useRouter();
  const store = useFiltersStore();
  watch(() => route.query, (q) => store.setFromQuery(q), { immediate: true, deep: true });
  watch(
    () => store.filters,
    (f) => {
      const want = filtersToQuery(f);
      const have = filtersToQuery(filtersFromQuery(route.query));
      // ?score= (year to date or final result) is the view's, not a filter: it stays
      const score = route.query.score ? { score: route.query.score } : {};
      if (JSON.stringify(want) !== JSON.stringify(have)) void router.replace({ query: { ...want, ...score } });
    },
    { deep: true },
  );
  return store;
}
