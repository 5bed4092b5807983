-- indicator_explain: what moves a unit's score, per unit x scoring period: up to 10 rows of each
-- kind, ordinal 1 first.
--   kind 'costs_most': the indicators losing the most points (status not_met or missing), by
--     points_lost = weight_effective - points, then by weight. gap = how far the value is from
--     the target in the indicator's unit, positive = short by: higher_better target - value;
--     lower_better value - target; band: distance to the nearer end; yes/no: 1. NULL when missing.
--     gap_pct = gap / |target| x 100 (NULL for bands and a zero target).
--   kind 'beats_peers': the indicators where the unit is furthest ahead of its peers' average
--     (a county's peers: the counties of its city, itself included; a city's: the 14 cities), by
--     advantage = (value - peer average) / |peer average| for higher_better, (peer average - value)
--     / |peer average| for lower_better; for bands and yes/no, attainment - the peers' mean
--     attainment. Only indicators with a value and a positive advantage. The province has no peers.
--   peer_avg_value / peer_avg_points are given on both kinds, so a reader sees whether a loss is
--   shared by the whole city.
CREATE OR REPLACE TABLE indicator_explain AS
WITH peers AS (
  SELECT s.*, i.direction, i.unit, i.weight AS catalog_weight,
         CASE WHEN s.unit_level = 'county' THEN s.city_code ELSE s.unit_level END AS peer_group
  FROM indicator_score s JOIN dim_indicator i ON i.code = s.indicator_code
  WHERE s.status <> 'not_applicable'
), averaged AS (
  SELECT *,
         avg(value) OVER g AS peer_avg_value,
         avg(points) OVER g AS peer_avg_points,
         avg(attainment) FILTER (WHERE value IS NOT NULL) OVER g AS peer_avg_attainment,
         count(value) OVER g AS peers_with_value
  FROM peers
  WINDOW g AS (PARTITION BY indicator_code, period, unit_level, peer_group)
), measured AS (
  SELECT *,
         CASE
           WHEN value IS NULL OR status = 'met' THEN NULL
           WHEN unit = 'boolean' THEN 1.0
           WHEN direction = 'higher_better' THEN target - value
           WHEN direction = 'lower_better' THEN value - target
           WHEN value < target_low THEN target_low - value
           ELSE value - target_high
         END AS gap,
         CASE
           WHEN unit_level = 'province' OR value IS NULL OR peers_with_value < 2 THEN NULL
           WHEN unit = 'boolean' OR direction = 'target_band' THEN attainment - peer_avg_attainment
           WHEN peer_avg_value = 0 THEN NULL
           WHEN direction = 'higher_better' THEN (value - peer_avg_value) / abs(peer_avg_value)
           ELSE (peer_avg_value - value) / abs(peer_avg_value)
         END AS advantage
  FROM averaged
), costs AS (
  SELECT 'costs_most' AS kind, *,
         row_number() OVER (PARTITION BY unit_code, indicator_set, period
                            ORDER BY points_lost DESC, catalog_weight DESC, sort_order) AS ordinal
  FROM measured WHERE status IN ('not_met', 'missing') AND points_lost > 0
  QUALIFY ordinal <= 10
), strengths AS (
  SELECT 'beats_peers' AS kind, *,
         row_number() OVER (PARTITION BY unit_code, indicator_set, period
                            ORDER BY advantage DESC, catalog_weight DESC, sort_order) AS ordinal
  FROM measured WHERE advantage > 0
  QUALIFY ordinal <= 10
)
SELECT unit_code, unit_level, city_code, indicator_set, period, kind, ordinal::INTEGER AS ordinal,
       indicator_code, status, value, target, target_low, target_high,
       gap::DOUBLE AS gap,
       CASE WHEN target IS NOT NULL AND target <> 0 THEN 100 * gap / abs(target) END::DOUBLE AS gap_pct,
       weight_effective, points, points_lost,
       peer_avg_value::DOUBLE AS peer_avg_value,
       peer_avg_points::DOUBLE AS peer_avg_points,
       advantage::DOUBLE AS advantage
FROM (SELECT * FROM costs UNION ALL SELECT * FROM strengths);
