-- indicator_explain: what moves a unit's score, per unit x scoring period: up to 10 rows of each
-- kind, ordinal 1 first.
--   kind 'costs_most': the indicators losing the most points (status not_met or missing), by
--     points_lost = weight_effective - points, then by weight. gap = indicator_score.gap (how far
--     the value is short of the target in the indicator's unit; NULL when missing).
--     gap_pct = gap / |target| x 100 (NULL for bands and a zero target).
--   kind 'beats_peers': the indicators where the unit is furthest ahead of its peers' average
--     (a county's peers: the counties of its city, itself included; a city's: the 14 cities), by
--     advantage = (value - peer average) / |peer average| for higher_better, (peer average - value)
--     / |peer average| for lower_better; for bands and yes/no, attainment - the peers' mean
--     attainment. Only indicators with a value and a positive advantage. The province has no peers.
--   peer_avg_value / peer_avg_points are given on both kinds, so a reader sees whether a loss is
--   shared by the whole city.
-- Made for the periods of engine_scope's years but those of score_period_kept (10-periods.sql); they
-- and older ones keep their rows.
CREATE OR REPLACE TEMP TABLE indicator_explain_made AS
WITH scored AS (
  SELECT s.unit_code, s.unit_level, s.city_code, s.indicator_set, s.period, s.indicator_code, s.status,
         s.value, s.target, s.target_low, s.target_high, s.attainment, s.weight_effective, s.points, s.points_lost, s.gap,
         s.sort_order, i.direction, i.unit, i.weight AS catalog_weight,
         CASE WHEN s.unit_level = 'county' THEN s.city_code ELSE s.unit_level END AS peer_group
  FROM indicator_score s JOIN dim_indicator i ON i.code = s.indicator_code
  WHERE s.status NOT IN ('not_applicable', 'not_due') AND s.year >= (SELECT first_year FROM engine_scope)
    AND s.period NOT IN (SELECT period FROM score_period_kept)
), peer AS (
  -- grouped and joined back (a window over these rows costs several times more)
  SELECT indicator_code, period, unit_level, peer_group,
         avg(value) AS peer_avg_value, avg(points) AS peer_avg_points,
         avg(attainment) FILTER (WHERE value IS NOT NULL) AS peer_avg_attainment,
         count(value) AS peers_with_value
  FROM scored GROUP BY ALL
), measured AS (
  SELECT s.*, p.peer_avg_value, p.peer_avg_points,
         CASE
           WHEN s.unit_level = 'province' OR s.value IS NULL OR p.peers_with_value < 2 THEN NULL
           WHEN s.unit = 'boolean' OR s.direction = 'target_band' THEN s.attainment - p.peer_avg_attainment
           WHEN p.peer_avg_value = 0 THEN NULL
           WHEN s.direction = 'higher_better' THEN (s.value - p.peer_avg_value) / abs(p.peer_avg_value)
           ELSE (p.peer_avg_value - s.value) / abs(p.peer_avg_value)
         END AS advantage
  FROM scored s JOIN peer p USING (indicator_code, period, unit_level, peer_group)
), ordered AS (
  -- ordinals on the sort keys alone, then joined back to the wide rows; the DOUBLE keys (and the
  -- tests for a loss or an advantage) rounded to 9
  -- decimals, so that last-bit differences of sums (which follow the order rows arrive in, e.g. with
  -- several threads) leave equal values tied and the catalog order decides
  SELECT unit_code, period, indicator_code, 'costs_most' AS kind,
         row_number() OVER (PARTITION BY unit_code, indicator_set, period
                            ORDER BY round(points_lost, 9) DESC, catalog_weight DESC, sort_order) AS ordinal
  FROM measured WHERE status IN ('not_met', 'missing') AND round(points_lost, 9) > 0
  QUALIFY ordinal <= 10
  UNION ALL
  SELECT unit_code, period, indicator_code, 'beats_peers',
         row_number() OVER (PARTITION BY unit_code, indicator_set, period
                            ORDER BY round(advantage, 9) DESC, catalog_weight DESC, sort_order)
  FROM measured WHERE round(advantage, 9) > 0
  QUALIFY row_number() OVER (PARTITION BY unit_code, indicator_set, period
                             ORDER BY round(advantage, 9) DESC, catalog_weight DESC, sort_order) <= 10
)
SELECT m.unit_code, m.unit_level, m.city_code, m.indicator_set, m.period, o.kind, o.ordinal::INTEGER AS ordinal,
       m.indicator_code, m.status, m.value, m.target, m.target_low, m.target_high,
       m.gap::DOUBLE AS gap,
       CASE WHEN m.target IS NOT NULL AND m.target <> 0 THEN 100 * m.gap / abs(m.target) END::DOUBLE AS gap_pct,
       m.weight_effective, m.points, m.points_lost,
       m.peer_avg_value::DOUBLE AS peer_avg_value,
       m.peer_avg_points::DOUBLE AS peer_avg_points,
       m.advantage::DOUBLE AS advantage
FROM ordered o JOIN measured m USING (unit_code, period, indicator_code);

CREATE TABLE IF NOT EXISTS indicator_explain AS FROM indicator_explain_made LIMIT 0;
DELETE FROM indicator_explain WHERE left(period, 4)::INTEGER >= (SELECT first_year FROM engine_scope)
  AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO indicator_explain FROM indicator_explain_made;
DROP TABLE indicator_explain_made;
