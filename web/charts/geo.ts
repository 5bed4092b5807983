// The Guangxi maps registered with ECharts (the files come from geo-data.ts), features re-keyed by
// their 6-digit code (geo-keys.ts), the key every API answer uses. A map is registered once ECharts is
// there (load.ts): asking for a map downloads its file but does not bring ECharts forward.
import { fetchGeo, type MapLevel } from './geo-data.ts';
import { keyByCode, MAP_NAME, type GeoFeature as Feature } from './geo-keys.ts';
import { echartsArrived } from './load.ts';

export { MAP_NAME } from './geo-keys.ts';
export type { MapLevel };

const loading = new Map<MapLevel, Promise<string>>();

/** Register the map once, when ECharts has arrived; resolves with the name to use in a map series. */
export function ensureMap(level: MapLevel): Promise<string> {
  let p = loading.get(level);
  if (!p) {
    p = Promise.all([fetchGeo(level), echartsArrived]).then(([geo, echarts]) => {
      echarts.registerMap(MAP_NAME[level], keyByCode(geo as { features: Feature[] }) as never);
      return MAP_NAME[level];
    });
    p.catch(() => loading.delete(level));
    loading.set(level, p);
  }
  return p;
}
