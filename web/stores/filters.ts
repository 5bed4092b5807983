// The analyst's filters: period, city, county, indicator set and dimension. They live in the URL
// (so a view can be shared by copying it); this store is their parsed, checked form.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { IndicatorSet } from '../api/types.ts';

export interface Filters {
  /** YYYY-MM; null = the newest data */
  period: string | null;
  city: string | null;
  county: string | null;
  set: IndicatorSet;
  dimension: string | null;
}

export const DEFAULT_FILTERS: Filters = { period: null, city: null, county: null, set: 'county47', dimension: null };

type Query = Record<string, unknown>;

const one = (v: unknown): string | null => {
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s.length > 0 ? s : null;
};

/** Read filters from a route query; anything malformed is dropped, not guessed at. */
export function filtersFromQuery(q: Query): Filters {
  const period = one(q.period);
  const city = one(q.city);
  const county = one(q.county);
  const set = one(q.set);
  const dimension = one(q.dim);
  const f: Filters = {
    period: period && /^\d{4}-(0[1-9]|1[0-2])$/.test(period) ? period : null,
    city: city && /^45\d{2}00$/.test(city) && city !== '450000' ? city : null,
    county: county && /^45\d{4}$/.test(county) && !county.endsWith('00') ? county : null,
    set: set === 'reform88' ? 'reform88' : 'county47',
    dimension: dimension ? dimension.slice(0, 40) : null,
  };
  // A county implies its city: the first four digits name it.
  if (f.county && !f.city) f.city = `${f.county.slice(0, 4)}00`;
  if (f.county && f.city && !f.county.startsWith(f.city.slice(0, 4))) f.county = null;
  return f;
}

/** The query for filters, leaving out defaults so shared URLs stay short. */
export function filtersToQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.period) q.period = f.period;
  if (f.county) q.county = f.county;
  else if (f.city) q.city = f.city;
  if (f.set !== DEFAULT_FILTERS.set) q.set = f.set;
  if (f.dimension) q.dim = f.dimension;
  return q;
}

/** The unit the filters select: a county, else a city, else the province. */
export function selectedUnit(f: Filters): { code: string; level: 'province' | 'city' | 'county' } {
  if (f.county) return { code: f.county, level: 'county' };
  if (f.city) return { code: f.city, level: 'city' };
  return { code: '450000', level: 'province' };
}

export const useFiltersStore = defineStore('filters', () => {
  const filters = ref<Filters>({ ...DEFAULT_FILTERS });

  function setFromQuery(q: Query) {
    const next = filtersFromQuery(q);
    if (JSON.stringify(next) !== JSON.stringify(filters.value)) filters.value = next;
  }

  function update(patch: Partial<Filters>) {
    const next = { ...filters.value, ...patch };
    if (patch.city !== undefined && patch.county === undefined) next.county = null;
    // Each set has its own dimensions.
    if (patch.set !== undefined && patch.set !== filters.value.set && patch.dimension === undefined) next.dimension = null;
    filters.value = filtersFromQuery(filtersToQuery(next));
  }

  /** Drill down from a click on the map or a bar: province -> city -> county. */
  function drill(code: string) {
    if (/^45\d{2}00$/.test(code) && code !== '450000') update({ city: code, county: null });
    else if (/^45\d{4}$/.test(code) && code !== '450000') update({ city: `${code.slice(0, 4)}00`, county: code });
  }

  /** Up one level: county -> its city -> the province. */
  function drillUp() {
    if (filters.value.county) update({ county: null, city: filters.value.city });
    else update({ city: null, county: null });
  }

  return { filters, setFromQuery, update, drill, drillUp };
});
