// ECharts on the server, for the wall's drawings (wall-map-svg.ts, wall-charts-svg.ts): a screen's cold
// load paints these SVG documents first and its own ECharts draws over them when the browser is idle.
// One renderer, one option per chart: the options are the screen's own (web/charts/options), drawn
// without animation, as EChart draws a chart's first option.
import type { ChartOption } from '../../web/charts/option-types.ts';

type ECharts = typeof import('echarts/core');

/**
 * ECharts, loaded at the first drawing rather than with the server: its one-file build (every chart
 * type and both renderers), which loads in about a tenth of the time of the ~1,000 modules the per-type
 * imports pull in (0.24 s against 2.1-2.7 s through tsx on this machine).
 */
let echarts: Promise<ECharts> | null = null;
export const loadECharts = () => (echarts ??= import('echarts/dist/echarts.esm.min.mjs' as string) as Promise<ECharts>);

/**
 * `option` drawn at width x height (CSS pixels) as an SVG document with a viewBox, so it scales to the
 * box it is shown in. Text is laid out with ECharts' own estimate of its width (no canvas here); the
 * browser sets it in the page's fonts.
 */
export async function renderSvg(option: ChartOption, width: number, height: number): Promise<string> {
  const { init } = await loadECharts();
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false } as never);
    return chart.renderToSVGString({ useViewBox: true });
  } finally {
    chart.dispose();
  }
}
