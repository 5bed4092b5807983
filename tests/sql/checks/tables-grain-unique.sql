-- The other output tables keep their documented grains.
SELECT 'metric_value' AS t, unit_code || ' ' || metric || ' ' || period_kind || ' ' || period AS k
FROM metric_value GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'overview_tile', unit_code || ' ' || month_key || ' ' || tile FROM overview_tile GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'indicator_period_value', unit_code || ' ' || indicator_code || ' ' || period
FROM indicator_period_value GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'unit_score', unit_code || ' ' || indicator_set || ' ' || period FROM unit_score GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'unit_rank', unit_code || ' ' || period FROM unit_rank GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'indicator_projection', unit_code || ' ' || indicator_code || ' ' || period
FROM indicator_projection GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'indicator_explain', unit_code || ' ' || period || ' ' || kind || ' ' || ordinal
FROM indicator_explain GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'path_up', unit_code || ' ' || period || ' ' || indicator_code FROM path_up GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'indicator_alert', unit_code || ' ' || period || ' ' || indicator_code || ' ' || alert_kind
FROM indicator_alert GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'briefing_fact', period || ' ' || fact_kind || ' ' || unit_level || ' ' || ordinal
FROM briefing_fact GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'report_status', unit_code || ' ' || indicator_code || ' ' || period FROM report_status GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'unit_data_quality', unit_code FROM unit_data_quality GROUP BY ALL HAVING count(*) > 1
