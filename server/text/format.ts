// Numbers in sentences, as officials read them: percentages with two decimals (72.20%), money in 万元
// and 亿元 in Chinese, days with one decimal. Used for explanations, alerts and the briefing.
export type Lang = 'zh-CN' | 'en';
export type ValueUnit = 'count' | 'percent' | 'yuan' | 'days' | 'boolean' | 'ratio';

const plain = (v: number, digits: number, lang: Lang) =>
  v.toLocaleString(lang === 'en' ? 'en' : 'zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: digits });

export function formatValue(v: number | null | undefined, unit: ValueUnit, lang: Lang): string {
  if (v === null || v === undefined) return lang === 'en' ? 'none' : '无';
  switch (unit) {
    case 'percent':
      return `${v.toFixed(2)}%`;
    case 'yuan':
      if (lang === 'en') return `${plain(v, Math.abs(v) >= 1e4 ? 0 : 2, lang)} yuan`;
      if (Math.abs(v) >= 1e8) return `${(v / 1e8).toFixed(2)}亿元`;
      if (Math.abs(v) >= 1e4) return `${(v / 1e4).toFixed(2)}万元`;
      return `${plain(v, 2, lang)}元`;
    case 'days':
      return lang === 'en' ? `${v.toFixed(1)} days` : `${v.toFixed(1)}天`;
    case 'boolean':
      return v >= 1 ? (lang === 'en' ? 'yes' : '是') : lang === 'en' ? 'no' : '否';
    case 'ratio':
      return v.toFixed(2);
    default:
      return plain(v, 2, lang);
  }
}

/** A difference between two values of the unit: percentage points for percentages. */
export function formatGap(v: number, unit: ValueUnit, lang: Lang): string {
  if (unit === 'percent') return lang === 'en' ? `${v.toFixed(2)} points` : `${v.toFixed(2)}个百分点`;
  return formatValue(v, unit, lang);
}

/** '≥ 72.00%', '≤ 15.0天', '90.00%–100.00%'. */
export function formatTarget(
  t: { target: number | null; target_low?: number | null; target_high?: number | null },
  direction: 'higher_better' | 'lower_better' | 'target_band',
  unit: ValueUnit,
  lang: Lang,
): string {
  if (direction === 'target_band') {
    if (t.target_low == null || t.target_high == null) return lang === 'en' ? 'none' : '无';
    return `${formatValue(t.target_low, unit, lang)}–${formatValue(t.target_high, unit, lang)}`;
  }
  if (t.target === null) return lang === 'en' ? 'none' : '无';
  if (unit === 'boolean') return formatValue(t.target, unit, lang);
  return `${direction === 'lower_better' ? '≤' : '≥'} ${formatValue(t.target, unit, lang)}`;
}

export const points = (v: number | null, lang: Lang) => (lang === 'en' ? `${(v ?? 0).toFixed(2)} points` : `${(v ?? 0).toFixed(2)}分`);
