// @vitest-environment happy-dom
// Components mounted in a DOM: the sortable table, the stale badge, the chart wrapper (ECharts
// replaced by a recorder: canvas drawing is the browser tests' job) and the i18n messages.
import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import DataTable, { sortRows, type Column } from '../../web/components/DataTable.ts';
import StaleBadge from '../../web/components/StaleBadge.ts';
import en from '../../web/i18n/en.ts';
import zhCN from '../../web/i18n/zh-CN.ts';

const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), on: vi.fn(), getDataURL: vi.fn(() => 'data:image/png;base64,x') };
const init = vi.fn((_el: HTMLElement, _theme: unknown, _opts: { devicePixelRatio: number }) => chart);
// The recorder stands in for charts/echarts.ts, which says it has arrived when it runs (charts/load.ts).
vi.mock('../../web/charts/echarts.ts', async () => {
  const echarts = { init: (...a: Parameters<typeof init>) => init(...a), registerMap: vi.fn(), use: vi.fn() };
  (await import('../../web/charts/load.ts')).markArrived(echarts as never);
  return { echarts };
});

/** ECharts loaded, as it is once the first chart of a page has drawn itself. */
async function echartsLoaded() {
  await (await import('../../web/charts/load.ts')).loadECharts();
  await Promise.resolve();
}

interface Row { code: string; name: string; rate: number | null }
const rows: Row[] = [
  { code: '450102', name: '兴宁区', rate: 70.5 },
  { code: '450103', name: '青秀区', rate: null },
  { code: '450105', name: '江南区', rate: 81.25 },
];
const columns: Column<Row>[] = [
  { key: 'name', label: '单位' },
  { key: 'rate', label: '成功率', align: 'right', format: (r) => (r.rate === null ? '—' : `${r.rate.toFixed(2)}%`) },
];

describe('sortable table', () => {
  it('sorts numbers, missing values last in both directions', () => {
    const col = columns[1];
    expect(sortRows(rows, col, 'desc').map((r) => r.code)).toEqual(['450105', '450102', '450103']);
    expect(sortRows(rows, col, 'asc').map((r) => r.code)).toEqual(['450102', '450105', '450103']);
  });

  it('clicking a header sorts by it and says so to screen readers', async () => {
    const w = mount(DataTable, { props: { columns, rows, rowKey: (r: Row) => r.code, sortKey: 'rate', sortDir: 'desc' } });
    expect(w.findAll('tbody tr').map((tr) => tr.attributes('data-key'))).toEqual(['450105', '450102', '450103']);
    expect(w.find('th[aria-sort="descending"]').text()).toContain('成功率');
    await w.find('button[data-sort="rate"]').trigger('click');
    expect(w.findAll('tbody tr').map((tr) => tr.attributes('data-key'))).toEqual(['450102', '450105', '450103']);
    expect(w.find('th[aria-sort="ascending"]').exists()).toBe(true);
    expect(w.findAll('tbody td')[1].text()).toBe('70.50%');
  });

  it('a clickable row reports itself (drill-down)', async () => {
    const w = mount(DataTable, { props: { columns, rows, rowKey: (r: Row) => r.code, clickable: true } });
    await w.find('tbody tr').trigger('click');
    expect(w.emitted('rowClick')?.[0]).toEqual([rows[0]]);
  });
});

describe('stale badge', () => {
  it('shows the data date while live, and the last good time when stale', async () => {
    const w = mount(StaleBadge, { props: { stale: false, liveText: '数据截至 2023-07-31', staleText: '数据未更新 · 截至 14:05' } });
    expect(w.attributes('data-stale')).toBe('false');
    expect(w.text()).toBe('数据截至 2023-07-31');
    await w.setProps({ stale: true });
    expect(w.attributes('data-stale')).toBe('true');
    expect(w.text()).toBe('数据未更新 · 截至 14:05');
    expect(w.classes()).toContain('stale');
  });
});

