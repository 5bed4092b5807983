-- unit_rank: one row per ranked unit x scoring period: each county on county47 (in the province
--   among the 111, and within its city), each city on reform88 among the 14. The province is
--   scored (unit_score) but has nobody to rank against.
--   Standard competition ranking on the published composite (unit_score.composite, already rounded
--   to its 2 printed decimals), highest first: equal published composites share a rank and the next
--   rank skips (1, 2, 2, 4), so two units printed with the same score never stand at different
--   places. A unit without a composite (nothing scored) ranks after every unit with one.
--   *_prev: the same unit in score_period.prev_period; rank_*_change = previous rank - rank, so a
--   positive change is places gained. NULL in the first period.
-- Made for the years of engine_scope but the periods of score_period_kept (10-periods.sql; they and
-- older years keep their rows), ranking the year before too for the previous periods.
CREATE OR REPLACE TEMP TABLE unit_rank_made AS
WITH ranked AS (
  SELECT s.unit_code, s.unit_level, s.city_code, s.indicator_set, s.period, s.period_kind, s.year, s.composite,
         rank() OVER (PARTITION BY s.indicator_set, s.unit_level, s.period
                      ORDER BY s.composite DESC NULLS LAST)::INTEGER AS rank_province,
         count(*) OVER (PARTITION BY s.indicator_set, s.unit_level, s.period)::INTEGER AS units_in_province,
         CASE WHEN s.unit_level = 'county' THEN
           rank() OVER (PARTITION BY s.indicator_set, s.unit_level, s.period, s.city_code
                        ORDER BY s.composite DESC NULLS LAST) END::INTEGER AS rank_in_city,
         CASE WHEN s.unit_level = 'county' THEN
           count(*) OVER (PARTITION BY s.indicator_set, s.unit_level, s.period, s.city_code) END::INTEGER AS units_in_city
  FROM unit_score s
  WHERE ((s.indicator_set = 'county47' AND s.unit_level = 'county') OR (s.indicator_set = 'reform88' AND s.unit_level = 'city'))
    AND s.year >= (SELECT first_year - 1 FROM engine_scope)
)
SELECT r.*, p.prev_period,
       prev.composite AS composite_prev,
       prev.rank_province AS rank_province_prev,
       prev.rank_in_city AS rank_in_city_prev,
       (prev.rank_province - r.rank_province)::INTEGER AS rank_province_change,
       (prev.rank_in_city - r.rank_in_city)::INTEGER AS rank_in_city_change
FROM ranked r
JOIN score_period p ON p.period = r.period
LEFT JOIN ranked prev ON prev.unit_code = r.unit_code AND prev.indicator_set = r.indicator_set AND prev.period = p.prev_period
WHERE r.year >= (SELECT first_year FROM engine_scope) AND r.period NOT IN (SELECT period FROM score_period_kept);

CREATE TABLE IF NOT EXISTS unit_rank AS FROM unit_rank_made LIMIT 0;
DELETE FROM unit_rank WHERE year >= (SELECT first_year FROM engine_scope) AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO unit_rank FROM unit_rank_made;
DROP TABLE unit_rank_made;
