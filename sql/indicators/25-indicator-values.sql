-- indicator_period_value: one row per unit x indicator x native period (the period the catalog
-- says the indicator is reported or computed for: 'month' '2025-07', 'quarter' '2025-Q3', 'year'
-- '2025'). This is the indicator's own series (trend charts, drop alerts); scoring aggregates it to
-- year-to-date windows in 30-attainment.sql.
--
-- Units: county47 indicators for the 111 counties; reform88 for the 14 cities and the province.
-- Values:
--   stream-sourced: metric_value of the indicator's metric for the same unit and window (every
--     window from the first data month, zero counts included; value NULL with null_reason when it
--     cannot be computed). The current year's 'year' row is its year to date (is_complete false).
--   reported: fact_indicator_value as loaded (no row when the report is missing). The province's
--     reform88 values are not reported; they are aggregated from the cities' reports of the same
--     period: count and yuan are summed, percent and ratio are the unweighted mean of the cities
--     that reported, booleans are not aggregated (a city's yes is not the province's; those
--     indicators are not applicable to the province, see 30-attainment.sql). `reports` is how many
--     city reports the province figure rests on (a sum over 13 cities understates a count).
-- Made for the native periods of engine_scope's years ending from its first_month_key on
-- (10-periods.sql): a period's value reads its own months (and the year to date, its year's months
-- before them), and a changed report counts from its period's first month (etl/merge.ts
-- firstMonthOf); earlier periods and older years keep their rows.
CREATE OR REPLACE TEMP TABLE indicator_period_value_made AS
WITH indicators AS (
  SELECT code AS indicator_code, indicator_set, unit, period, source, metric,
         CASE period WHEN 'monthly' THEN 'month' WHEN 'quarterly' THEN 'quarter' ELSE 'year' END AS period_kind
  FROM dim_indicator
), streamed AS (
  SELECT v.unit_code, v.unit_level, i.indicator_set, i.indicator_code, v.period_kind, v.period, v.year,
         last_day(make_date(v.end_month_key // 100, v.end_month_key % 100, 1)) AS period_end,
         v.value, v.numerator, v.denominator, v.null_reason, NULL::INTEGER AS reports, NULL::INTEGER AS batch_id,
         v.is_complete
  FROM indicators i
  JOIN metric_value v ON v.metric = i.metric AND v.period_kind = i.period_kind
  WHERE i.source <> 'reported'
    AND (i.indicator_set = 'county47') = (v.unit_level = 'county')
    AND v.year >= (SELECT first_year FROM engine_scope) AND v.end_month_key >= (SELECT first_month_key FROM engine_scope)
), reported AS (
  SELECT f.unit_code, u.level AS unit_level, i.indicator_set, i.indicator_code, i.period_kind, f.period,
         year(f.period_start)::INTEGER AS year, f.period_end, f.value, i.unit
         , f.batch_id
  FROM fact_indicator_value f
  JOIN indicators i ON i.indicator_code = f.indicator_code
  JOIN dim_unit u ON u.unit_code = f.unit_code
  WHERE i.source = 'reported'
    AND ((i.indicator_set = 'county47' AND u.level = 'county') OR (i.indicator_set = 'reform88' AND u.level = 'city'))
    AND year(f.period_start) >= (SELECT first_year FROM engine_scope)
    AND year(f.period_end) * 100 + month(f.period_end) >= (SELECT first_month_key FROM engine_scope)
)
SELECT * FROM streamed
UNION ALL
SELECT unit_code, unit_level, indicator_set, indicator_code, period_kind, period, year, period_end,
       value, NULL, NULL, NULL, 1, batch_id, period_end <= (SELECT as_of_date FROM indicator_asof)
FROM reported
UNION ALL
SELECT '450000', 'province', indicator_set, indicator_code, period_kind, period, year, period_end,
       CASE WHEN unit IN ('count', 'yuan') THEN sum(value) ELSE avg(value) END,
       NULL, NULL, NULL, count(*)::INTEGER, NULL, period_end <= (SELECT as_of_date FROM indicator_asof)
FROM reported
WHERE indicator_set = 'reform88' AND unit <> 'boolean'
GROUP BY indicator_set, indicator_code, unit, period_kind, period, year, period_end;

CREATE TABLE IF NOT EXISTS indicator_period_value AS FROM indicator_period_value_made LIMIT 0;
DELETE FROM indicator_period_value WHERE year >= (SELECT first_year FROM engine_scope)
  AND year(period_end) * 100 + month(period_end) >= (SELECT first_month_key FROM engine_scope);
INSERT INTO indicator_period_value FROM indicator_period_value_made;
DROP TABLE indicator_period_value_made;
