-- path_up: one row per ranked unit x scoring period x unmet indicator (status not_met or missing):
-- what meeting that one indicator alone would do for the unit's rank, everyone else's composite
-- unchanged.
--   points_gain = points_lost (meeting it earns its full weight_effective; a missing one must be
--   reported and met); composite_if_met = round(unrounded composite + points_gain, 2), published
--   like unit_score.composite; rank_province_if_met = 1 + the number of OTHER units of the same
--   level with a published composite above composite_if_met (a tie shares the rank, as in
--   unit_rank); places_gained = rank_province -
--   rank_province_if_met; for counties the same within the city.
--   Indicators losing under 1e-9 points are left out (last-bit differences of sums are no loss).
--   ordinal: the order to fix them in: most places gained in the province, then most points (to 9
--   decimals, so that last-bit differences of sums leave equal gains tied), then catalog order.
-- Made for the periods of engine_scope's years but those of score_period_kept (10-periods.sql); they
-- and older ones keep their rows.
CREATE OR REPLACE TEMP TABLE path_up_made AS
WITH unrounded AS (
  -- the sum of points before the composite's rounding, so composite_if_met is rounded once
  SELECT unit_code, indicator_set, period, sum(points) AS points
  FROM indicator_score WHERE year >= (SELECT first_year FROM engine_scope) AND period NOT IN (SELECT period FROM score_period_kept) GROUP BY ALL
), candidates AS (
  SELECT s.unit_code, s.unit_level, s.city_code, s.indicator_set, s.period, s.indicator_code, s.status,
         s.value, s.target, s.target_low, s.target_high, s.points_lost AS points_gain, s.sort_order,
         r.composite, r.rank_province, r.rank_in_city,
         round(t.points + s.points_lost, 2) AS composite_if_met
  FROM indicator_score s
  JOIN unit_rank r ON r.unit_code = s.unit_code AND r.indicator_set = s.indicator_set AND r.period = s.period
  JOIN unrounded t ON t.unit_code = s.unit_code AND t.indicator_set = s.indicator_set AND t.period = s.period
  WHERE s.status IN ('not_met', 'missing') AND round(s.points_lost, 9) > 0 AND s.year >= (SELECT first_year FROM engine_scope)
    AND s.period NOT IN (SELECT period FROM score_period_kept)
), levels AS (
  -- each composite of a ranking and how many units stand at or above it; the unit itself is never
  -- above its own composite_if_met, so "above" counts only the others
  SELECT indicator_set, period, unit_level, composite,
         sum(count(*)) OVER (PARTITION BY indicator_set, period, unit_level ORDER BY composite DESC) AS at_or_above
  FROM (SELECT indicator_set, period, unit_level, composite FROM unit_rank
        WHERE composite IS NOT NULL AND year >= (SELECT first_year FROM engine_scope) AND period NOT IN (SELECT period FROM score_period_kept))
  GROUP BY indicator_set, period, unit_level, composite
), city_levels AS (
  SELECT indicator_set, period, city_code, composite,
         sum(count(*)) OVER (PARTITION BY indicator_set, period, city_code ORDER BY composite DESC) AS at_or_above
  FROM (SELECT indicator_set, period, city_code, composite FROM unit_rank
        WHERE unit_level = 'county' AND composite IS NOT NULL AND year >= (SELECT first_year FROM engine_scope)
          AND period NOT IN (SELECT period FROM score_period_kept))
  GROUP BY indicator_set, period, city_code, composite
), placed AS (
  -- the nearest composite above composite_if_met (ASOF): everyone at or above it is above
  SELECT c.*, coalesce(l.at_or_above, 0) AS above_province
  FROM candidates c
  ASOF LEFT JOIN levels l ON l.indicator_set = c.indicator_set AND l.period = c.period AND l.unit_level = c.unit_level
                         AND c.composite_if_met < l.composite
), placed_city AS (
  SELECT p.*, CASE WHEN p.unit_level = 'county' THEN coalesce(l.at_or_above, 0) END AS above_city
  FROM placed p
  ASOF LEFT JOIN city_levels l ON l.indicator_set = p.indicator_set AND l.period = p.period AND l.city_code = p.city_code
                              AND p.composite_if_met < l.composite
)
SELECT unit_code, unit_level, city_code, indicator_set, period,
       row_number() OVER (PARTITION BY unit_code, indicator_set, period
                          ORDER BY rank_province - (1 + above_province) DESC, round(points_gain, 9) DESC, sort_order)::INTEGER AS ordinal,
       indicator_code, status, value, target, target_low, target_high,
       points_gain::DOUBLE AS points_gain,
       composite::DOUBLE AS composite,
       composite_if_met::DOUBLE AS composite_if_met,
       rank_province,
       (1 + above_province)::INTEGER AS rank_province_if_met,
       (rank_province - (1 + above_province))::INTEGER AS places_gained,
       rank_in_city,
       (1 + above_city)::INTEGER AS rank_in_city_if_met,
       (rank_in_city - (1 + above_city))::INTEGER AS places_gained_in_city
FROM placed_city;

CREATE TABLE IF NOT EXISTS path_up AS FROM path_up_made LIMIT 0;
DELETE FROM path_up WHERE left(period, 4)::INTEGER >= (SELECT first_year FROM engine_scope)
  AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO path_up FROM path_up_made;
DROP TABLE path_up_made;
