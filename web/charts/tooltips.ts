// Hover tooltips for the desk's charts (the light theme's `tooltips: true`). Imported by the chart
// card, so the wall, which draws charts without it and has no pointer, does not ship the code.
import { TooltipComponent } from 'echarts/components';
import { echarts } from './echarts.ts';

echarts.use([TooltipComponent]);
