// The web benchmark's baseline: the least a page can do to draw one ECharts line chart (per-type
// imports, canvas), so the wall's cold load can be read against it on the same machine and run.
import { LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, CanvasRenderer]);
const chart = echarts.init(document.getElementById('chart')!, null, { devicePixelRatio: window.devicePixelRatio });
chart.on('rendered', () => document.body.setAttribute('data-drawn', 'true'));
chart.setOption({
  xAxis: { type: 'category', data: ['1月', '2月', '3月', '4月', '5月', '6月', '7月'] },
  yAxis: { type: 'value', min: 60, max: 80 },
  series: [{ type: 'line', data: [72.03, 72.41, 72.08, 72.03, 72.41, 72.5, 72.2] }],
});
