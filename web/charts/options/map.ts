// The Guangxi choropleth: one value per county (or city), coloured on the theme's ramp. Areas without
// a value are drawn in the "empty" colour, not as zero.
import type { ChartOption } from '../option-types.ts';
import { rampColour } from '../ramp.ts';
import { px, type ChartContext } from '../theme.ts';
import { animation, textStyle, tooltip } from './common.ts';

export interface MapInput {
  /** the name the GeoJSON was registered under (charts/geo.ts) */
  mapName: string;
  values: readonly { code: string; name: string; value: number | null }[];
  /** the series name, shown in the tooltip: "综合得分" */
  seriesName: string;
  format: (v: number) => string;
  /** the visual range; defaults to the values' range */
  min?: number;
  max?: number;
  /** the code to outline (the selected unit) */
  selected?: string | null;
  /**
   * ECharts' own colour legend (default, its visualMap colours the areas); the wall draws its legend
   * in HTML instead (MapLegend.vue) and each area carries its colour (ramp.ts), without a visualMap
   */
  showLegend?: boolean;
}

/**
 * The colour scale's range: the given bounds, else the values' range widened to whole numbers (never
 * empty). The map's colours and a legend drawn beside the chart (the wall's) both read it here.
 */
export function colourRange(input: Pick<MapInput, 'values' | 'min' | 'max'>): { lo: number; hi: number } {
  const present = input.values.map((v) => v.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = input.min ?? (present.length ? Math.floor(Math.min(...present)) : 0);
  const hiRaw = input.max ?? (present.length ? Math.ceil(Math.max(...present)) : 1);
  return { lo, hi: hiRaw > lo ? hiRaw : lo + 1 };
}

/** The areas' border width in pixels: finer than a pixel on a desk, growing with a wall's scale. */
export const mapBorderWidth = (ctx: ChartContext) => Math.max(0.6, 0.6 * ctx.scale);

export function choroplethOption(input: MapInput, ctx: ChartContext): ChartOption {
  const { lo, hi } = colourRange(input);
  const { theme } = ctx;
  /** each area coloured here, not by a visualMap (no legend of ECharts' own) */
  const own = input.showLegend === false;
  const legend = own
    ? null
    : {
        type: 'continuous' as const,
        show: true,
        min: lo,
        max: hi,
        left: px(ctx, 8),
        bottom: px(ctx, 8),
        itemWidth: px(ctx, 10),
        itemHeight: px(ctx, 90),
        calculable: false,
        text: [input.format(hi), input.format(lo)],
        textStyle: textStyle(ctx, 11),
        inRange: { color: [...theme.ramp] },
        outOfRange: { color: theme.mapEmpty },
      };
  return {
    ...animation,
    ...tooltip(ctx, {
      trigger: 'item',
      formatter: (p: unknown) => {
        const d = (p as { data?: { unitName?: string; value?: number | '-' } }).data;
        if (!d) return '';
        const v = typeof d.value === 'number' ? input.format(d.value) : '—';
        return `${d.unitName ?? ''}<br/>${input.seriesName}：<b>${v}</b>`;
      },
    }),
    ...(legend ? { visualMap: legend } : {}),
    series: [
      {
        type: 'map',
        map: input.mapName,
        name: input.seriesName,
        roam: false,
        layoutCenter: ['50%', '50%'],
        layoutSize: '96%',
        selectedMode: false,
        label: { show: false },
        itemStyle: { areaColor: theme.mapEmpty, borderColor: theme.mapBorder, borderWidth: mapBorderWidth(ctx) },
        // Hover highlights where there is a pointer (the desk). A wall has none: no hover or select
        // state, and no label per area. ECharts builds a text element for every area whose hover or
        // select state shows a label (its defaults do), even with those states disabled, so the wall
        // turns both labels off: the county map's first draw then builds polygons only.
        ...(theme.tooltips
          ? {
              emphasis: {
                label: { show: true, ...textStyle(ctx, 12), color: theme.name === 'dark' ? '#ffffff' : theme.text },
                itemStyle: { areaColor: theme.accent, borderColor: theme.text, borderWidth: Math.max(1, ctx.scale) },
              },
            }
          : { emphasis: { disabled: true, label: { show: false } }, select: { disabled: true, label: { show: false } }, silent: true }),
        data: input.values.map((v) => {
          const areaColor = own && v.value !== null ? rampColour(v.value, lo, hi, theme.ramp) : null;
          const itemStyle = {
            ...(areaColor ? { areaColor } : {}),
            ...(v.code === input.selected ? { borderColor: theme.warn, borderWidth: px(ctx, 2) } : {}),
          };
          return { name: v.code, unitName: v.name, value: v.value ?? ('-' as const), ...(Object.keys(itemStyle).length ? { itemStyle } : {}) };
        }),
      },
    ],
  };
}
