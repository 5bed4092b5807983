// The scoring period fields every scores response starts with (schemas/scores.ts PeriodFields).
import type { ScorePeriod } from '../queries/scores.ts';

export const periodFields = (p: ScorePeriod) => ({
  period: p.period,
  period_kind: p.period_kind,
  period_start: p.period_start,
  period_end: p.period_end,
  previous_period: p.previous_period,
  final_period: p.final_period,
  period_scope: p.period_scope,
});
