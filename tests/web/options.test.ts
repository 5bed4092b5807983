// Chart options are pure functions of data and screen: checked here without a browser.
import { describe, expect, it } from 'vitest';
import { rankedBarOption } from '../../web/charts/options/bars.ts';
import { dimensionBarsOption } from '../../web/charts/options/dimensions.ts';
import { growthOption } from '../../web/charts/options/growth.ts';
import { choroplethOption, colourRange } from '../../web/charts/options/map.ts';
import { hugRange, yearOverYearOption } from '../../web/charts/options/trend.ts';
import { darkTheme, lightTheme, type ChartContext } from '../../web/charts/theme.ts';
import { formatPercent, formatQuantity } from '../../core/format.ts';
import { monthAxis, partialDay, TWELVE_MONTHS } from '../../web/format/months.ts';

const wall: ChartContext = { theme: darkTheme, scale: 1 };
const wall4k: ChartContext = { theme: darkTheme, scale: 2 };
const desk: ChartContext = { theme: lightTheme, scale: 1 };

type AnyObj = Record<string, any>;
const series = (o: AnyObj) => o.series as AnyObj[];

describe('choropleth', () => {
  const values = [
    { code: '450102', name: '兴宁区', value: 81.5 },
    { code: '450103', name: '青秀区', value: 64.2 },
    { code: '450105', name: '江南区', value: null },
  ];
  const opt = choroplethOption({ mapName: 'guangxi-counties', values, seriesName: '综合得分', format: (v) => v.toFixed(1) }, wall) as AnyObj;

  it('keys each area by its code, the key the GeoJSON is registered with', () => {
    expect(series(opt)[0].data.map((d: AnyObj) => d.name)).toEqual(['450102', '450103', '450105']);
  });
  it('a county without a value is drawn as empty, not as zero', () => {
    expect(series(opt)[0].data[2].value).toBe('-');
  });
  it('on the wall, which nobody points at, there is no tooltip', () => {
    expect(opt.tooltip).toBeUndefined();
  });
  it('on the wall an area has no hover state (no hidden label per area to build); on the desk it lights up and names itself', () => {
    expect(series(opt)[0].emphasis).toEqual({ disabled: true, label: { show: false } });
    expect(series(opt)[0].select).toEqual({ disabled: true, label: { show: false } });
    expect(series(opt)[0].silent).toBe(true);
    const deskOpt = choroplethOption({ mapName: 'guangxi-counties', values, seriesName: '综合得分', format: (v) => v.toFixed(1) }, desk) as AnyObj;
    expect(series(deskOpt)[0].emphasis.label.show).toBe(true);
    expect(series(deskOpt)[0].silent).toBeUndefined();
  });
  it('the colour range spans the values, on whole numbers', () => {
    expect(opt.visualMap.min).toBe(64);
    expect(opt.visualMap.max).toBe(82);
  });
  it("a legend drawn beside the chart (the wall's) reads the same range; the chart then draws none of its own", () => {
    expect(colourRange({ values })).toEqual({ lo: opt.visualMap.min, hi: opt.visualMap.max });
    expect(opt.visualMap.show).toBe(true);
    const bare = choroplethOption({ mapName: 'guangxi-counties', values, seriesName: '综合得分', format: (v) => v.toFixed(1), showLegend: false }, wall) as AnyObj;
    // No visualMap at all (the wall's ECharts has none): each area carries its colour on the same
    // ramp, the range's ends its ends, a county without a value none (the empty colour).
    expect(bare.visualMap).toBeUndefined();
    const colours = series(bare)[0].data.map((d: AnyObj) => d.itemStyle?.areaColor ?? null);
    const rgba = (hex: string) => `rgba(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')},1)`;
    const ramp = opt.visualMap.inRange.color as string[];
    values.forEach((v, i) => {
      if (v.value === null) expect(colours[i]).toBeNull();
      else if (v.value === opt.visualMap.min) expect(colours[i]).toBe(rgba(ramp[0]));
      else if (v.value === opt.visualMap.max) expect(colours[i]).toBe(rgba(ramp.at(-1)!));
      else expect(ramp.map(rgba)).not.toContain(colours[i]);
    });
  });
  it('the tooltip names the county in Chinese and formats the value', () => {
    const deskOpt = choroplethOption({ mapName: 'guangxi-counties', values, seriesName: '综合得分', format: (v) => v.toFixed(1) }, desk) as AnyObj;
    const text = deskOpt.tooltip.formatter({ data: series(deskOpt)[0].data[0] });
    expect(text).toContain('兴宁区');
    expect(text).toContain('81.5');
  });
  it('outlines the selected unit', () => {
    const sel = choroplethOption({ mapName: 'm', values, seriesName: 's', format: String, selected: '450103' }, desk) as AnyObj;
    expect(series(sel)[0].data[1].itemStyle.borderColor).toBe(lightTheme.warn);
  });
});

