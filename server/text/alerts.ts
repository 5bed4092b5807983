// One plain sentence per alert, with the numbers that raised it.
import type { AlertRow } from '../queries/scores.ts';
import { formatNumber, formatSentenceValue, type Locale as Lang } from '../../core/format.ts';

export function alertMessage(a: AlertRow, lang: Lang): string {
  const en = lang === 'en';
  const f = (v: number | null) => formatSentenceValue(v, a.indicator_unit, lang);
  const unit = en ? a.unit_name_en : a.unit_name;
  const name = en ? a.indicator_name_en : `“${a.indicator_name_zh}”`;
  const lower = a.direction === 'lower_better';
  if (a.kind === 'behind_pace') {
    const pace =
      a.monthly_pace !== null && a.monthly_pace_needed !== null
        ? en
          ? ` (${f(a.monthly_pace)} a month so far, ${f(a.monthly_pace_needed)} needed)`
          : `（目前月均 ${f(a.monthly_pace)}，需月均 ${f(a.monthly_pace_needed)}）`
        : '';
    return en
      ? `${unit}, ${name}: on pace for ${f(a.projected_value)} this year, ${lower ? 'above' : 'short of'} the target of ${f(a.reference_value)}${pace}.`
      : `${unit}${name}按当前进度全年预计 ${f(a.projected_value)}，${lower ? '高于' : '低于'}年度目标 ${f(a.reference_value)}${pace}。`;
  }
  const change = formatNumber(Math.abs(a.change_pct ?? 0), 1);
  return en
    ? `${unit}, ${name}: ${f(a.value)} in ${a.native_period}, ${lower ? 'up' : 'down'} ${change}% on ${f(a.reference_value)} in ${a.reference_period} (alert at ${a.threshold_pct}%).`
    : `${unit}${name} ${a.native_period} 为 ${f(a.value)}，较 ${a.reference_period} 的 ${f(a.reference_value)}${lower ? '上升' : '下降'} ${change}%（预警线 ${a.threshold_pct}%）。`;
}
