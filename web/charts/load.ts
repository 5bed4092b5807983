// When ECharts arrives. A wall's cold load paints its charts from the server's drawings first, so no
// chart code need run, or even be fetched, before its first paint: a chart loads ECharts when it
// draws itself (EChart.ts), and the maps are registered once it is there (geo.ts), whoever brought it
// (the desk's chart card imports it outright, charts/desk.ts).
import type { echarts as Instance } from './echarts.ts';

export type ECharts = typeof Instance;

let arrived!: (e: ECharts) => void;

/** Resolves with ECharts once its module has run (echarts.ts calls markArrived). */
export const echartsArrived: Promise<ECharts> = new Promise((resolve) => (arrived = resolve));

export const markArrived = (e: ECharts): void => arrived(e);

/** ECharts, fetched and run on the first call (a chunk of its own). */
export const loadECharts = (): Promise<ECharts> => import('./echarts.ts').then((m) => m.echarts);