describe('ranked bars', () => {
  const rows = [
    { code: '450100', name: '南宁', value: 80 },
    { code: '450200', name: '柳州', value: 90 },
    { code: '450300', name: '桂林', value: null },
  ];
  it('puts the best at the top (ECharts draws the first category at the bottom)', () => {
    const opt = rankedBarOption({ rows, seriesName: '产改指数', format: String }, wall) as AnyObj;
    expect(opt.yAxis.data).toEqual(['桂林', '南宁', '柳州']);
    expect(series(opt)[0].data.map((d: AnyObj) => d.code)).toEqual(['450300', '450100', '450200']);
  });
  it('draws the target as a dashed line when given', () => {
    const opt = rankedBarOption({ rows, seriesName: 's', format: String, target: { value: 72, label: '目标' } }, wall) as AnyObj;
    expect(series(opt)[0].markLine.data).toEqual([{ xAxis: 72 }]);
  });
  it('a long ranking shows its best 20 with every name, and scrolls to the rest', () => {
    const many = Array.from({ length: 111 }, (_, i) => ({ code: String(450000 + i), name: `县${i}`, value: i }));
    const opt = rankedBarOption({ rows: many, seriesName: 's', format: String, window: 20 }, desk) as AnyObj;
    expect(opt.yAxis.data).toHaveLength(111);
    const best = opt.yAxis.data.slice(opt.dataZoom[0].startValue, opt.dataZoom[0].endValue + 1);
    expect(best).toEqual(many.slice(91).map((r) => r.name));
    expect(opt.dataZoom.map((z: AnyObj) => [z.type, z.yAxisIndex, z.startValue, z.endValue, z.zoomLock])).toEqual([
      ['inside', 0, 91, 110, true],
      ['slider', 0, 91, 110, true],
    ]);
    expect(opt.yAxis.axisLabel.interval).toBe(0);
    // A ranking that fits, and the wall's (no window), do not scroll.
    expect(rankedBarOption({ rows: many.slice(0, 20), seriesName: 's', format: String, window: 20 }, desk)).not.toHaveProperty('dataZoom');
    expect(rankedBarOption({ rows: many, seriesName: 's', format: String }, wall)).not.toHaveProperty('dataZoom');
  });
});

