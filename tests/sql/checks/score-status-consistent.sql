-- Status, attainment, weight and points agree: met iff attainment 1; missing scores 0; not applicable
-- carries no weight; points never exceed the weight; statuses are the four documented ones.
SELECT unit_code, period, indicator_code, status, attainment, weight_effective, points
FROM indicator_score
WHERE status NOT IN ('met', 'not_met', 'missing', 'not_applicable')
   OR (status = 'met') <> (attainment IS NOT DISTINCT FROM 1.0)
   OR (status = 'missing' AND (value IS NOT NULL OR points <> 0))
   OR (status = 'not_applicable') <> (weight_effective IS NULL)
   OR (status = 'not_applicable' AND status_reason IS NULL)
   OR attainment < 0 OR attainment > 1
   OR points > weight_effective + 1e-9
