// 本期要点: the period's sentences (zh-CN and en) from the engine's briefing facts, for
// GET /api/briefing and the wall.
import { alertChanges, briefingFacts, metricLabels, type ScorePeriod } from '../queries/scores.ts';
import type { WarehouseDb } from '../queries/warehouse.ts';
import { briefingSentences } from '../text/briefing.ts';
import { periodFields } from './period.ts';

export async function briefingBody(db: WarehouseDb, p: ScorePeriod) {
  const [facts, changes, metrics] = await Promise.all([briefingFacts(db, p.period), alertChanges(db, p.period), metricLabels(db)]);
  const sentences = briefingSentences({ period: p.period, previous_period: p.previous_period, facts, alert_changes: changes, metrics });
  return { ...periodFields(p), sentences };
}
