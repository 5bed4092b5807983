// The formatting functions bound to the current language, for templates.
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  formatCompact,
  formatGrowth,
  formatIndicatorValue,
  formatInteger,
  formatPercent,
  formatPointChange,
  formatQuantity,
  quantityParts,
  type Locale,
  type Quantity,
} from './number.ts';

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
    integer: (v: number | null | undefined) => formatInteger(v, loc.value),
    indicator: (v: number | null | undefined, unit: Parameters<typeof formatIndicatorValue>[1]) => formatIndicatorValue(v, unit, loc.value),
  };
}
