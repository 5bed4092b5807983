// ECharts, registered once with only what every page draws: bars, lines and the map, on canvas.
// (The full `echarts` import would ship every chart type; see STACK-NOTES.md.) Named imports, not the
// `echarts/core` namespace: a namespace handed on keeps every export of the core in the bundle.
// Hover tooltips, their axis pointers, mark lines and the map's colour legend (visualMap) are the
// desk's alone (desk.ts, loaded with its chart card): the grid is the simple one, without the axis
// pointer code the wall has no use for, and the wall's maps colour their own areas (charts/ramp.ts).
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GridSimpleComponent, LegendPlainComponent } from 'echarts/components';
import { init, registerMap, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { markArrived } from './load.ts';

use([BarChart, LineChart, MapChart, GridSimpleComponent, LegendPlainComponent, CanvasRenderer]);

export const echarts = { init, registerMap, use };
markArrived(echarts);
export type { ChartOption } from './option-types.ts';