describe('chart wrapper', () => {
  it('creates the chart at the screen pixel ratio, draws the first option without animation, applies options whole, and disposes on unmount', async () => {
    Object.defineProperty(window, 'devicePixelRatio', { value: 2, configurable: true });
    const { default: EChart } = await import('../../web/charts/EChart.ts');
    const option = { series: [{ type: 'line' as const, data: [1, 2] }] };
    const w = mount(EChart, { props: { option, label: '趋势' }, attachTo: document.body });
    // ECharts is not part of the page until a chart draws itself: the first chart loads it, then draws.
    expect(init).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(init).toHaveBeenCalledTimes(1));
    expect(init.mock.calls[0][2].devicePixelRatio).toBe(2);
    // The first draw shows the data at once, not grown in over the next frames.
    expect(chart.setOption).toHaveBeenLastCalledWith({ ...option, animation: false }, { notMerge: true, lazyUpdate: false });
    expect(w.attributes('role')).toBe('img');
    expect(w.attributes('aria-label')).toBe('趋势');

    const next = { series: [{ type: 'line' as const, data: [3] }] };
    await w.setProps({ option: next });
    await nextTick();
    // A change animates as the option says.
    expect(chart.setOption).toHaveBeenLastCalledWith(next, { notMerge: true, lazyUpdate: false });

    // It is drawn once ECharts reports a render of an option with data.
    const rendered = chart.on.mock.calls.find(([event]) => event === 'rendered')![1] as () => void;
    rendered();
    await nextTick();
    expect(w.attributes('data-drawn')).toBe('true');

    w.unmount();
    expect(chart.dispose).toHaveBeenCalled();
  });

  it('redraws when its element changes size, not for the observer’s first report at the size it was drawn at', async () => {
    // happy-dom lays nothing out: the element's size, the ResizeObserver and the frame clock are ours.
    let size = [900, 600];
    const proto = HTMLElement.prototype;
    const saved = ['clientWidth', 'clientHeight'].map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)] as const);
    Object.defineProperty(proto, 'clientWidth', { get: () => size[0], configurable: true });
    Object.defineProperty(proto, 'clientHeight', { get: () => size[1], configurable: true });
    const report: (() => void)[] = [];
    vi.stubGlobal('ResizeObserver', class { constructor(cb: () => void) { report.push(cb); } observe() {} disconnect() {} });
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => (cb(0), 1));
    try {
      const { default: EChart } = await import('../../web/charts/EChart.ts');
      await echartsLoaded();
      chart.resize.mockClear();
      const w = mount(EChart, { props: { option: { series: [] } }, attachTo: document.body });
      expect(report).toHaveLength(1);
      report[0](); // the first report, at the size the chart was created at
      expect(chart.resize).not.toHaveBeenCalled();
      size = [900, 400];
      report[0]();
      expect(chart.resize).toHaveBeenCalledTimes(1);
      report[0](); // no change since
      expect(chart.resize).toHaveBeenCalledTimes(1);
      w.unmount();
    } finally {
      vi.unstubAllGlobals();
      for (const [k, d] of saved) if (d) Object.defineProperty(proto, k, d);
      else delete (proto as unknown as Record<string, unknown>)[k];
    }
  });
});

