// The names the Guangxi maps are registered under and their features re-keyed by 6-digit code (the
// key every API answer uses). Pure: the browser's ECharts (geo.ts) and the server's, which draws the
// wall's first county map (server/services/wall-map-svg.ts), register the same features.
export type MapLevel = 'county' | 'city';

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

export type { Feature as GeoFeature };
