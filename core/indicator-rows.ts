// The warehouse rows of the indicator catalog (sql/schema/indicator.sql): etl/catalog writes them,
// the server's Kysely types read them.
import type { AppliesTo, Direction, IndicatorSet, Period, Source, TargetOp, Unit } from './catalog-vocabulary.ts';

/** The target columns of dim_indicator and dim_indicator_target: the rule text and its parsed fields. */
export interface TargetColumns {
  target_rule: string;
  target_op: TargetOp;
  /** The bound of >= and <=; 1 or 0 for "= true"/"= false". */
  target_value: number | null;
  target_low: number | null;
  target_high: number | null;
  target_percent: boolean | null;
  target_relative: number | null;
  target_points: number | null;
}

export interface DimIndicatorRow extends TargetColumns {
  catalog_version: string;
  indicator_set: IndicatorSet;
  code: string;
  sort_order: number;
  dimension: string;
  dimension_en: string;
  dimension_order: number;
  name_zh: string;
  name_en: string;
  unit: Unit;
  direction: Direction;
  period: Period;
  weight: number;
  source: Source;
  metric: string | null;
  applies_to: AppliesTo;
  drop_alert: number | null;
  basis: string;
}

export interface DimIndicatorTargetRow extends TargetColumns {
  catalog_version: string;
  code: string;
  year: number;
}
