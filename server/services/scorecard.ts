// A unit's scorecard assembled from the engine's tables: what GET /api/units/:code/scorecard answers
// and the scorecard export prints. The numbers are the engine's (sql/indicators); this puts them
// together and words the explanations.
import {
  alerts,
  dataQuality,
  dimensionsWithAverages,
  explanation,
  pathUp,
  scoredIndicators,
  scoreTrend,
  unitRank,
  unitScore,
  type ScorePeriod,
} from '../queries/scores.ts';
import { setOfLevel } from '../../core/set-level.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import type { UnitRef } from '../schemas/common.ts';
import { dataQualityNotes, indicatorExplanation } from '../text/scorecard.ts';
import { alertBody } from './alerts.ts';
import { periodFields } from './period.ts';

/** Everything on a unit's scorecard for a period (also the scorecard export's source). */
export async function buildScorecard(db: WarehouseDb, unit: UnitRef, p: ScorePeriod) {
  const set = setOfLevel(unit.level);
  const [score, rank, trend, dimensions, indicators, explain, path, dq, unitAlerts] = await Promise.all([
    unitScore(db, unit.code, set, p.period),
    unit.level === 'province' ? undefined : unitRank(db, unit.code, set, p.period),
    scoreTrend(db, unit.code, set, p),
    dimensionsWithAverages(db, unit, set, p.period),
    scoredIndicators(db, unit.code, p.period),
    explanation(db, unit.code, p.period),
    pathUp(db, unit.code, p.period),
    dataQuality(db, unit.code),
    alerts(db, { period: p, unit, exact: true }, 1000),
  ]);
  const names = new Map(indicators.map((i) => [i.code, [i.name_zh, i.name_en] as [string, string]]));
  const { previous_composite, ...rankFields } = rank ?? { previous_composite: null };
  const previousComposite = previous_composite ?? trend.find((t) => t.period === p.previous_period)?.composite ?? null;
  return {
    unit,
    set,
    ...periodFields(p),
    catalog_version: score?.catalog_version ?? null,
    composite: score?.composite ?? null,
    points_lost: score?.points_lost ?? null,
    previous_composite: previousComposite,
    indicators_total: score?.indicators_total ?? indicators.length,
    indicators_scored: score?.indicators_scored ?? 0,
    indicators_met: score?.indicators_met ?? 0,
    indicators_not_met: score?.indicators_not_met ?? 0,
    indicators_missing: score?.indicators_missing ?? 0,
    indicators_not_due: score?.indicators_not_due ?? 0,
    indicators_not_applicable: score?.indicators_not_applicable ?? 0,
    rank: rank ? (rankFields as Exclude<typeof rankFields, Record<string, never>>) : null,
    trend,
    dimensions,
    indicators: indicators.map((i) => ({
      code: i.code,
      name_zh: i.name_zh,
      name_en: i.name_en,
      dimension: i.dimension,
      dimension_en: i.dimension_en,
      unit: i.unit,
      direction: i.direction,
      native_period: i.native_period,
      value: i.value,
      baseline: i.baseline,
      target: i.target,
      target_low: i.target_low,
      target_high: i.target_high,
      target_text: i.target_text,
      attainment: i.attainment,
      weight: i.weight,
      weight_effective: i.weight_effective,
      points: i.points,
      points_lost: i.points_lost,
      status: i.status,
      status_reason: i.status_reason,
      reports_due: i.reports_due,
      reports_missing: i.reports_missing,
      projection:
        i.projection_method === null
          ? null
          : {
              method: i.projection_method,
              value: i.projected_value,
              annual_target: i.annual_target,
              will_meet: i.will_meet,
              attainment: i.projected_attainment,
              monthly_pace: i.monthly_pace,
              monthly_pace_needed: i.monthly_pace_needed,
            },
      explanation_zh: indicatorExplanation(i, 'zh-CN'),
      explanation_en: indicatorExplanation(i, 'en'),
    })),
    explanation: {
      costs_most: explain.filter((e) => e.kind === 'costs_most').map(({ kind: _, ...e }) => e),
      beats_peers: explain.filter((e) => e.kind === 'beats_peers').map(({ kind: _, ...e }) => e),
    },
    path_up: path,
    alerts: unitAlerts.rows.map(alertBody),
    data_quality: {
      as_of: dq?.as_of ?? null,
      reports_expected: dq?.reports_expected ?? 0,
      reports_received: dq?.reports_received ?? 0,
      reports_on_time: dq?.reports_on_time ?? 0,
      reports_late: dq?.reports_late ?? 0,
      reports_central: dq?.reports_central ?? 0,
      reports_corrected: dq?.reports_corrected ?? 0,
      reports_missing: dq?.reports_missing ?? 0,
      newest_data_month: dq?.newest_data_month ?? null,
      months_behind: dq?.months_behind ?? null,
      rows_rejected_recent: dq?.rows_rejected_recent ?? 0,
      notes: dataQualityNotes(dq, names),
    },
  };
}
