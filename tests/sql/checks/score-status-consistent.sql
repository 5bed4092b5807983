-- Status, attainment, weight and points agree: met iff attainment 1; missing scores 0; not due and
-- not applicable carry no weight; not due always says so; points never exceed the weight; statuses
-- are the five documented ones.
SELECT unit_code, period, indicator_code, status, attainment, weight_effective, points
FROM indicator_score
WHERE status NOT IN ('met', 'not_met', 'missing', 'not_due', 'not_applicable')
   OR (status = 'met') <> (attainment IS NOT DISTINCT FROM 1.0)
   OR (status = 'missing' AND (value IS NOT NULL OR points <> 0))
   OR (status IN ('not_applicable', 'not_due')) <> (weight_effective IS NULL)
   OR (status = 'not_due') <> (status_reason IS NOT DISTINCT FROM 'not_due')
   OR (status = 'not_applicable' AND status_reason IS NULL)
   OR attainment < 0 OR attainment > 1
   OR points > weight_effective + 1e-9
