// ECharts, registered once with only what the cockpit draws: bars, lines and the map, on canvas.
// (The full `echarts` import would ship every chart type; see STACK-NOTES.md.)
import { BarChart, LineChart, MapChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, MapChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer]);

export { echarts };
export type { ChartOption } from './option-types.ts';
