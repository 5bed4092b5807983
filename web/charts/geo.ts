// The Guangxi maps registered with ECharts (the files come from geo-data.ts), features re-keyed by
// their 6-digit code, the key every API answer uses.
import { echarts } from './echarts.ts';
import { fetchGeo, type MapLevel } from './geo-data.ts';

export type { MapLevel };

export const MAP_NAME: Record<MapLevel, string> = { county: 'guangxi-counties', city: 'guangxi-cities' };

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
    p = fetchGeo(level).then((geo) => {
      echarts.registerMap(MAP_NAME[level], keyByCode(geo as { features: Feature[] }) as never);
      return MAP_NAME[level];
    });
    p.catch(() => loading.delete(level));
    loading.set(level, p);
  }
  return p;
}
