-- indicator_score has one row per unit x scoring period x indicator.
SELECT unit_code, period, indicator_code, count(*) AS n
FROM indicator_score GROUP BY ALL HAVING count(*) > 1
