// Numbers as officials read them. Chinese reports count in 万 (10^4) and 亿 (10^8): "227万人",
// "3.48万件", "10.97亿元", "72.20%". English uses thousand/million/billion with the same precision.
// Pure functions: the tiles, tables, tooltips and the briefing all format through here.

export type Locale = 'zh-CN' | 'en';

/** What a number counts: decides the unit word and the precision. */
export type Quantity = 'people' | 'cases' | 'yuan' | 'count' | 'percent' | 'days' | 'points' | 'score';

export interface QuantityParts {
  /** The number as shown, e.g. "227" or "10.97". */
  value: string;
  /** What follows it, e.g. "万人", "亿元", "%", " million people". Empty for bare counts in English. */
  unit: string;
}

const DASH = '—';

const ZH_UNIT: Record<Quantity, string> = {
  people: '人',
  cases: '件',
  yuan: '元',
  count: '',
  percent: '%',
  days: '天',
  points: '分',
  score: '',
};

const EN_UNIT: Record<Quantity, string> = {
  people: 'people',
  cases: 'cases',
  yuan: 'yuan',
  count: '',
  percent: '%',
  days: 'days',
  points: 'pts',
  score: '',
};

/** Drop trailing zeros after the decimal point: "3.40" -> "3.4", "227.00" -> "227". */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A scaled value with three significant digits (at most two decimals, trailing zeros dropped):
 * 3.48, 34.8, 227, 1110.
 */
function threeSignificant(x: number): string {
  const abs = Math.abs(x);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return trimZeros(x.toFixed(decimals));
}

function groupThousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Chinese magnitude: below 1万 the plain integer ("4800"), 1万 to 1亿 in 万 with three significant
 * digits ("3.48万", "227万", "1110万"), from 1亿 in 亿 with two decimals ("10.97亿").
 */
export function zhMagnitude(n: number): { value: string; magnitude: '' | '万' | '亿' } {
  const abs = Math.abs(n);
  if (abs >= 1e8) return { value: (n / 1e8).toFixed(2), magnitude: '亿' };
  if (abs >= 1e4) {
    // 9999.6万 would round to "10000万": say 1.00亿 instead.
    const wan = n / 1e4;
    if (Math.abs(Number(threeSignificant(wan))) >= 1e4) return { value: (n / 1e8).toFixed(2), magnitude: '亿' };
    return { value: threeSignificant(wan), magnitude: '万' };
  }
  return { value: String(Math.round(n)), magnitude: '' };
}

/** English magnitude: thousand (K), million, billion with three significant digits. */
export function enMagnitude(n: number): { value: string; magnitude: '' | 'K' | 'million' | 'billion' } {
  const abs = Math.abs(n);
  if (abs >= 1e9) return { value: threeSignificant(n / 1e9), magnitude: 'billion' };
  if (abs >= 1e6) return { value: threeSignificant(n / 1e6), magnitude: 'million' };
  if (abs >= 1e5) return { value: threeSignificant(n / 1e3), magnitude: 'K' };
  return { value: groupThousands(n), magnitude: '' };
}

/** A percentage as the source figures give it: two decimals, "72.20%". */
export function formatPercent(p: number | null | undefined, decimals = 2): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return DASH;
  return `${p.toFixed(decimals)}%`;
}

/** A change in percentage points: "+2.22个百分点" / "+2.22 pts". */
export function formatPointChange(d: number | null | undefined, locale: Locale, decimals = 2): string {
  if (d === null || d === undefined || !Number.isFinite(d)) return DASH;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const v = Math.abs(d).toFixed(decimals);
  return locale === 'zh-CN' ? `${sign}${v}个百分点` : `${sign}${v} pts`;
}

/** A relative change in percent with one decimal and a sign: "+57.6%", "−3.0%". */
export function formatGrowth(pct: number | null | undefined, decimals = 1): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return DASH;
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${Math.abs(pct).toFixed(decimals)}%`;
}

/** The parts of a quantity, so a tile can set the number large and the unit small. */
export function quantityParts(n: number | null | undefined, kind: Quantity, locale: Locale): QuantityParts {
  if (n === null || n === undefined || !Number.isFinite(n)) return { value: DASH, unit: '' };
  if (kind === 'percent') return { value: n.toFixed(2), unit: '%' };
  if (kind === 'days') return { value: trimZeros(n.toFixed(1)), unit: locale === 'zh-CN' ? '天' : ' days' };
  if (kind === 'points' || kind === 'score') {
    const unit = kind === 'points' ? (locale === 'zh-CN' ? '分' : ' pts') : '';
    return { value: trimZeros(n.toFixed(2)), unit };
  }
  if (locale === 'zh-CN') {
    const { value, magnitude } = zhMagnitude(n);
    return { value, unit: `${magnitude}${ZH_UNIT[kind]}` };
  }
  const { value: digits, magnitude } = enMagnitude(n);
  // "156K people", "2.27 million people": K sticks to the number, words do not.
  const value = magnitude === 'K' ? `${digits}K` : digits;
  const mag = magnitude === 'K' ? '' : magnitude;
  const word = EN_UNIT[kind];
  if (kind === 'yuan') return { value: `¥${value}`, unit: mag ? ` ${mag}` : '' };
  const unit = [mag, word].filter(Boolean).join(' ');
  return { value, unit: unit ? ` ${unit}` : '' };
}

/** "227万人", "10.97亿元", "72.20%", "2.27 million people", "¥1.10 billion". */
export function formatQuantity(n: number | null | undefined, kind: Quantity, locale: Locale): string {
  const { value, unit } = quantityParts(n, kind, locale);
  return `${value}${unit}`;
}

/** A plain integer for tables: "34,800" in English, "34800" in Chinese (as printed reports do). */
export function formatInteger(n: number | null | undefined, locale: Locale): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return locale === 'zh-CN' ? String(Math.round(n)) : groupThousands(n);
}

/** A rank change as an arrow: "▲3" (moved up three places), "▼2", "—" (unchanged or new). */
export function formatRankChange(change: number | null | undefined): string {
  if (change === null || change === undefined || change === 0) return '—';
  return change > 0 ? `▲${change}` : `▼${-change}`;
}

/** A value of the catalog's unit (count, percent, yuan, days, boolean, ratio) for scorecard cells. */
export function formatIndicatorValue(
  v: number | null | undefined,
  unit: 'count' | 'percent' | 'yuan' | 'days' | 'boolean' | 'ratio',
  locale: Locale,
): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  switch (unit) {
    case 'percent':
      return `${trimZeros(v.toFixed(2))}%`;
    case 'yuan':
      return formatQuantity(v, 'yuan', locale);
    case 'days':
      return formatQuantity(v, 'days', locale);
    case 'boolean':
      return v >= 1 ? (locale === 'zh-CN' ? '是' : 'yes') : locale === 'zh-CN' ? '否' : 'no';
    case 'ratio':
      return trimZeros(v.toFixed(2));
    case 'count':
      return Number.isInteger(v) ? formatInteger(v, locale) : trimZeros(v.toFixed(2));
  }
}

/** A short form for secondary text (targets under a tile): English drops the unit word, "2.2M", "¥1.1B". */
export function formatCompact(n: number | null | undefined, kind: Quantity, locale: Locale): string {
  if (locale === 'zh-CN' || kind === 'percent' || n === null || n === undefined || !Number.isFinite(n)) return formatQuantity(n, kind, locale);
  const { value, magnitude } = enMagnitude(n);
  const short = { '': '', K: 'K', million: 'M', billion: 'B' }[magnitude];
  return `${kind === 'yuan' ? '¥' : ''}${value}${short}`;
}
