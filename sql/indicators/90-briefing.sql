-- briefing_fact: the facts a briefing for a scoring period is written from, each compared with
-- score_period.prev_period. One row per period x fact_kind x unit_level x ordinal (1 = most
-- notable; DOUBLE sort keys are rounded to 9 decimals so that last-bit differences of sums leave ties to the
-- unit code). Periods without a previous period have only the headline facts (province_score,
-- county_average, headline). Every number a briefing sentence states is one of these columns.
--
--   fact_kind       unit_level        what the columns hold
--   'rank_up'       county, city      the 5 units that gained most places (rank_province_change > 0):
--   'rank_down'                       rank, rank_prev, change = places gained (negative for down),
--                                     value = composite, previous_value = composite_prev
--   'alert_new'     county, city,     every alert of the period (indicator_alert) not there in the
--   'alert_cleared' province          previous period for the same unit, indicator and alert_kind
--                                     ('cleared': there before, gone now), ordered by severity:
--                                     indicator_code, alert_kind, native_period, value,
--                                     previous_value = the alert's reference_value, change = change_pct
--   'record'        province, city    a month after the previous period's end, up to this period's
--                                     end, that beat every earlier month of the unit (at least 12
--                                     complete months before it): the best such month per unit and
--                                     metric; metric, native_period = the month, value,
--                                     previous_value = the record it beat, change = value -
--                                     previous_value. Higher is a record for counts, amounts and
--                                     rates; lower for days (metric_def.better). Hardship-assistance
--                                     metrics are left out (more aid is not news to celebrate).
--   'province_score' province         the province's reform88 composite: value, previous_value = the
--                                     composite of prev_period (NULL without one), change = value -
--                                     previous_value
--   'county_average' county           value = the mean county47 composite of the 111 counties
--                                     (unit_code 450000: the province's counties)
--   'headline'       province         metric = the overview tile ('mediation_rate',
--                                     'mediation_success') at the period's last month: value,
--                                     previous_value = the same window last year, change = value -
--                                     previous_value (points for the rate, cases for the count)
-- Made for the periods of engine_scope's years but those of score_period_kept (10-periods.sql); they
-- and older ones keep their rows.
CREATE OR REPLACE TEMP TABLE briefing_fact_made AS
WITH periods AS (
  SELECT p.period, p.prev_period, p.end_date, pp.end_date AS prev_end_date
  FROM score_period p JOIN score_period pp ON pp.period = p.prev_period
  WHERE p.year >= (SELECT first_year FROM engine_scope) AND p.period NOT IN (SELECT period FROM score_period_kept)
), movers AS (
  SELECT r.period, CASE WHEN r.rank_province_change > 0 THEN 'rank_up' ELSE 'rank_down' END AS fact_kind,
         r.unit_level, r.unit_code, r.indicator_set,
         r.composite AS value, r.composite_prev AS previous_value, r.rank_province_change AS change,
         r.rank_province AS rank, r.rank_province_prev AS rank_prev
  FROM unit_rank r
  WHERE r.rank_province_change <> 0 AND r.year >= (SELECT first_year FROM engine_scope)
    AND r.period NOT IN (SELECT period FROM score_period_kept)
  QUALIFY row_number() OVER (PARTITION BY r.period, r.unit_level, r.rank_province_change > 0
                             ORDER BY abs(r.rank_province_change) DESC, r.rank_province, r.unit_code) <= 5
), alert_changes AS (
  SELECT p.period, 'alert_new' AS fact_kind, a.unit_code, a.unit_level, a.indicator_set, a.indicator_code,
         a.alert_kind, a.native_period, a.value, a.reference_value, a.change_pct, a.severity
  FROM periods p JOIN indicator_alert a ON a.period = p.period
  WHERE NOT EXISTS (SELECT 1 FROM indicator_alert b WHERE b.period = p.prev_period AND b.unit_code = a.unit_code
                      AND b.indicator_code = a.indicator_code AND b.alert_kind = a.alert_kind)
  UNION ALL
  SELECT p.period, 'alert_cleared', b.unit_code, b.unit_level, b.indicator_set, b.indicator_code,
         b.alert_kind, b.native_period, b.value, b.reference_value, b.change_pct, b.severity
  FROM periods p JOIN indicator_alert b ON b.period = p.prev_period
  WHERE NOT EXISTS (SELECT 1 FROM indicator_alert a WHERE a.period = p.period AND a.unit_code = b.unit_code
                      AND a.indicator_code = b.indicator_code AND a.alert_kind = b.alert_kind)
), monthly AS (
  SELECT v.unit_code, v.unit_level, v.metric, v.period AS month, v.end_month_key, d.better,
         CASE WHEN d.better = 'lower' THEN -v.value ELSE v.value END AS score,
         v.value
  FROM metric_value v JOIN metric_def d USING (metric)
  WHERE v.period_kind = 'month' AND v.is_complete AND v.value IS NOT NULL
    AND v.unit_level IN ('province', 'city') AND d.source <> 'assistance' AND d.shape IN ('flow', 'rate', 'mean')
), records AS (
  SELECT *
  FROM (SELECT *,
               max(score) OVER w AS best_before,
               count(*) OVER w AS months_before
        FROM monthly
        WINDOW w AS (PARTITION BY unit_code, metric ORDER BY end_month_key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
  WHERE months_before >= 12 AND score > best_before
), period_records AS (
  SELECT p.period, 'record' AS fact_kind, r.unit_level, r.unit_code, r.metric, r.month,
         r.value, CASE WHEN r.better = 'lower' THEN -r.best_before ELSE r.best_before END AS previous_value
  FROM periods p JOIN records r
    ON r.end_month_key > year(p.prev_end_date) * 100 + month(p.prev_end_date)
   AND r.end_month_key <= year(p.end_date) * 100 + month(p.end_date)
  QUALIFY row_number() OVER (PARTITION BY p.period, r.unit_code, r.metric ORDER BY r.score DESC) = 1
)
SELECT period, fact_kind, unit_level,
       row_number() OVER (PARTITION BY period, fact_kind, unit_level
                          ORDER BY abs(change) DESC, rank, unit_code)::INTEGER AS ordinal,
       unit_code, indicator_set, NULL AS indicator_code, NULL AS metric, NULL AS alert_kind, NULL AS native_period,
       value::DOUBLE AS value, previous_value::DOUBLE AS previous_value, change::DOUBLE AS change,
       rank::INTEGER AS rank, rank_prev::INTEGER AS rank_prev
FROM movers
UNION ALL
SELECT period, fact_kind, unit_level,
       row_number() OVER (PARTITION BY period, fact_kind, unit_level ORDER BY round(severity, 9) DESC, unit_code, indicator_code, alert_kind)::INTEGER,
       unit_code, indicator_set, indicator_code, NULL, alert_kind, native_period,
       value, reference_value, change_pct, NULL, NULL
FROM alert_changes
UNION ALL
SELECT period, fact_kind, unit_level,
       row_number() OVER (PARTITION BY period, fact_kind, unit_level
                          ORDER BY round(abs(value - previous_value) / nullif(abs(previous_value), 0), 9) DESC NULLS LAST, unit_code, metric)::INTEGER,
       unit_code, NULL, NULL, metric, NULL, month,
       value, previous_value, value - previous_value, NULL, NULL
FROM period_records
UNION ALL
SELECT p.period, 'province_score', 'province', 1, '450000', 'reform88', NULL, NULL, NULL, NULL,
       u.composite, pu.composite, u.composite - pu.composite, NULL, NULL
FROM score_period p
JOIN unit_score u ON u.period = p.period AND u.unit_code = '450000' AND u.indicator_set = 'reform88'
                 AND u.year >= (SELECT first_year FROM engine_scope) AND u.period NOT IN (SELECT period FROM score_period_kept)
LEFT JOIN unit_score pu ON pu.period = p.prev_period AND pu.unit_code = '450000' AND pu.indicator_set = 'reform88'
UNION ALL
SELECT u.period, 'county_average', 'county', 1, '450000', 'county47', NULL, NULL, NULL, NULL,
       avg(u.composite), NULL, NULL, NULL, NULL
FROM unit_score u
WHERE u.indicator_set = 'county47' AND u.unit_level = 'county' AND u.year >= (SELECT first_year FROM engine_scope)
  AND u.period NOT IN (SELECT period FROM score_period_kept)
GROUP BY u.period
UNION ALL
SELECT p.period, 'headline', 'province', CASE t.tile WHEN 'mediation_rate' THEN 1 ELSE 2 END, '450000', NULL, NULL, t.tile, NULL, strftime(p.end_date, '%Y-%m'),
       t.value, t.last_year, t.value - t.last_year, NULL, NULL
FROM score_period p
JOIN overview_tile t ON t.unit_code = '450000' AND t.month_key = p.end_month_key
WHERE t.tile IN ('mediation_rate', 'mediation_success') AND t.value IS NOT NULL AND p.year >= (SELECT first_year FROM engine_scope)
  AND p.period NOT IN (SELECT period FROM score_period_kept);

CREATE TABLE IF NOT EXISTS briefing_fact AS FROM briefing_fact_made LIMIT 0;
DELETE FROM briefing_fact WHERE left(period, 4)::INTEGER >= (SELECT first_year FROM engine_scope)
  AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO briefing_fact FROM briefing_fact_made;
DROP TABLE briefing_fact_made;
