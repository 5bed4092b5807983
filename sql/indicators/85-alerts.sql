-- indicator_alert: one row per unit x scoring period x indicator x alert_kind that fires, with the
-- numbers that triggered it.
--
-- alert_kind 'behind_pace' (windows that end before 31 December only): the indicator is scored
--   with a value and its projection (indicator_projection) does not meet the annual target:
--   value = year to date, projected_value, reference_value = annual_target; for flows the
--   monthly_pace so far and the monthly_pace_needed for the rest of the year.
--   severity = points at stake: weight_effective x (1 - projected_attainment).
-- alert_kind 'sharp_drop': the latest complete native period of the indicator by the window's end
--   (month, quarter or year, as the catalog's period says; a month still running does not count)
--   worsened against the period just before it (环比) by more than dim_indicator.drop_alert percent:
--   change_pct = (value - reference_value) / |reference_value| x 100, below -drop_alert for
--   higher_better, above +drop_alert for lower_better. native_period / reference_period name the
--   two periods. Both must hold data: a stream-sourced period in which the unit has no record of
--   the stream (for a city or the province: none of its counties has one) has not been sent yet,
--   and its 0 is no value (alert_stream_month below; a missing report has no value already). Not
--   so for funding: disbursements are the federation's own ledger, so a period without one is a
--   period in which nothing was paid, a real 0.
--   Noise floor, so a county going from 3 cases to 2 is not an alert: counts need a previous value
--   of at least 10, yuan at least 10,000, stream means at least 10 cases behind both values, and
--   stream rates that too and at least 10 cases behind the larger numerator (2 resolved of 23 on
--   file, then none of 24, is two cases, not a fall of 100%). Indicators with an empty drop_alert
--   (yes/no, bands, growth rates) never fire. severity = |change_pct| / drop_alert.
--   level: how loudly the cockpit shows the alert, from severity: 'high' (>= 5), 'medium' (>= 2),
--   else 'low'. Every screen and export reads this column.
--   The same drop stays in force in every window until a newer native period replaces it (an
--   annual drop raised in '2025' is still there in '2026-Q1').
-- Made for the periods of engine_scope's years but those of score_period_kept (10-periods.sql); they
-- and older ones keep their rows.
-- alert_stream_month: the periods in which a unit has any record of a stream, each as its first
-- month, from the marts at their own grain: the month for mediation (a case received or closed) and
-- claims (one paid), the quarter for assistance (a case opened or closed) and training (the periods
-- of their indicators are quarters and years), the plan year (January) for enrolment. A city or the
-- province has one when any of its counties has. From the year before engine_scope's (an annual
-- period compared in its January).
CREATE OR REPLACE TEMP TABLE alert_stream_month AS
WITH bound AS (SELECT first_year - 1 AS year FROM engine_scope), county AS (
  SELECT 'mediation' AS source, county_code, month_key FROM mart_mediation_county_month WHERE year >= (SELECT year FROM bound)
  UNION ALL SELECT 'insurance', county_code, month_key FROM mart_claims_county_month WHERE year >= (SELECT year FROM bound)
  UNION ALL SELECT 'insurance', county_code, year * 100 + 1 FROM mart_members_county_year WHERE year >= (SELECT year FROM bound)
  UNION ALL SELECT 'assistance', county_code, year * 100 + quarter * 3 - 2 FROM mart_assistance_county_quarter WHERE year >= (SELECT year FROM bound)
  UNION ALL SELECT 'training', county_code, year * 100 + quarter * 3 - 2 FROM mart_training_county_quarter WHERE year >= (SELECT year FROM bound)
), present AS (
  SELECT DISTINCT source, county_code, month_key::INTEGER AS month_key FROM county
)
SELECT source, county_code AS unit_code, month_key FROM present
UNION SELECT p.source, c.city_code, p.month_key FROM present p JOIN dim_county c USING (county_code)
UNION SELECT source, '450000', month_key FROM present;

