// What the views take from the indicator catalog (GET /api/catalog): English names of dimensions. (Targets
// as numbers are the API's: the overview tiles and the scorecard give them, computed in sql/.)
import { computed } from 'vue';
import { useI18n } from '../i18n/index.ts';
import { api } from '../api/endpoints.ts';
import { useResource } from '../stores/useResource.ts';

export function useCatalog() {
  const { locale } = useI18n();
  const catalog = useResource(() => api.catalog());
  const dimensionEn = computed(() => new Map((catalog.data.value?.dimensions ?? []).map((d) => [d.name, d.name_en])));
  /** A dimension's label in the current language (the API names dimensions in Chinese). */
  const dimensionLabel = (zh: string) => (locale.value === 'en' ? (dimensionEn.value.get(zh) ?? zh) : zh);
  return { catalog, dimensionLabel };
}
