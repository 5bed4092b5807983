// What the views take from the indicator catalog (GET /api/catalog): English names of dimensions, and
// an indicator's target in a year as a number where the rule is a plain threshold.
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { api } from '../api/endpoints.ts';
import type { Catalog } from '../api/types.ts';
import { useResource } from '../stores/useResource.ts';

/** The threshold of a rule like ">= 72%" or "<= 15" (null for "= true", ">= prev", bands). */
export function thresholdOf(rule: string): number | null {
  const m = /^\s*(?:>=|<=|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*[%％]?\s*$/.exec(rule);
  return m ? Number(m[1]) : null;
}

/** The target of the indicator computing `metric` in `set` for `year`, as a number, or null. */
export function metricTarget(catalog: Catalog | null, set: 'county47' | 'reform88', metric: string, year: number): number | null {
  const ind = catalog?.indicators.find((i) => i.set === set && i.metric === metric);
  if (!ind) return null;
  const rule = ind.targets_by_year.find((t) => t.year === year)?.target_rule ?? ind.target_rule;
  return thresholdOf(rule);
}

export function useCatalog() {
  const { locale } = useI18n();
  const catalog = useResource(() => api.catalog());
  const dimensionEn = computed(() => new Map((catalog.data.value?.dimensions ?? []).map((d) => [d.name, d.name_en])));
  /** A dimension's label in the current language (the API names dimensions in Chinese). */
  const dimensionLabel = (zh: string) => (locale.value === 'en' ? (dimensionEn.value.get(zh) ?? zh) : zh);
  return { catalog, dimensionLabel };
}
