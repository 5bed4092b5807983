// Numbers as officials read them, for every page, chart, tooltip, sentence and export: thousands
// separators ("152,119"), 万 and 亿 in Chinese ("227万人", "10.97亿元"), thousand/million/billion in
// English, percentages with two decimals as the source figures give them ("72.20%"). Pure and IO-free:
// the server (exports, sentences) and the web (tiles, tables, charts) both import it.

export type Locale = 'zh-CN' | 'en';

/** What a number counts: decides the unit word and the precision. */
export type Quantity = 'people' | 'cases' | 'yuan' | 'count' | 'percent' | 'days' | 'points' | 'score';

/** The catalog's unit of an indicator value. */
export type ValueUnit = 'count' | 'percent' | 'yuan' | 'days' | 'boolean' | 'ratio';

/** A fixed-precision number column of a table or export. */
export type FixedKind = 'integer' | 'decimal1' | 'decimal2' | 'percent' | 'yuan';

export interface QuantityParts {
  /** The number as shown, e.g. "227" or "10.97". */
  value: string;
  /** What follows it, e.g. "万人", "亿元", "%", " million people". Empty for bare counts in English. */
  unit: string;
}

export const DASH = '—';

const ZH_UNIT: Record<Quantity, string> = { people: '人', cases: '件', yuan: '元', count: '', percent: '%', days: '天', points: '分', score: '' };
const EN_UNIT: Record<Quantity, string> = { people: 'people', cases: 'cases', yuan: 'yuan', count: '', percent: '%', days: 'days', points: 'pts', score: '' };

const missing = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || !Number.isFinite(n);

