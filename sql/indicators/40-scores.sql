-- unit_score: one row per unit x indicator set x scoring period (county47 for the 111 counties,
--   reform88 for the 14 cities and the province).
--   composite = sum of points over the set's indicators (0-100: weights of the applicable
--   indicators are rescaled to 100 and attainment is capped at 1); NULL when nothing applies.
--   indicators_* count the statuses; points_missing = weight lost to missing values alone.
--
-- unit_dimension_score: one row per unit x set x scoring period x dimension (the five county
--   strengths, the six reform tasks).
--   points = the dimension's points in the composite (sums to the composite over dimensions);
--   weight_effective = its share of the 100 after rescaling;
--   score = 100 x points / weight_effective, the dimension on its own 0-100 scale (NULL when none of
--   its indicators applies).
CREATE OR REPLACE TABLE unit_score AS
SELECT unit_code, any_value(unit_level) AS unit_level, any_value(city_code) AS city_code, indicator_set,
       period, any_value(period_kind) AS period_kind, any_value(year)::INTEGER AS year,
       sum(points)::DOUBLE AS composite,
       count(*) FILTER (WHERE status <> 'not_applicable')::INTEGER AS indicators_scored,
       count(*) FILTER (WHERE status = 'met')::INTEGER AS indicators_met,
       count(*) FILTER (WHERE status = 'not_met')::INTEGER AS indicators_not_met,
       count(*) FILTER (WHERE status = 'missing')::INTEGER AS indicators_missing,
       count(*) FILTER (WHERE status = 'not_applicable')::INTEGER AS indicators_not_applicable,
       coalesce(sum(weight_effective) FILTER (WHERE status = 'missing'), 0)::DOUBLE AS points_missing,
       any_value(catalog_version) AS catalog_version
FROM indicator_score
GROUP BY unit_code, indicator_set, period;

CREATE OR REPLACE TABLE unit_dimension_score AS
SELECT s.unit_code, any_value(s.unit_level) AS unit_level, s.indicator_set, s.period,
       s.dimension, any_value(i.dimension_en) AS dimension_en, any_value(i.dimension_order)::INTEGER AS dimension_order,
       sum(s.weight)::DOUBLE AS weight,
       coalesce(sum(s.weight_effective), 0)::DOUBLE AS weight_effective,
       coalesce(sum(s.points), 0)::DOUBLE AS points,
       (100 * sum(s.points) / nullif(sum(s.weight_effective), 0))::DOUBLE AS score,
       count(*) FILTER (WHERE s.status = 'met')::INTEGER AS indicators_met,
       count(*) FILTER (WHERE s.status <> 'not_applicable')::INTEGER AS indicators_scored
FROM indicator_score s JOIN dim_indicator i ON i.code = s.indicator_code
GROUP BY s.unit_code, s.indicator_set, s.period, s.dimension;
