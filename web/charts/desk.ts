// What only the desk's charts use: hover tooltips (the light theme's `tooltips: true`) with the grid's
// axis pointers (GridComponent = the wall's GridSimpleComponent plus those), the target line of a
// bar ranking, and the scrolling of a long ranking (dataZoom). Imported by the chart card, so the wall, which has no pointer and draws its
// target lines as series, does not ship the code.
import { DataZoomInsideComponent, DataZoomSliderComponent, GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { echarts } from './echarts.ts';

echarts.use([DataZoomInsideComponent, DataZoomSliderComponent, GridComponent, MarkLineComponent, TooltipComponent]);
