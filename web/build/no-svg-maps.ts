// The cockpit's maps are GeoJSON (charts/geo.ts). ECharts' loader for SVG maps, and zrender's SVG
// parser it brings (about 4 KB gzip on every wall screen), are left out of the build: the module that
// holds them is swapped for one that refuses SVG maps, which nothing here registers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const stub = path.join(path.dirname(fileURLToPath(import.meta.url)), 'no-svg-maps.stub.ts');

export function noSvgMaps(): Plugin {
  return {
    name: 'union-cockpit:no-svg-maps',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './GeoSVGResource.js' && importer && /[\\/]echarts[\\/]lib[\\/]coord[\\/]geo[\\/]/.test(importer)) return stub;
      return null;
    },
  };
}
