// Units under the names of the current language: the Chinese names the API gives with each figure,
// or under the English switch the official English names kept in the reference data (/api/units:
// Nanning, Xingning District, Sanjiang Dong Autonomous County). Fetched only when English is on.
import { computed } from 'vue';
import { useI18n } from '../i18n/index.ts';
import { api } from '../api/endpoints.ts';
import type { UnitTree } from '../api/types.ts';
import { useResource } from '../stores/useResource.ts';

export interface EnglishName {
  /** 'Xingning District' */
  name: string;
  /** for crowded chart axes: the name without its kind, 'Xingning', "Xing'an", 'Nanning' */
  short: string;
}

/** Every unit's English name by code, from the /api/units tree. */
export function englishNames(tree: UnitTree): Map<string, EnglishName> {
  const entry = (name: string): EnglishName => ({ name, short: name.split(' ')[0] });
  const out = new Map<string, EnglishName>([[tree.province.code, entry(tree.province.name_en)]]);
  for (const city of tree.cities) {
    out.set(city.code, entry(city.name_en));
    for (const county of city.counties) out.set(county.code, entry(county.name_en));
  }
  return out;
}

export function useUnitNames() {
  const { locale } = useI18n();
  const units = useResource(() => (locale.value === 'en' ? api.units() : null));
  const en = computed(() => (locale.value === 'en' && units.data.value ? englishNames(units.data.value) : null));
  return {
    /** The unit's full name: `zh` as given, or its English name (`zh` until the names have loaded). */
    name: (code: string, zh: string) => en.value?.get(code)?.name ?? zh,
    /** The short name for chart axes and the wall's lists. */
    short: (code: string, zhShort: string) => en.value?.get(code)?.short ?? zhShort,
  };
}
