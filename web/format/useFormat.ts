// The one formatter (core/format.ts) bound to the current language, for templates and panels.
import { computed } from 'vue';
import { useI18n } from '../i18n/index.ts';
import {
  formatCompact,
  formatFixed,
  formatGrowth,
  formatIndicatorValue,
  formatInteger,
  formatMonth,
  formatPercent,
  formatPointChange,
  formatQuantity,
  formatRankChange,
  formatScore,
  formatTarget,
  quantityParts,
  type FixedKind,
  type Locale,
  type Quantity,
  type ValueUnit,
} from '../../core/format.ts';

export function useFormat() {
  const { locale } = useI18n();
  const loc = computed(() => (locale.value === 'en' ? 'en' : 'zh-CN') as Locale);
  return {
    locale: loc,
    quantity: (v: number | null | undefined, kind: Quantity) => formatQuantity(v, kind, loc.value),
    compact: (v: number | null | undefined, kind: Quantity) => formatCompact(v, kind, loc.value),
    parts: (v: number | null | undefined, kind: Quantity) => quantityParts(v, kind, loc.value),
    percent: (v: number | null | undefined, decimals = 2) => formatPercent(v, decimals),
    points: (v: number | null | undefined, decimals = 2) => formatPointChange(v, loc.value, decimals),
    growth: (v: number | null | undefined, decimals = 1) => formatGrowth(v, decimals),
    integer: (v: number | null | undefined) => formatInteger(v),
    score: (v: number | null | undefined, decimals = 2) => formatScore(v, decimals),
    fixed: (v: number | null | undefined, kind: FixedKind) => formatFixed(v, kind),
    rankChange: (v: number | null | undefined) => formatRankChange(v),
    month: (m: number, toDay?: number | null) => formatMonth(m, loc.value, toDay),
    indicator: (v: number | null | undefined, unit: ValueUnit) => formatIndicatorValue(v, unit, loc.value),
    target: (t: Parameters<typeof formatTarget>[0], direction: Parameters<typeof formatTarget>[1], unit: ValueUnit) => formatTarget(t, direction, unit, loc.value),
  };
}
