-- Ranks follow the published composite (2 decimals): a composite carries no more than its printed
-- decimals; in every set and period a unit's rank is 1 + the number of units of its ranking with a
-- higher published composite (competition ranking: equal printed composites share a rank), in the
-- province, in the city, and for the path up's rank if met.
-- (A precision row carries rank -1 and no expected rank, so it is always reported.)
SELECT * FROM (
  SELECT 'precision' AS rule, unit_code, indicator_set, period, composite, -1 AS rank, NULL::INTEGER AS expected
  FROM unit_score WHERE composite <> round(composite, 2)
  UNION ALL
  SELECT 'province', r.unit_code, r.indicator_set, r.period, r.composite, r.rank_province,
         (1 + (SELECT count(*) FROM unit_rank o WHERE o.indicator_set = r.indicator_set AND o.unit_level = r.unit_level
                                               AND o.period = r.period AND o.composite > r.composite))::INTEGER
  FROM unit_rank r WHERE r.composite IS NOT NULL
  UNION ALL
  SELECT 'city', r.unit_code, r.indicator_set, r.period, r.composite, r.rank_in_city,
         (1 + (SELECT count(*) FROM unit_rank o WHERE o.indicator_set = r.indicator_set AND o.unit_level = r.unit_level
                                               AND o.period = r.period AND o.city_code = r.city_code
                                               AND o.composite > r.composite))::INTEGER
  FROM unit_rank r WHERE r.composite IS NOT NULL AND r.unit_level = 'county'
  UNION ALL
  SELECT 'path_up', p.unit_code, p.indicator_set, p.period, p.composite_if_met, p.rank_province_if_met,
         (1 + (SELECT count(*) FROM unit_rank o WHERE o.indicator_set = p.indicator_set AND o.unit_level = p.unit_level
                                               AND o.period = p.period AND o.unit_code <> p.unit_code
                                               AND o.composite > p.composite_if_met))::INTEGER
  FROM path_up p
  UNION ALL
  SELECT 'path_up precision', unit_code, indicator_set, period, composite_if_met, -1, NULL
  FROM path_up WHERE composite_if_met <> round(composite_if_met, 2)
) WHERE rank IS DISTINCT FROM expected
