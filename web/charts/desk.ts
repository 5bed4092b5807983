// What only the desk's charts use: hover tooltips (the light theme's `tooltips: true`) with the grid's
// axis pointers (GridComponent = the wall's GridSimpleComponent plus those), the target line of a
// bar ranking, the scrolling of a long ranking (dataZoom) and the county map's colour legend (the
// continuous visualMap, which colours its areas). Imported by the chart card, so the wall, which has
// no pointer, draws its target lines as series, never scrolls and colours its maps' areas itself
// (options/map.ts without a legend), does not ship the code.
import { DataZoomInsideComponent, DataZoomSliderComponent, GridComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { echarts } from './echarts.ts';

echarts.use([DataZoomInsideComponent, DataZoomSliderComponent, GridComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent]);