describe('year over year', () => {
  it('a 4K wall draws text at twice the size of a 1080p wall', () => {
    const input = { months: ['1月'], current: { label: '2023年', values: [72.2] }, previous: null, format: String };
    const small = yearOverYearOption(input, wall) as AnyObj;
    const big = yearOverYearOption(input, wall4k) as AnyObj;
    expect(big.xAxis.axisLabel.fontSize).toBe(2 * small.xAxis.axisLabel.fontSize);
  });
  it('the y axis hugs rates of 60-80% instead of starting at zero', () => {
    expect(hugRange([69.98, 72.2])).toEqual({ min: 69, max: 73 });
  });
  it('last year is a second, dashed line; the target a flat dashed line labelled at its end, outside the legend', () => {
    const opt = yearOverYearOption(
      { months: ['1月', '2月'], current: { label: '2023年', values: [72, 73] }, previous: { label: '2022年', values: [70, 69] }, target: { value: 72, label: '目标 72%' }, format: String },
      wall,
    ) as AnyObj;
    expect(series(opt).map((s) => s.name)).toEqual(['2023年', '目标 72%', '2022年']);
    expect(series(opt)[2].lineStyle.type).toBe('dashed');
    const target = series(opt)[1];
    expect(target.lineStyle.type).toBe('dashed');
    expect(target.data.map((d: AnyObj | number) => (typeof d === 'number' ? d : d.value))).toEqual([72, 72]);
    expect(target.data[1].label).toMatchObject({ show: true, formatter: '目标 72%' });
    expect(opt.legend.data).toEqual(['2023年', '2022年']);
  });
});

describe('growth and dimensions', () => {
  it('members as bars and growth on a second axis', () => {
    const opt = growthOption(
      { years: [{ year: 2020, value: 1_440_000, growth: null }, { year: 2023, value: 2_270_000, growth: 14.6 }], valueName: '会员', growthName: '增长', formatValue: String, formatGrowth: String },
      desk,
    ) as AnyObj;
    expect(series(opt)[0].data).toEqual([1_440_000, 2_270_000]);
    expect(series(opt)[1].yAxisIndex).toBe(1);
  });
  it('dimension scores (percent of each maximum) against city and province, on a 0-100% axis', () => {
    const opt = dimensionBarsOption(
      { dimensions: [{ name: '政治引领强', self: 75, city: 80, province: null }], labels: { self: '本县', city: '市', province: '区' } },
      desk,
    ) as AnyObj;
    expect(series(opt).map((s) => s.data[0])).toEqual([75, 80, null]);
    expect(series(opt).map((s) => s.name)).toEqual(['本县', '市', '区']);
    expect([opt.xAxis.min, opt.xAxis.max]).toEqual([0, 100]);
  });
});

/** Every tick label of an explicit value axis, as ECharts prints them (min, min + interval, ... max). */
function tickLabels(axis: AnyObj): string[] {
  expect(axis.interval, 'the builder fixes the tick interval').toBeGreaterThan(0);
  const out: string[] = [];
  for (let i = 0; axis.min + i * axis.interval <= axis.max + axis.interval / 1e6; i++) out.push(axis.axisLabel.formatter(axis.min + i * axis.interval));
  return out;
}
const rate = (v: number, d?: number) => formatPercent(v, d ?? 1);

