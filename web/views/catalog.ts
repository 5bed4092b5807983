// What the views take from the indicator catalog (GET /api/catalog): English names of dimensions. (Targets
// as numbers are the API's: the overview tiles and the scorecard give them, computed in sql/.)
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
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

/**
 * The scoring period (sql/indicators/10-periods.sql: 'YYYY' year to date, or 'YYYY-Qn' as the year
 * stood at a quarter's end) for a month the analyst chose; undefined = the server's latest. A month
 * of the newest data's year, or December, is that year; a quarter-end month of an earlier year is
 * that quarter; any other month of an earlier year is the quarter that had ended by then (its
 * year's previous December is not part of the year, so January and February give the year).
 */
export function scorePeriod(month: string | null | undefined, newestMonth: string | null | undefined): string | undefined {
  if (!month || !/^\d{4}-\d{2}$/.test(month)) return undefined;
  const year = month.slice(0, 4);
  const m = Number(month.slice(5, 7));
  if ((newestMonth && newestMonth.slice(0, 4) === year) || m === 12 || m < 3) return year;
  return `${year}-Q${Math.floor(m / 3)}`;
}
