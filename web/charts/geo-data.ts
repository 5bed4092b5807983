/// <reference types="vite/client" />
// The Guangxi GeoJSON files (fixtures/reference): emitted by the build as hashed static files, thinned
// to what a screen can show (web/build/map-assets.ts; about 350 KB for the counties, 62 KB brotli),
// and fetched once, never inlined into the bundle: on a wall's cold load index.html's preload script has
// asked for them already (api/early.ts). Kept apart from geo.ts (which needs ECharts) so the router
// can start the download before the view's code has arrived.
import citiesUrl from '../../fixtures/reference/guangxi-cities.geo.json?url';
import countiesUrl from '../../fixtures/reference/guangxi-counties.geo.json?url';
import { takeEarly } from '../api/early.ts';
import type { MapLevel } from './geo-keys.ts';

export type { MapLevel } from './geo-keys.ts';

const URL_OF: Record<MapLevel, string> = { county: countiesUrl, city: citiesUrl };
const downloads = new Map<MapLevel, Promise<unknown>>();

/** The parsed GeoJSON of a level, downloaded once. */
export function fetchGeo(level: MapLevel): Promise<unknown> {
  let p = downloads.get(level);
  if (!p) {
    p = (takeEarly(URL_OF[level], null) ?? fetch(URL_OF[level])).then((r) => {
      if (!r.ok) throw new Error(`map ${level}: HTTP ${r.status}`);
      return r.json() as Promise<unknown>;
    });
    p.catch(() => downloads.delete(level));
    downloads.set(level, p);
  }
  return p;
}
