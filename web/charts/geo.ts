/// <reference types="vite/client" />
// The Guangxi maps (fixtures/reference, about 1 MB for the counties) are emitted by the build as
// hashed static files and fetched the first time a map is shown: never inlined into the bundle.
// Features are re-keyed by their 6-digit code, the key every API answer uses.
import citiesUrl from '../../fixtures/reference/guangxi-cities.geo.json?url';
import countiesUrl from '../../fixtures/reference/guangxi-counties.geo.json?url';
import { echarts } from './echarts.ts';

export type MapLevel = 'county' | 'city';

export const MAP_NAME: Record<MapLevel, string> = { county: 'guangxi-counties', city: 'guangxi-cities' };
const URL_OF: Record<MapLevel, string> = { county: countiesUrl, city: citiesUrl };

interface Feature {
  type: 'Feature';
  properties: { adcode: number | string; name: string; [k: string]: unknown };
  geometry: unknown;
}

/** GeoJSON features named by code ("450102"), keeping the Chinese name as `label`. */
export function keyByCode<T extends { features: Feature[] }>(geo: T): T {
  return {
    ...geo,
    features: geo.features.map((f) => ({ ...f, properties: { name: String(f.properties.adcode), label: f.properties.name } })),
  };
}

const loading = new Map<MapLevel, Promise<string>>();

/** Register the map once; resolves with the name to use in a map series. */
export function ensureMap(level: MapLevel): Promise<string> {
  let p = loading.get(level);
  if (!p) {
    p = fetch(URL_OF[level])
      .then((r) => {
        if (!r.ok) throw new Error(`map ${level}: HTTP ${r.status}`);
        return r.json();
      })
      .then((geo) => {
        echarts.registerMap(MAP_NAME[level], keyByCode(geo) as never);
        return MAP_NAME[level];
      });
    p.catch(() => loading.delete(level));
    loading.set(level, p);
  }
  return p;
}
