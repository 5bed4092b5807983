// An alert row of the engine (indicator_alert) as the API sends it: its level and its sentences; and
// the alerts answer of GET /api/alerts and the wall (the most severe first, with the counts).
import { alerts, type AlertFilter, type AlertRow } from '../queries/scores.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import { alertMessage } from '../text/alerts.ts';
import { periodFields } from './period.ts';

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

/** The first `limit` alerts matching the filter, most severe first, and the counts of all of them. */
export async function alertsBody(db: WarehouseDb, filter: AlertFilter, limit: number) {
  const found = await alerts(db, filter, limit);
  return {
    ...periodFields(filter.period),
    total: found.total,
    counts: { high: found.high, medium: found.medium, low: found.total - found.high - found.medium, new: found.new },
    alerts: found.rows.map(alertBody),
  };
}
