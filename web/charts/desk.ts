// What only the desk's charts use: hover tooltips (the light theme's `tooltips: true`) with the grid's
// axis pointers (GridComponent = the wall's GridSimpleComponent plus those), and the target line of a
// bar ranking. Imported by the chart card, so the wall, which has no pointer and draws its
// target lines as series, does not ship the code.
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { echarts } from './echarts.ts';

echarts.use([GridComponent, MarkLineComponent, TooltipComponent]);
