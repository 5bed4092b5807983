// What only the desk's charts use: hover tooltips (the light theme's `tooltips: true`) and the target
// line of a bar ranking. Imported by the chart card, so the wall, which has no pointer and draws its
// target lines as series, does not ship the code.
import { MarkLineComponent, TooltipComponent } from 'echarts/components';
import { echarts } from './echarts.ts';

echarts.use([MarkLineComponent, TooltipComponent]);
