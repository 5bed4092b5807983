-- Composites and dimension scores stay within 0-100, and the dimensions add up to the composite
-- (the composite is their sum rounded to its 2 published decimals).
SELECT s.unit_code, s.indicator_set, s.period, s.composite, d.points
FROM unit_score s
LEFT JOIN (SELECT unit_code, indicator_set, period, sum(points) AS points FROM unit_dimension_score GROUP BY ALL) d
  USING (unit_code, indicator_set, period)
WHERE s.composite < 0 OR s.composite > 100 + 1e-9
   OR (s.composite IS NOT NULL AND abs(s.composite - d.points) > 0.005 + 1e-9)
UNION ALL
SELECT unit_code, indicator_set, period, score, points FROM unit_dimension_score WHERE score < 0 OR score > 100 + 1e-9
