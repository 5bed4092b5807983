// What ECharts builds for the choropleth, drawn for real (ECharts' server-side renderer, no browser):
// the wall's county map is polygons only, the desk's keeps a label per county for its hover state.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MapChart } from 'echarts/charts';
import { VisualMapContinuousComponent } from 'echarts/components';
import { init, registerMap, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { keyByCode } from '../../web/charts/geo-keys.ts';
import { choroplethOption } from '../../web/charts/options/map.ts';
import { darkTheme, lightTheme } from '../../web/charts/theme.ts';
import type { FeatureCollection } from '../../web/build/simplify-geo.ts';
import { shippedGeo } from '../../web/build/map-assets.ts';

use([MapChart, VisualMapContinuousComponent, SVGRenderer]);

const source = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures', 'reference', 'guangxi-counties.geo.json'), 'utf8')) as FeatureCollection;
const geo = keyByCode(shippedGeo(source) as never) as unknown as { features: { properties: { name: string } }[] };
registerMap('test-counties', geo as never);
const codes = geo.features.map((f) => f.properties.name);
// Half the counties without a value (a month not every county has reported).
const values = codes.map((code, i) => ({ code, name: code, value: i % 2 ? null : 60 + (i % 30) }));

type Charts = ReturnType<typeof init>;
let chart: Charts | null = null;
afterEach(() => chart?.dispose());

/** The drawn map's areas (elements carrying a path) and those given a text element. */
function drawn(theme: typeof darkTheme) {
  chart = init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 720 });
  chart.setOption(choroplethOption({ mapName: 'test-counties', values, seriesName: '综合得分', format: (v) => v.toFixed(1) }, { theme, scale: 1 }) as never);
  let areas = 0;
  let labelled = 0;
  const walk = (el: { isGroup?: boolean; childrenRef?: () => unknown[]; getTextContent?: () => unknown; type?: string }) => {
    if (el.type === 'compound') areas++;
    if (el.type === 'compound' && el.getTextContent?.()) labelled++;
    if (el.isGroup) for (const c of el.childrenRef!()) walk(c as never);
  };
  for (const root of chart.getZr().storage.getRoots()) walk(root as never);
  return { areas, labelled };
}

describe('the county map as drawn', () => {
  it('on the wall: every county is an area, none carries a label element (a wall has no hover to show one)', () => {
    const { areas, labelled } = drawn(darkTheme);
    expect(areas).toBe(codes.length);
    expect(labelled).toBe(0);
  });
  it('on the wall: counties with a value take a colour of the ramp, those without the empty colour', () => {
    drawn(darkTheme);
    const data = (chart as unknown as { getModel(): { getSeriesByIndex(i: number): { getData(): { count(): number; getName(i: number): string; getItemGraphicEl(i: number): { childAt(i: number): { style: { fill: string } } } } } } }).getModel().getSeriesByIndex(0).getData();
    expect(data.count()).toBe(codes.length);
    for (let i = 0; i < data.count(); i++) {
      const fill = data.getItemGraphicEl(i).childAt(0).style.fill;
      const hasValue = values.find((v) => v.code === data.getName(i))!.value !== null;
      if (hasValue) expect(fill).not.toBe(darkTheme.mapEmpty);
      else expect(fill).toBe(darkTheme.mapEmpty);
    }
  });
  it("on the wall each area carries its colour, exactly the one ECharts' visualMap gives it (the wall's ECharts has no visualMap)", () => {
    // Values with fractions, the range's ends among them, and counties without one.
    const mixed = codes.map((code, i) => ({ code, name: code, value: i % 5 === 4 ? null : 61.5 + ((i * 7.31) % 24.2) }));
    const input = { mapName: 'test-counties', values: mixed, seriesName: '', format: String };
    const svg = (option: object) => {
      chart = init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 720 });
      chart.setOption({ ...option, animation: false } as never);
      // (class names number the charts made so far)
      const out = chart.renderToSVGString().replace(/zr\d+-cls-\d+/g, 'zr-cls');
      chart.dispose();
      chart = null;
      return out;
    };
    const own = choroplethOption({ ...input, showLegend: false }, { theme: darkTheme, scale: 1 }) as Record<string, unknown>;
    expect(own.visualMap).toBeUndefined();
    // The same areas coloured by ECharts' visualMap (its legend hidden), as the wall drew them before.
    const byVisualMap = choroplethOption(input, { theme: darkTheme, scale: 1 }) as { visualMap: object; series: { data: { itemStyle?: object }[] }[] };
    byVisualMap.visualMap = { ...byVisualMap.visualMap, show: false };
    const ownSvg = svg(own);
    expect(ownSvg).toBe(svg(byVisualMap));
    expect(new Set([...ownSvg.matchAll(/fill="(rgba?\([^"]+\))"/g)].map((m) => m[1])).size).toBeGreaterThan(50);
  });
  it('on the desk: every county keeps its label for the hover state', () => {
    const { areas, labelled } = drawn(lightTheme);
    expect(areas).toBe(codes.length);
    expect(labelled).toBe(codes.length);
  });
});
