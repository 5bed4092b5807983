-- unit_score: one row per unit x indicator set x scoring period (county47 for the 111 counties,
--   reform88 for the 14 cities and the province).
--   composite = round(sum of points over the set's indicators, 2): the published composite, at the
--   precision every screen and export prints (0-100: weights of the scored indicators are rescaled
--   to 100 and attainment is capped at 1); NULL when nothing is scored. Ranks (50-ranks.sql) and the
--   path up (80-path-up.sql) compare these published values, so equal printed composites rank equal.
--   indicators_total = the set's indicators (47 or 88); indicators_scored = those the composite
--   covers (met, not_met, missing); indicators_* count each status (not_due: period not ended yet;
--   not_applicable: does not apply to the unit); points_missing = weight lost to missing values alone;
--   points_lost = round(sum of points lost, 2), the scorecard's total.
--
-- unit_dimension_score: one row per unit x set x scoring period x dimension (the five county
--   strengths, the six reform tasks).
--   points = the dimension's points in the composite (sums, unrounded, to the composite before its
--   rounding to 2 decimals);
--   weight_effective = its share of the 100 after rescaling;
--   score = 100 x points / weight_effective, the dimension on its own 0-100 scale (NULL when none of
--   its indicators applies).
-- Both made for the years of engine_scope but the periods of score_period_kept (10-periods.sql), which
-- keep their rows with the older years.
CREATE OR REPLACE TEMP TABLE unit_score_made AS
SELECT unit_code, any_value(unit_level) AS unit_level, any_value(city_code) AS city_code, indicator_set,
       period, any_value(period_kind) AS period_kind, any_value(year)::INTEGER AS year,
       round(sum(points), 2)::DOUBLE AS composite,
       round(coalesce(sum(points_lost), 0), 2)::DOUBLE AS points_lost,
       count(*)::INTEGER AS indicators_total,
       count(*) FILTER (WHERE status NOT IN ('not_applicable', 'not_due'))::INTEGER AS indicators_scored,
       count(*) FILTER (WHERE status = 'met')::INTEGER AS indicators_met,
       count(*) FILTER (WHERE status = 'not_met')::INTEGER AS indicators_not_met,
       count(*) FILTER (WHERE status = 'missing')::INTEGER AS indicators_missing,
       count(*) FILTER (WHERE status = 'not_due')::INTEGER AS indicators_not_due,
       count(*) FILTER (WHERE status = 'not_applicable')::INTEGER AS indicators_not_applicable,
       coalesce(sum(weight_effective) FILTER (WHERE status = 'missing'), 0)::DOUBLE AS points_missing,
       any_value(catalog_version) AS catalog_version
FROM indicator_score
WHERE year >= (SELECT first_year FROM engine_scope) AND period NOT IN (SELECT period FROM score_period_kept)
GROUP BY unit_code, indicator_set, period;

CREATE TABLE IF NOT EXISTS unit_score AS FROM unit_score_made LIMIT 0;
DELETE FROM unit_score WHERE year >= (SELECT first_year FROM engine_scope) AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO unit_score FROM unit_score_made;
DROP TABLE unit_score_made;

CREATE OR REPLACE TEMP TABLE unit_dimension_score_made AS
SELECT s.unit_code, any_value(s.unit_level) AS unit_level, s.indicator_set, s.period,
       s.dimension, any_value(i.dimension_en) AS dimension_en, any_value(i.dimension_order)::INTEGER AS dimension_order,
       sum(s.weight)::DOUBLE AS weight,
       coalesce(sum(s.weight_effective), 0)::DOUBLE AS weight_effective,
       coalesce(sum(s.points), 0)::DOUBLE AS points,
       (100 * sum(s.points) / nullif(sum(s.weight_effective), 0))::DOUBLE AS score,
       count(*) FILTER (WHERE s.status = 'met')::INTEGER AS indicators_met,
       count(*) FILTER (WHERE s.status NOT IN ('not_applicable', 'not_due'))::INTEGER AS indicators_scored
FROM indicator_score s JOIN dim_indicator i ON i.code = s.indicator_code
WHERE s.year >= (SELECT first_year FROM engine_scope) AND s.period NOT IN (SELECT period FROM score_period_kept)
GROUP BY s.unit_code, s.indicator_set, s.period, s.dimension;

CREATE TABLE IF NOT EXISTS unit_dimension_score AS FROM unit_dimension_score_made LIMIT 0;
DELETE FROM unit_dimension_score WHERE left(period, 4)::INTEGER >= (SELECT first_year FROM engine_scope)
  AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO unit_dimension_score FROM unit_dimension_score_made;
DROP TABLE unit_dimension_score_made;
