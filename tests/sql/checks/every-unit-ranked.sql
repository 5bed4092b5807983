-- Every county is ranked on county47 and every city on reform88, once, in every scoring period.
SELECT u.unit_code, p.period, count(r.unit_code) AS ranks
FROM dim_unit u CROSS JOIN score_period p
LEFT JOIN unit_rank r ON r.unit_code = u.unit_code AND r.period = p.period
WHERE u.level IN ('county', 'city')
GROUP BY ALL
HAVING count(r.unit_code) <> 1 OR count(r.rank_province) <> 1
