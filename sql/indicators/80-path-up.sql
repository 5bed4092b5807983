-- path_up: one row per ranked unit x scoring period x unmet indicator (status not_met or missing):
-- what meeting that one indicator alone would do for the unit's rank, everyone else's composite
-- unchanged.
--   points_gain = points_lost (meeting it earns its full weight_effective; a missing one must be
--   reported and met); composite_if_met = composite + points_gain;
--   rank_province_if_met = 1 + the number of OTHER units of the same level with a composite above
--   composite_if_met (compared at 6 decimals, as in unit_rank); places_gained = rank_province -
--   rank_province_if_met; for counties the same within the city.
--   ordinal: the order to fix them in: most places gained in the province, then most points, then
--   catalog order.
CREATE OR REPLACE TABLE path_up AS
WITH candidates AS (
  SELECT s.unit_code, s.unit_level, s.city_code, s.indicator_set, s.period, s.indicator_code, s.status,
         s.value, s.target, s.target_low, s.target_high, s.points_lost AS points_gain, s.sort_order,
         r.composite, r.rank_province, r.rank_in_city,
         round(r.composite + s.points_lost, 6) AS composite_if_met
  FROM indicator_score s
  JOIN unit_rank r ON r.unit_code = s.unit_code AND r.indicator_set = s.indicator_set AND r.period = s.period
  WHERE s.status IN ('not_met', 'missing') AND s.points_lost > 0
), above AS (
  SELECT c.unit_code, c.indicator_set, c.period, c.indicator_code,
         count(*) FILTER (WHERE round(o.composite, 6) > c.composite_if_met) AS above_province,
         count(*) FILTER (WHERE round(o.composite, 6) > c.composite_if_met AND o.city_code = c.city_code) AS above_city
  FROM candidates c
  JOIN unit_rank o ON o.indicator_set = c.indicator_set AND o.period = c.period AND o.unit_level = c.unit_level
                  AND o.unit_code <> c.unit_code AND round(o.composite, 6) > c.composite_if_met
  GROUP BY ALL
)
SELECT c.unit_code, c.unit_level, c.city_code, c.indicator_set, c.period,
       row_number() OVER (PARTITION BY c.unit_code, c.indicator_set, c.period
                          ORDER BY c.rank_province - (1 + coalesce(a.above_province, 0)) DESC,
                                   c.points_gain DESC, c.sort_order)::INTEGER AS ordinal,
       c.indicator_code, c.status, c.value, c.target, c.target_low, c.target_high,
       c.points_gain::DOUBLE AS points_gain,
       c.composite::DOUBLE AS composite,
       (c.composite + c.points_gain)::DOUBLE AS composite_if_met,
       c.rank_province,
       (1 + coalesce(a.above_province, 0))::INTEGER AS rank_province_if_met,
       (c.rank_province - (1 + coalesce(a.above_province, 0)))::INTEGER AS places_gained,
       c.rank_in_city,
       CASE WHEN c.unit_level = 'county' THEN 1 + coalesce(a.above_city, 0) END::INTEGER AS rank_in_city_if_met,
       CASE WHEN c.unit_level = 'county' THEN c.rank_in_city - (1 + coalesce(a.above_city, 0)) END::INTEGER AS places_gained_in_city
FROM candidates c
LEFT JOIN above a USING (unit_code, indicator_set, period, indicator_code);