CREATE OR REPLACE TEMP TABLE indicator_alert_made AS
SELECT *, CASE WHEN severity >= 5 THEN 'high' WHEN severity >= 2 THEN 'medium' ELSE 'low' END AS level
FROM (
WITH native_point AS (
  -- per window: the latest complete month / quarter / year by its end, and the one before it
  SELECT p.period, k.period_kind, k.months,
         CASE k.period_kind
           WHEN 'month' THEN strftime(m.month_start, '%Y-%m')
           WHEN 'quarter' THEN m.year || '-Q' || m.quarter
           ELSE m.year::VARCHAR END AS native_period,
         CASE k.period_kind
           WHEN 'month' THEN strftime(m.month_start - INTERVAL 1 MONTH, '%Y-%m')
           WHEN 'quarter' THEN year(m.month_start - INTERVAL 3 MONTH) || '-Q' || quarter(m.month_start - INTERVAL 3 MONTH)
           ELSE (m.year - 1)::VARCHAR END AS reference_period
  FROM score_period p
  CROSS JOIN (VALUES ('month', 1), ('quarter', 3), ('year', 12)) k(period_kind, months)
  JOIN LATERAL (SELECT * FROM dim_month d
                WHERE d.month_end <= p.end_date AND (d.month_key % 100) % k.months = 0
                ORDER BY d.month_key DESC LIMIT 1) m ON true
  WHERE p.year >= (SELECT first_year FROM engine_scope) AND p.period NOT IN (SELECT period FROM score_period_kept)
), drops AS (
  SELECT cur.unit_code, cur.unit_level, cur.indicator_set, np.period, cur.indicator_code,
         'sharp_drop' AS alert_kind,
         cur.value, prev.value AS reference_value, np.native_period, np.reference_period,
         100 * (cur.value - prev.value) / abs(prev.value) AS change_pct,
         i.drop_alert AS threshold_pct, i.direction, i.unit, i.source,
         cur.denominator, prev.denominator AS reference_denominator,
         greatest(cur.numerator, prev.numerator) AS numerator_max
  FROM native_point np
  JOIN indicator_period_value cur ON cur.period_kind = np.period_kind AND cur.period = np.native_period
  JOIN indicator_period_value prev ON prev.unit_code = cur.unit_code AND prev.indicator_code = cur.indicator_code
                                  AND prev.period = np.reference_period
  JOIN dim_indicator i ON i.code = cur.indicator_code
  WHERE i.drop_alert IS NOT NULL AND cur.value IS NOT NULL AND prev.value IS NOT NULL AND prev.value <> 0
    AND (i.source IN ('reported', 'funding') OR EXISTS (
      SELECT 1 FROM alert_stream_month r
      WHERE r.source = i.source AND r.unit_code = cur.unit_code
        AND r.month_key BETWEEN year(cur.period_end - to_months(np.months - 1)) * 100 + month(cur.period_end - to_months(np.months - 1))
                            AND year(cur.period_end) * 100 + month(cur.period_end)))
)
SELECT d.unit_code, d.unit_level, u.city_code, d.indicator_set, d.period, d.indicator_code, d.alert_kind,
       d.value::DOUBLE AS value, d.reference_value::DOUBLE AS reference_value,
       d.native_period, d.reference_period,
       d.change_pct::DOUBLE AS change_pct, d.threshold_pct::DOUBLE AS threshold_pct,
       NULL::DOUBLE AS projected_value, NULL::DOUBLE AS monthly_pace, NULL::DOUBLE AS monthly_pace_needed,
       (abs(d.change_pct) / d.threshold_pct)::DOUBLE AS severity
FROM drops d JOIN dim_unit u ON u.unit_code = d.unit_code
WHERE CASE WHEN d.direction = 'lower_better' THEN d.change_pct > d.threshold_pct ELSE d.change_pct < -d.threshold_pct END
  AND CASE WHEN d.unit = 'count' THEN d.reference_value >= 10
           WHEN d.unit = 'yuan' THEN d.reference_value >= 10000
           WHEN d.source <> 'reported' THEN d.denominator >= 10 AND d.reference_denominator >= 10
                                           AND (d.unit <> 'percent' OR d.numerator_max >= 10)
           ELSE true END
UNION ALL
SELECT j.unit_code, j.unit_level, j.city_code, j.indicator_set, j.period, j.indicator_code, 'behind_pace',
       j.value, j.annual_target, j.period, NULL,
       NULL, NULL,
       j.projected_value, j.monthly_pace, j.monthly_pace_needed,
       (s.weight_effective * (1 - j.projected_attainment))::DOUBLE
FROM indicator_projection j
JOIN score_period p ON p.period = j.period
JOIN indicator_score s ON s.unit_code = j.unit_code AND s.indicator_code = j.indicator_code AND s.period = j.period
WHERE NOT p.is_year_end AND NOT j.will_meet AND j.year >= (SELECT first_year FROM engine_scope)
  AND j.period NOT IN (SELECT period FROM score_period_kept)
);

CREATE TABLE IF NOT EXISTS indicator_alert AS FROM indicator_alert_made LIMIT 0;
DELETE FROM indicator_alert WHERE left(period, 4)::INTEGER >= (SELECT first_year FROM engine_scope)
  AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO indicator_alert FROM indicator_alert_made;
DROP TABLE indicator_alert_made;
DROP TABLE alert_stream_month;
