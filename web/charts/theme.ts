// Two palettes: the wall's dark control room and the desk's light workbench. Calm: one accent blue,
// muted greys, status colours used only for status (met / near / behind).
export interface ChartTheme {
  name: 'dark' | 'light';
  text: string;
  muted: string;
  axis: string;
  grid: string;
  /** hover tooltips: on the desk; a wall has no pointer (and its pages ship no tooltip code) */
  tooltips: boolean;
  tooltipBg: string;
  tooltipBorder: string;
  /** series colours in order: this year, last year, third */
  series: readonly string[];
  accent: string;
  good: string;
  warn: string;
  bad: string;
  /** low -> high for choropleths */
  ramp: readonly string[];
  mapBorder: string;
  mapEmpty: string;
  fontFamily: string;
}

// Single quotes: the server's SVG drawings (ECharts' SSR) put the family inside a double-quoted style attribute.
const fontFamily = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";

export const darkTheme: ChartTheme = {
  name: 'dark',
  text: '#d5e1ef',
  muted: '#7d8fa8',
  axis: 'rgba(160, 185, 220, 0.28)',
  grid: 'rgba(160, 185, 220, 0.08)',
  tooltips: false,
  tooltipBg: 'rgba(12, 22, 38, 0.94)',
  tooltipBorder: 'rgba(90, 150, 230, 0.35)',
  series: ['#4ea1ff', '#7d8fa8', '#36c2a7'],
  accent: '#4ea1ff',
  good: '#36c2a7',
  warn: '#e8b04b',
  bad: '#e86a6a',
  ramp: ['#16273f', '#1c3f66', '#22608f', '#2f86b5', '#4fb0d6', '#9adbef'],
  mapBorder: 'rgba(8, 15, 27, 0.9)',
  mapEmpty: '#1a2433',
  fontFamily,
};

export const lightTheme: ChartTheme = {
  name: 'light',
  text: '#1f2d3d',
  muted: '#66768a',
  axis: '#c9d3df',
  grid: '#eef2f6',
  tooltips: true,
  tooltipBg: 'rgba(255, 255, 255, 0.97)',
  tooltipBorder: '#d4dde8',
  series: ['#1f6fd1', '#9aa7b6', '#1a9c80'],
  accent: '#1f6fd1',
  good: '#1a9c80',
  warn: '#c98a12',
  bad: '#cc4b4b',
  ramp: ['#e8f1fb', '#c4dcf4', '#93bfe8', '#5b9bd8', '#2f76c2', '#1b4f8f'],
  mapBorder: '#ffffff',
  mapEmpty: '#eef1f4',
  fontFamily,
};

export const themes = { dark: darkTheme, light: lightTheme } as const;

/** What every option builder gets besides its data. */
export interface ChartContext {
  theme: ChartTheme;
  /** font/size scale: 1 at a 1920-wide wall or a desk; 2 at 3840 */
  scale: number;
}

/** A pixel size scaled for the screen, rounded to whole pixels. */
export const px = (ctx: ChartContext, n: number) => Math.round(n * ctx.scale);