describe('axis ticks never repeat a label', () => {
  it('the analyst monthly mediation axis (75.4, 74.9, 74.2, 73.8, 73.2%) reads 73%, 74%, 75%, 76%', () => {
    const values = [75.4, 74.9, 74.2, 73.8, 73.2];
    const opt = yearOverYearOption({ months: ['1月', '2月', '3月', '4月', '5月'], current: { label: '2026', values }, previous: null, format: rate }, desk) as AnyObj;
    const labels = tickLabels(opt.yAxis);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('74%');
    expect(opt.yAxis.min).toBeLessThanOrEqual(73.2);
    expect(opt.yAxis.max).toBeGreaterThanOrEqual(75.4);
  });
  it('a flat year (73.41..73.58%) gets decimals on its ticks rather than one label five times', () => {
    const opt = yearOverYearOption({ months: ['1月', '2月', '3月'], current: { label: '2026', values: [73.41, 73.5, 73.58] }, previous: null, format: rate, min: 73.4, max: 73.6 }, desk) as AnyObj;
    const labels = tickLabels(opt.yAxis);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toBe('73.40%');
  });
  it('ranked bars: ticks from zero, distinct, whatever the spread', () => {
    for (const top of [3.2, 9.7, 74.9, 100, 152_119]) {
      const rows = [{ code: 'a', name: 'a', value: top }, { code: 'b', name: 'b', value: top / 3 }];
      const opt = rankedBarOption({ rows, seriesName: 's', format: rate }, desk) as AnyObj;
      const labels = tickLabels(opt.xAxis);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
      expect(opt.xAxis.min).toBe(0);
    }
  });
  it('member growth: both axes distinct (members in 万, growth in percent)', () => {
    const opt = growthOption(
      {
        years: [{ year: 2020, value: 1_440_000, growth: null }, { year: 2021, value: 1_700_000, growth: 1.2 }, { year: 2022, value: 1_960_000, growth: 2.9 }],
        valueName: '会员',
        growthName: '增长',
        formatValue: (v) => formatQuantity(v, 'count', 'zh-CN'),
        formatGrowth: rate,
      },
      desk,
    ) as AnyObj;
    for (const axis of opt.yAxis) {
      const labels = tickLabels(axis);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
  });
});

describe('the current month is drawn as partial, not as a collapse', () => {
  const values = [74, 75, 73, 72, 74, 75, 76, 74, 73, 75, 76, 41];
  const axis = monthAxis(2026, TWELVE_MONTHS, '2026-12-06', 'zh-CN');
  const opt = yearOverYearOption({ months: axis.labels, partialIndex: axis.partialIndex, current: { label: '2026', values }, previous: null, format: rate }, desk) as AnyObj;

  it('its axis label says how far it goes: 12月(截至6日)', () => {
    expect(axis.partialIndex).toBe(11);
    expect(opt.xAxis.data[11]).toBe('12月(截至6日)');
    expect(opt.xAxis.data[10]).toBe('11月');
    // When ECharts thins the labels for room, the partial month's is always kept.
    expect(opt.xAxis.axisLabel.interval(11)).toBe(true);
    expect(opt.xAxis.axisLabel.interval(10)).toBe(false);
  });
  it('the solid line stops at November; a dashed segment with a hollow point carries December', () => {
    const [solid, partial] = series(opt);
    expect(solid.data[10]).toBe(76);
    expect(solid.data[11]).toBeNull();
    expect(partial.name).toBe(solid.name);
    expect(partial.lineStyle.type).toBe('dashed');
    expect(partial.symbol).toBe('emptyCircle');
    expect(partial.data.filter((v: unknown) => v !== null)).toEqual([76, 41]);
  });
  it('the tooltip names this year once, even where the two pieces meet', () => {
    const text = opt.tooltip.formatter([
      { seriesName: '2026', axisValueLabel: '11月', value: 76, marker: '' },
      { seriesName: '2026', axisValueLabel: '11月', value: 76, marker: '' },
    ]);
    expect(text.match(/2026/g)).toHaveLength(1);
    expect(text).toContain('76.0%');
  });
  it('a month whose last day is in the data is complete; so is any other year', () => {
    expect(partialDay('2026-11-30', 2026, 11)).toBeNull();
    expect(partialDay('2026-02-28', 2026, 2)).toBeNull();
    expect(partialDay('2024-02-28', 2024, 2)).toBe(28);
    expect(partialDay('2026-12-06', 2025, 12)).toBeNull();
    expect(monthAxis(2025, TWELVE_MONTHS, '2026-12-06', 'en')).toMatchObject({ partialIndex: null, labels: expect.arrayContaining(['Dec']) });
  });
  it('without a partial month there is one line for this year', () => {
    const full = yearOverYearOption({ months: ['1月', '2月'], current: { label: '2026', values: [70, 71] }, previous: null, format: rate }, desk) as AnyObj;
    expect(series(full)).toHaveLength(1);
  });
  it('in English the label reads Dec (to 6th)', () => {
    expect(monthAxis(2026, TWELVE_MONTHS, '2026-12-06', 'en').labels[11]).toBe('Dec (to 6th)');
  });
});
