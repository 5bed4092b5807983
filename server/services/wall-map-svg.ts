// The wall's county map drawn on the server (ECharts' server-side SVG renderer, no DOM), so a wall's
// cold load shows the map before its own ECharts has run: the screen paints this picture first
// (web/charts/EChart.ts `firstPaint`) and draws the live chart over it once the browser is idle.
// Nothing is drawn twice by different code: the option is the screen's own (choroplethOption, the
// wall's dark theme, no legend), the values are GET /api/wall's (mapBody for the year to date), and the
// GeoJSON is the file the build ships (dist/web/assets), or the same thinning of the source file.
// Square and scalable (viewBox): the map keeps its aspect inside 96% of the shorter side, centred, so
// the square drawing shown centred in any panel lies where ECharts draws it; borders are a line of
// fixed width on screen, set by the page (non-scaling stroke).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { referenceDir } from '../../core/paths.ts';
import { shippedGeo } from '../../web/build/map-assets.ts';
import type { FeatureCollection } from '../../web/build/simplify-geo.ts';
import { keyByCode, MAP_NAME } from '../../web/charts/geo-keys.ts';
import { choroplethOption } from '../../web/charts/options/map.ts';
import { darkTheme } from '../../web/charts/theme.ts';
import { resolveScorePeriod } from '../queries/scores.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import { mapBody } from './map.ts';
import { loadECharts, renderSvg } from './wall-svg.ts';

/** The drawing's side in SVG units: coordinates are written to 0.1, finer than a 4K panel's pixel. */
const SIDE = 1000;

let registered = false;

/** The county GeoJSON the screen draws: the built file when there is one, else the build's thinning. */
function countyGeo(webDist: string | undefined): FeatureCollection {
  const assets = webDist ? path.join(webDist, 'assets') : null;
  const built = assets && existsSync(assets) ? readdirSync(assets).find((f) => /^guangxi-counties\.geo-[\w-]+\.json$/.test(f)) : undefined;
  if (built) return JSON.parse(readFileSync(path.join(assets!, built), 'utf8')) as FeatureCollection;
  return shippedGeo(JSON.parse(readFileSync(path.join(referenceDir, 'guangxi-counties.geo.json'), 'utf8')) as FeatureCollection);
}

/** The county map of the year to date as an SVG document; null while the snapshot has no scores. */
export async function wallCountyMapSvg(db: WarehouseDb, webDist: string | undefined): Promise<string | null> {
  const period = await resolveScorePeriod(db, undefined);
  if (!period) return null;
  const { values } = await mapBody(db, 'county47', period);
  const { registerMap } = await loadECharts();
  if (!registered) {
    registerMap(MAP_NAME.county, keyByCode(countyGeo(webDist) as never) as never);
    registered = true;
  }
  // No text is drawn (no labels, no legend, no tooltip on a wall): the format is never called.
  const option = choroplethOption({ mapName: MAP_NAME.county, values, seriesName: '', format: String, showLegend: false }, { theme: darkTheme, scale: 1 });
  return renderSvg(option, SIDE, SIDE);
}
