// A value's colour on a theme's ramp, exactly as ECharts' continuous visualMap maps it: linear over
// lo..hi, each channel interpolated between the two nearest stops and rounded to a byte (zrender's
// fastLerp), written as rgba(). The wall's maps, which draw their legend in HTML (MapLegend.vue),
// colour their areas with it and so need no visualMap component in the wall's ECharts (about 10 KB of
// gzipped script); the desk's map keeps ECharts' own legend. tests/web/ramp.test.ts draws both ways.

const parse = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The colour of `value` on `ramp` (#rrggbb stops, low to high) over lo..hi; null outside it (not a value on the scale). */
export function rampColour(value: number, lo: number, hi: number, ramp: readonly string[]): string | null {
  if (!(value >= lo && value <= hi) || !(hi > lo)) return null;
  // echarts' linearMap onto [0, 1], then fastLerp's position between the stops.
  const at = (value === lo ? 0 : value === hi ? 1 : ((value - lo) / (hi - lo)) * 1 + 0) * (ramp.length - 1);
  const left = parse(ramp[Math.floor(at)]);
  const right = parse(ramp[Math.ceil(at)]);
  const dv = at - Math.floor(at);
  const [r, g, b] = [0, 1, 2].map((c) => Math.min(255, Math.max(0, Math.round(left[c] + (right[c] - left[c]) * dv))));
  return `rgba(${r},${g},${b},1)`;
}