/** Drop trailing zeros after the decimal point: "3.40" -> "3.4", "227.00" -> "227". */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Commas every three digits of the integer part: "152119.5" -> "152,119.5". */
function group(s: string): string {
  const [int, frac] = s.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** The one place a number becomes digits: `decimals` fixed, thousands separated, "−0" shown as "0". */
export function formatNumber(n: number, decimals = 0): string {
  const s = n.toFixed(decimals);
  return group(/^-0(\.0*)?$/.test(s) ? s.slice(1) : s);
}

/** Like formatNumber, with trailing zeros dropped: 3.40 -> "3.4", 1200.00 -> "1,200". */
export function formatTrimmed(n: number, maxDecimals = 2): string {
  return group(trimZeros(n.toFixed(maxDecimals)).replace(/^-0$/, '0'));
}

/** Three significant digits (at most two decimals, trailing zeros dropped): 3.48, 34.8, 227, 1,110. */
function threeSignificant(x: number): string {
  const abs = Math.abs(x);
  return formatTrimmed(x, abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

/**
 * Chinese magnitude: below 1万 the integer ("4,800"), 1万 to 1亿 in 万 with three significant digits
 * ("3.48万", "227万", "1,110万"), from 1亿 in 亿 with two decimals ("10.97亿").
 */
export function zhMagnitude(n: number): { value: string; magnitude: '' | '万' | '亿' } {
  const abs = Math.abs(n);
  // 9999.6万 would round to "10000万": say 1.00亿 instead.
  if (abs >= 1e8 || (abs >= 1e4 && Math.abs(Number(threeSignificant(n / 1e4).replace(/,/g, ''))) >= 1e4)) {
    return { value: formatNumber(n / 1e8, 2), magnitude: '亿' };
  }
  if (abs >= 1e4) return { value: threeSignificant(n / 1e4), magnitude: '万' };
  return { value: formatNumber(n, 0), magnitude: '' };
}

/** English magnitude: thousand (K), million, billion with three significant digits. */
export function enMagnitude(n: number): { value: string; magnitude: '' | 'K' | 'million' | 'billion' } {
  const abs = Math.abs(n);
  if (abs >= 1e9) return { value: threeSignificant(n / 1e9), magnitude: 'billion' };
  if (abs >= 1e6) return { value: threeSignificant(n / 1e6), magnitude: 'million' };
  if (abs >= 1e5) return { value: threeSignificant(n / 1e3), magnitude: 'K' };
  return { value: formatNumber(n, 0), magnitude: '' };
}

/** A percentage as the source figures give it: two decimals, "72.20%". */
export function formatPercent(p: number | null | undefined, decimals = 2): string {
  if (missing(p)) return DASH;
  return `${formatNumber(p, decimals)}%`;
}

const signOf = (d: number, decimals: number) => (Number(d.toFixed(decimals)) > 0 ? '+' : Number(d.toFixed(decimals)) < 0 ? '−' : '±');

/** A change in percentage points: "+2.22个百分点" / "+2.22 pts". */
export function formatPointChange(d: number | null | undefined, locale: Locale, decimals = 2): string {
  if (missing(d)) return DASH;
  const v = formatNumber(Math.abs(d), decimals);
  return locale === 'zh-CN' ? `${signOf(d, decimals)}${v}个百分点` : `${signOf(d, decimals)}${v} pts`;
}

/** A relative change in percent with one decimal and a sign: "+57.6%", "−3.0%". */
export function formatGrowth(pct: number | null | undefined, decimals = 1): string {
  if (missing(pct)) return DASH;
  return `${signOf(pct, decimals)}${formatNumber(Math.abs(pct), decimals)}%`;
}

/** A score out of 100 (composites, dimension scores): two decimals as published, "96.29". */
export function formatScore(v: number | null | undefined, decimals = 2): string {
  return missing(v) ? DASH : formatNumber(v, decimals);
}

/** Points earned or lost in a sentence: "3.00分" / "3.00 points". */
export function formatPoints(v: number | null | undefined, locale: Locale): string {
  const n = formatNumber(missing(v) ? 0 : v, 2);
  return locale === 'en' ? `${n} points` : `${n}分`;
}

/** The parts of a quantity, so a tile can set the number large and the unit small. */
export function quantityParts(n: number | null | undefined, kind: Quantity, locale: Locale): QuantityParts {
  if (missing(n)) return { value: DASH, unit: '' };
  if (kind === 'percent') return { value: formatNumber(n, 2), unit: '%' };
  if (kind === 'days') return { value: formatTrimmed(n, 1), unit: locale === 'zh-CN' ? '天' : ' days' };
  if (kind === 'points' || kind === 'score') {
    const unit = kind === 'points' ? (locale === 'zh-CN' ? '分' : ' pts') : '';
    return { value: formatTrimmed(n, 2), unit };
  }
  if (locale === 'zh-CN') {
    const { value, magnitude } = zhMagnitude(n);
    return { value, unit: `${magnitude}${ZH_UNIT[kind]}` };
  }
  const { value: digits, magnitude } = enMagnitude(n);
  // "156K people", "2.27 million people": K sticks to the number, words do not.
  const value = magnitude === 'K' ? `${digits}K` : digits;
  const mag = magnitude === 'K' ? '' : magnitude;
  if (kind === 'yuan') return { value: `¥${value}`, unit: mag ? ` ${mag}` : '' };
  const unit = [mag, EN_UNIT[kind]].filter(Boolean).join(' ');
  return { value, unit: unit ? ` ${unit}` : '' };
}

/** "227万人", "10.97亿元", "72.20%", "2.27 million people", "¥1.10 billion". */
export function formatQuantity(n: number | null | undefined, kind: Quantity, locale: Locale): string {
  const { value, unit } = quantityParts(n, kind, locale);
  return `${value}${unit}`;
}

/** A count in a table: "152,119" in both languages. */
export function formatInteger(n: number | null | undefined): string {
  return missing(n) ? DASH : formatNumber(n, 0);
}

/** A rank change as an arrow: "▲3" (moved up three places), "▼2", "—" (unchanged or new). */
export function formatRankChange(change: number | null | undefined): string {
  if (change === null || change === undefined || change === 0) return DASH;
  return change > 0 ? `▲${change}` : `▼${-change}`;
}

/**
 * A value of the catalog's unit, in scorecard cells and sentences: "68.10%", "10万元", "12.5天", "是",
 * "1,234". `none` is what a missing value reads as (a dash in a cell, "无"/"none" in a sentence).
 */
export function formatIndicatorValue(v: number | null | undefined, unit: ValueUnit, locale: Locale, none = DASH): string {
  if (missing(v)) return none;
  switch (unit) {
    case 'percent':
      return formatPercent(v);
    case 'yuan':
      return formatQuantity(v, 'yuan', locale);
    case 'days':
      return formatQuantity(v, 'days', locale);
    case 'boolean':
      return v >= 1 ? (locale === 'zh-CN' ? '是' : 'yes') : locale === 'zh-CN' ? '否' : 'no';
    case 'ratio':
      return formatNumber(v, 2);
    case 'count':
      return formatTrimmed(v, 2);
  }
}

/** A value inside a sentence: as in a cell, but a missing one reads "无" / "none". */
export function formatSentenceValue(v: number | null | undefined, unit: ValueUnit, locale: Locale): string {
  return formatIndicatorValue(v, unit, locale, locale === 'en' ? 'none' : '无');
}

/** A difference between two values of the unit: percentage points for percentages. */
export function formatGap(v: number, unit: ValueUnit, locale: Locale): string {
  if (unit === 'percent') return locale === 'en' ? `${formatNumber(v, 2)} points` : `${formatNumber(v, 2)}个百分点`;
  return formatIndicatorValue(v, unit, locale);
}

/** A target as a sentence states it: "≥ 72.00%", "≤ 15天", "90.00%–100.00%". */
export function formatTarget(
  t: { target: number | null; target_low?: number | null; target_high?: number | null },
  direction: 'higher_better' | 'lower_better' | 'target_band',
  unit: ValueUnit,
  locale: Locale,
): string {
  const none = locale === 'en' ? 'none' : '无';
  if (direction === 'target_band') {
    if (t.target_low == null || t.target_high == null) return none;
    return `${formatIndicatorValue(t.target_low, unit, locale)}–${formatIndicatorValue(t.target_high, unit, locale)}`;
  }
  if (t.target === null) return none;
  if (unit === 'boolean') return formatIndicatorValue(t.target, unit, locale);
  return `${direction === 'lower_better' ? '≤' : '≥'} ${formatIndicatorValue(t.target, unit, locale)}`;
}

/** A short form for secondary text (targets under a tile): English drops the unit word, "2.2M", "¥1.1B". */
export function formatCompact(n: number | null | undefined, kind: Quantity, locale: Locale): string {
  if (locale === 'zh-CN' || kind === 'percent' || missing(n)) return formatQuantity(n, kind, locale);
  const { value, magnitude } = enMagnitude(n);
  const short = { '': '', K: 'K', million: 'M', billion: 'B' }[magnitude];
  return `${kind === 'yuan' ? '¥' : ''}${value}${short}`;
}

// Fixed-precision columns: the PDF/HTML text and the XLSX number format say the same thing.
const FIXED_DECIMALS: Record<FixedKind, number> = { integer: 0, decimal1: 1, decimal2: 2, percent: 2, yuan: 2 };

/** A table cell of a fixed kind: "152,119", "12.5", "96.29", "72.20%", "1,234.50". */
export function formatFixed(v: number | null | undefined, kind: FixedKind): string {
  if (missing(v)) return DASH;
  const s = formatNumber(v, FIXED_DECIMALS[kind]);
  return kind === 'percent' ? `${s}%` : s;
}

/** The spreadsheet number format of a fixed kind (the cell keeps the raw value: 72.2 shows as 72.20%). */
export function excelNumberFormat(kind: FixedKind): string {
  const d = FIXED_DECIMALS[kind];
  const body = d === 0 ? '#,##0' : `#,##0.${'0'.repeat(d)}`;
  return kind === 'percent' ? `${body}"%"` : body;
}

// Axes: ticks a step apart must print distinct labels, so the decimals follow the step.

/** Decimals that keep ticks `step` apart distinct: 5 -> 0, 0.5 -> 1, 0.25 -> 2. */
export function decimalsForStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d < 6; d++) {
    if (Math.abs(Number(step.toFixed(d)) - step) < step * 1e-6) return d;
  }
  return 6;
}

/**
 * A value axis over [lo, hi] in about `count` intervals of a nice step (1, 2, 2.5 or 5 x 10^k), with the
 * decimals its labels need: 72.6..75.4 in 4 -> 72..76 by 1, 0 decimals; 73.1..73.9 -> 73..74 by 0.2, 1.
 */
export function niceScale(lo: number, hi: number, count = 4): { min: number; max: number; interval: number; decimals: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 100, interval: 25, decimals: 0 };
  if (hi < lo) [lo, hi] = [hi, lo];
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const interval = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const decimals = decimalsForStep(interval);
  const snap = (x: number) => Number(x.toFixed(decimals + 2));
  const min = snap(Math.floor(lo / interval + 1e-9) * interval);
  let max = snap(Math.ceil(hi / interval - 1e-9) * interval);
  if (max === min) max = snap(min + interval);
  return { min, max, interval, decimals };
}

// Months on axes and in tables.

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A month on an axis: "12月" / "Dec". With `toDay` the month is not over: "12月(截至6日)" /
 * "Dec (to 6th)", so a short month reads as partial rather than as a collapse.
 */
export function formatMonth(month: number, locale: Locale, toDay?: number | null): string {
  const name = locale === 'en' ? EN_MONTHS[month - 1] : `${month}月`;
  if (toDay === null || toDay === undefined) return name;
  return locale === 'en' ? `${name} (to ${ordinal(toDay)})` : `${name}(截至${toDay}日)`;
}

function ordinal(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${tail}`;
}
