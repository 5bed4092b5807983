-- The scoring rule, written once for 30-attainment.sql (scores and their gaps) and 60-projection.sql (projected
-- year-end attainment), and the '>= prev' target for attainment and the overview tiles.
-- (rate_pct and growth_pct are in sql/marts/00-macros.sql.) TEMP macros: they exist while a load builds the snapshot and are not stored
-- in it. The formula is documented in 30-attainment.sql.
--
-- indicator_attainment_raw: the uncapped attainment of a value against a target (NULL without a
-- value). indicator_target_met: whether the rule holds exactly.
CREATE OR REPLACE TEMP MACRO indicator_attainment_raw(direction, unit, value, target, target_low, target_high) AS
  CASE
    WHEN value IS NULL THEN NULL
    WHEN unit = 'boolean' THEN CASE WHEN (value >= 0.5) = (target >= 0.5) THEN 1.0 ELSE 0.0 END
    WHEN direction = 'higher_better' THEN CASE WHEN target > 0 THEN value / target
                                               WHEN value >= target THEN 1.0 ELSE 0.0 END
    WHEN direction = 'lower_better' THEN CASE WHEN value <= target THEN 1.0
                                              WHEN target > 0 THEN target / value ELSE 0.0 END
    ELSE CASE WHEN value BETWEEN target_low AND target_high THEN 1.0
              WHEN value < target_low THEN CASE WHEN target_low > 0 THEN value / target_low ELSE 0.0 END
              ELSE CASE WHEN target_high > 0 THEN 2 - value / target_high ELSE 0.0 END END
  END;

CREATE OR REPLACE TEMP MACRO indicator_target_met(direction, unit, value, target, target_low, target_high) AS
  CASE
    WHEN value IS NULL THEN NULL
    WHEN unit = 'boolean' THEN (value >= 0.5) = (target >= 0.5)
    WHEN direction = 'higher_better' THEN value >= target
    WHEN direction = 'lower_better' THEN value <= target
    ELSE value BETWEEN target_low AND target_high
  END;

-- indicator_gap: how far a value falls short of its target, in the indicator's unit (positive = short
-- by): higher_better target - value; lower_better value - target; band: distance to the nearer end;
-- yes/no: 1. NULL without a value or when the target is met.
CREATE OR REPLACE TEMP MACRO indicator_gap(direction, unit, value, target, target_low, target_high) AS
  CASE
    WHEN value IS NULL OR indicator_target_met(direction, unit, value, target, target_low, target_high) THEN NULL
    WHEN unit = 'boolean' THEN 1.0
    WHEN direction = 'higher_better' THEN target - value
    WHEN direction = 'lower_better' THEN value - target
    WHEN value < target_low THEN target_low - value
    ELSE value - target_high
  END;

-- indicator_target_prev: a '>= prev' target (+r% / +p pt) from last year's figure for the same window.
CREATE OR REPLACE TEMP MACRO indicator_target_prev(baseline, target_relative, target_points) AS
  baseline * (1 + coalesce(target_relative, 0) / 100) + coalesce(target_points, 0);
