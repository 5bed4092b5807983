-- After not-applicable indicators drop out, the applicable weights of a unit, set and period sum to 100.
SELECT unit_code, indicator_set, period, sum(weight_effective) AS weight
FROM indicator_score
GROUP BY ALL
HAVING count(weight_effective) > 0 AND abs(sum(weight_effective) - 100) > 1e-9