describe('a chart on a page not shown yet', () => {
  const later: (() => void)[] = [];
  const mountOffscreen = async () => {
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => later.push(cb));
    vi.stubGlobal('cancelIdleCallback', vi.fn());
    const { default: EChart } = await import('../../web/charts/EChart.ts');
    await echartsLoaded();
    init.mockClear();
    later.length = 0;
    return mount(EChart, { props: { option: { series: [] }, offscreen: true }, attachTo: document.body });
  };

  it('is drawn once the browser is idle, not at mount', async () => {
    try {
      const w = await mountOffscreen();
      expect(init).not.toHaveBeenCalled();
      expect(later).toHaveLength(1);
      later[0]();
      expect(init).toHaveBeenCalledTimes(1);
      w.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('is drawn at once when its page turns up first, and only once', async () => {
    try {
      const w = await mountOffscreen();
      await w.setProps({ offscreen: false });
      await nextTick();
      expect(init).toHaveBeenCalledTimes(1);
      later[0](); // the idle moment that comes after
      expect(init).toHaveBeenCalledTimes(1);
      w.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("a chart whose picture drawn on the server is on its way (awaitFirstPaint)", () => {
  const later: (() => void)[] = [];
  const PICTURE = '<svg viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';
  const mountAwaiting = async () => {
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => later.push(cb));
    vi.stubGlobal('cancelIdleCallback', vi.fn());
    // a frame at once: the picture is on screen before the idle moment is asked for
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => (cb(0), 1));
    const { default: EChart } = await import('../../web/charts/EChart.ts');
    await echartsLoaded();
    init.mockClear();
    chart.setOption.mockClear();
    later.length = 0;
    return mount(EChart, { props: { option: { series: [] }, awaitFirstPaint: true }, attachTo: document.body });
  };

  it('neither draws nor waits for an idle moment until the picture has come; shows it, drawn, and draws over it when idle', async () => {
    try {
      const w = await mountAwaiting();
      expect(init).not.toHaveBeenCalled();
      expect(later).toHaveLength(0);
      expect(w.attributes('data-drawn')).toBe('false');
      await w.setProps({ firstPaint: PICTURE, awaitFirstPaint: false });
      await nextTick();
      expect(w.find('.echart-first-paint svg').exists()).toBe(true);
      expect(w.attributes('data-drawn')).toBe('true');
      expect(init).not.toHaveBeenCalled();
      expect(later).toHaveLength(1);
      later[0]();
      expect(init).toHaveBeenCalledTimes(1);
      expect(chart.setOption).toHaveBeenCalledTimes(1);
      expect(w.find('.echart-first-paint').exists()).toBe(false);
      w.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('draws at once when the picture is known not to come', async () => {
    try {
      const w = await mountAwaiting();
      await w.setProps({ awaitFirstPaint: false });
      await nextTick();
      expect(init).toHaveBeenCalledTimes(1);
      expect(w.find('.echart-first-paint').exists()).toBe(false);
      w.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('holds back every chart that can wait (offscreen, behind its picture) until no picture is awaited, then draws them when idle', async () => {
    vi.stubGlobal('requestIdleCallback', (cb: () => void) => later.push(cb));
    vi.stubGlobal('cancelIdleCallback', vi.fn());
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => (cb(0), 1));
    try {
      const { default: EChart } = await import('../../web/charts/EChart.ts');
      await echartsLoaded();
      init.mockClear();
      later.length = 0;
      const chartOf = (props: Record<string, unknown>) => mount(EChart, { props: { option: { series: [] }, ...props }, attachTo: document.body });
      // A chart mounted before the awaiting one (a panel to its left) asks for its idle moment at once ...
      const before = chartOf({ offscreen: true });
      expect(later).toHaveLength(1);
      const awaiting = chartOf({ awaitFirstPaint: true });
      const after = chartOf({ offscreen: true });
      // ... and when that comes while a picture is awaited, it waits on.
      later.shift()!();
      expect(init).not.toHaveBeenCalled();
      expect(later).toHaveLength(0);
      await awaiting.setProps({ firstPaint: PICTURE, awaitFirstPaint: false });
      await nextTick();
      // The picture is up; all three wait for the idle moment after it, none has drawn.
      expect(awaiting.find('.echart-first-paint').exists()).toBe(true);
      expect(later).toHaveLength(3);
      expect(init).not.toHaveBeenCalled();
      later.forEach((go) => go());
      expect(init).toHaveBeenCalledTimes(3);
      for (const w of [before, awaiting, after]) w.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('waits 3 s at most: a picture that never comes does not leave the chart undrawn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const w = await mountAwaiting();
      vi.advanceTimersByTime(2900);
      expect(init).not.toHaveBeenCalled();
      vi.advanceTimersByTime(100);
      expect(init).toHaveBeenCalledTimes(1);
      w.unmount();
    } finally {
      vi.useRealTimers();
      vi.unstubAllGlobals();
    }
  });
});

describe('messages', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  it('English has every Chinese key and no other', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });
});
