// The Guangxi maps as the build ships them (web/charts/geo-data.ts imports them with ?url): thinned
// by simplify-geo.ts and stripped to the properties the cockpit reads (charts/geo.ts keys features by
// `adcode` and shows `name`). fixtures/reference keeps the source files as published. `npm run dev`
// serves the source files unchanged.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import { simplifyGeo, type FeatureCollection } from './simplify-geo.ts';

const MAP_FILE = /[\\/](guangxi-(?:counties|cities)\.geo\.json)\?url$/;

/**
 * 0.003 degrees is about 0.3 px on a 1920x1080 wall's map panel (0.6 px on a 3840x2160 one). Borders
 * that the source's city files draw twice, not quite on the same points, can move apart by twice that:
 * at most the width of the border line drawn over them (0.6 px at 1080p, scaled with the screen). Every
 * point costs the wall's cold load three passes (ECharts transforms, bounds and strokes each one), so
 * the maps carry no finer detail than a screen shows: 16k points for the counties (22k at 0.002).
 */
export const MAP_TOLERANCE_DEG = 0.003;
const DECIMALS = 5;

/** A map file as the build ships it (and the server draws the wall's first county map from). */
export const shippedGeo = (source: FeatureCollection): FeatureCollection => simplifyGeo(source, MAP_TOLERANCE_DEG, DECIMALS, ['adcode', 'name']);

export function mapAssets(): Plugin {
  return {
    name: 'union-cockpit:map-assets',
    apply: 'build',
    enforce: 'pre',
    async load(id) {
      const m = MAP_FILE.exec(id);
      if (!m) return null;
      const source = JSON.parse(await readFile(id.slice(0, -'?url'.length), 'utf8')) as FeatureCollection;
      const ref = this.emitFile({ type: 'asset', name: m[1], source: JSON.stringify(shippedGeo(source)) });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}
