-- The indicator catalog in the warehouse. Rows come from fixtures/reference/indicator-catalog.csv
-- through etl/catalog (catalogRows, catalogTargetRows), never from county files; the CSV is the
-- definition (fixtures/reference/CATALOG.md), these tables are its copy for SQL to join on.
-- catalog_version is on every row so every score can say which catalog produced it; a snapshot
-- holds exactly one catalog version.
--
-- Target columns: target_rule is the text as written; target_op is '>=', '<=', '=', '>=prev' or
-- 'between'. Percent values are in percent points (90 = 90%), like reported values.
--   '>=' / '<=' : target_value (target_percent says whether it was written with %)
--   '='         : target_value 1 (= true) or 0 (= false)
--   '>=prev'    : the same period of the previous year, times (1 + target_relative / 100) when
--                 target_relative is set, plus target_points when that is set
--   'between'   : target_low .. target_high inclusive

-- One row per indicator (47 county + 88 reform).
CREATE TABLE dim_indicator (
  catalog_version VARCHAR NOT NULL,
  indicator_set   VARCHAR NOT NULL CHECK (indicator_set IN ('county47', 'reform88')),
  code            VARCHAR PRIMARY KEY,
  sort_order      INTEGER NOT NULL,                 -- position in the catalog file, for display
  dimension       VARCHAR NOT NULL,                 -- 政治引领强 ... / 思想引领 ...
  dimension_en    VARCHAR NOT NULL,
  dimension_order INTEGER NOT NULL,                 -- 1.. within the set, for display
  name_zh         VARCHAR NOT NULL,
  name_en         VARCHAR NOT NULL,
  unit            VARCHAR NOT NULL CHECK (unit IN ('count', 'percent', 'yuan', 'days', 'boolean', 'ratio')),
  direction       VARCHAR NOT NULL CHECK (direction IN ('higher_better', 'lower_better', 'target_band')),
  period          VARCHAR NOT NULL CHECK (period IN ('annual', 'quarterly', 'monthly')),
  target_rule     VARCHAR NOT NULL,                 -- default target, used for years without an override
  target_op       VARCHAR NOT NULL CHECK (target_op IN ('>=', '<=', '=', '>=prev', 'between')),
  target_value    DOUBLE,
  target_low      DOUBLE,
  target_high     DOUBLE,
  target_percent  BOOLEAN,
  target_relative DOUBLE,
  target_points   DOUBLE,
  weight          DOUBLE NOT NULL CHECK (weight > 0 AND weight <= 100),   -- sums to 100 per set
  source          VARCHAR NOT NULL CHECK (source IN ('reported', 'mediation', 'insurance', 'assistance', 'training', 'funding')),
  metric          VARCHAR CHECK ((source = 'reported') = (metric IS NULL)),  -- sql/indicators/<metric>.sql
  applies_to      VARCHAR NOT NULL CHECK (applies_to IN ('all', 'service_complex_pilot')),
  drop_alert      DOUBLE CHECK (drop_alert > 0 AND drop_alert <= 100),    -- percent worsening vs previous period; NULL: no alert
  basis           VARCHAR NOT NULL
);

-- One row per indicator and year whose target differs from the default (the catalog's target_YYYY
-- columns). The target in force for a year: the row here if there is one, else dim_indicator's.
CREATE TABLE dim_indicator_target (
  catalog_version VARCHAR NOT NULL,
  code            VARCHAR NOT NULL,                 -- a dim_indicator code (checked by the parser; no FK, so the
                                                    -- catalog can be reloaded in either table order)
  year            INTEGER NOT NULL,
  target_rule     VARCHAR NOT NULL,
  target_op       VARCHAR NOT NULL CHECK (target_op IN ('>=', '<=', '=', '>=prev', 'between')),
  target_value    DOUBLE,
  target_low      DOUBLE,
  target_high     DOUBLE,
  target_percent  BOOLEAN,
  target_relative DOUBLE,
  target_points   DOUBLE,
  PRIMARY KEY (code, year)
);
