// An alert row of the engine (indicator_alert) as the API sends it: its level and its sentences.
import type { AlertRow } from '../queries/scores.ts';
import { alertMessage } from '../text/alerts.ts';

export function alertBody(a: AlertRow) {
  return {
    level: a.alert_level,
    severity: a.severity,
    kind: a.kind,
    is_new: a.is_new,
    unit: { code: a.unit_code, name: a.unit_name, name_en: a.unit_name_en, short_name: a.short_name, level: a.level, city_code: a.city_code },
    indicator_code: a.indicator_code,
    indicator_name_zh: a.indicator_name_zh,
    indicator_name_en: a.indicator_name_en,
    indicator_unit: a.indicator_unit,
    value: a.value,
    reference_value: a.reference_value,
    projected_value: a.projected_value,
    monthly_pace: a.monthly_pace,
    monthly_pace_needed: a.monthly_pace_needed,
    native_period: a.native_period,
    reference_period: a.reference_period,
    change_pct: a.change_pct,
    threshold_pct: a.threshold_pct,
    message_zh: alertMessage(a, 'zh-CN'),
    message_en: alertMessage(a, 'en'),
  };
}
