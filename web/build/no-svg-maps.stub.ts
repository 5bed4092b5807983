// Stands in for echarts/lib/coord/geo/GeoSVGResource.js in the build (web/build/no-svg-maps.ts).
export class GeoSVGResource {
  constructor(mapName: string) {
    throw new Error(`map ${mapName}: SVG maps are not built into the cockpit (its maps are GeoJSON)`);
  }
}
