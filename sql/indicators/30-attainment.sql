-- indicator_score: one row per unit x indicator x scoring period (score_period), for the units the
-- indicator's set is scored for (county47: the 111 counties; reform88: the 14 cities and the
-- province). The scorecard, the explanation, the path up and the alerts all read it.
--
-- VALUE in a scoring period (a year-to-date window, 1 January to end_date):
--   stream-sourced: the metric's year-to-date value (metric_value 'ytd' at the end month), whatever
--     the indicator's period; a monthly rate is the rate over the whole year to date.
--   reported annual: the year's report, scored only when the window covers the whole year
--     (is_year_end). Before that the report is not yet due: status not_due.
--   reported quarterly/monthly: the sub-periods that have ended by end_date ("due"), a missing
--     report counting as 0: count/yuan = sum of the due reports; percent/ratio = sum / number due
--     (the mean, where a missing quarter pulls it down). No due sub-period yet: not_due; none of
--     the due ones reported: missing. reports_missing counts the due reports absent.
-- TARGET for the window's year (indicator_target_year: the year's override, else the default):
--   '>= N' / '<= N': N; for a count or yuan indicator reported or computed per quarter or month, N
--     per sub-period, so the year-to-date target is N x the sub-periods due (C03 '>= 1' a quarter is
--     3 reports by the end of Q3).
--   '= true' / '= false': 1 / 0.
--   '>= prev' (+r% / +p pt): BASELINE x (1 + r/100) + p, where the baseline is the same window of
--     the previous year (1 January to the same day), computed the same way. When end_date is not a
--     month end (the current month is still running), the baseline of a flow takes the previous
--     year's month only pro rata (days elapsed / days in the month), so 25 days are compared with 25.
--     No baseline (no report or no data a year earlier): not_applicable ('no_baseline').
--   'between A and B': target_low A, target_high B.
-- ATTAINMENT in [0, 1] (capped at 1.0, so the composite stays within 0-100 and over-achievement on
--   one indicator cannot buy back another):
--   higher_better: value / target (target <= 0: 1 when value >= target, else 0)
--   lower_better:  1 when value <= target, else target / value
--   target_band:   1 inside [A, B]; below: value / A; above: 2 - value / B (linear falloff: 10%
--                  outside the band costs 10% of the points, 0 at 0 or at twice B)
--   boolean:       1 when the report equals the target (1 = yes), else 0
--   attainment_raw keeps the uncapped ratio (how far beyond or short, for the explanation).
-- STATUS:
--   not_due (未到期): the indicator's period has not ended in this window (an annual report before
--     the year is over, or no quarter/month ended yet); status_reason 'not_due'. It applies to the
--     unit but cannot be judged yet.
--   not_applicable (不适用): the indicator does not count for this unit and window, with status_reason
--     'not_pilot'   C19 (applies_to service_complex_pilot) for a county without a service_complex
--                   grant from acftu or regional_federation between 1 January and end_date;
--     'no_baseline' a '>= prev' target without a previous-year value, or member growth without
--                   previous-year members;
--     'no_program'  C28 in a year without the county-strengthening programme;
--     'no_data_yet' the stream has no records anywhere before end_date (a pipeline gap, not the unit's);
--     'not_at_level' a reform88 yes/no indicator for the province (only cities report it).
--     Not-due and not-applicable indicators drop out of the composite: weight_effective = weight x
--     100 / (sum of the weights of the unit's scored indicators in the set and window), so the scored
--     weights sum to 100. attainment, points and weight_effective are NULL.
--   missing: no value: the report is absent ('no_report') or a stream rate has no cases
--     ('no_records'). Scored as attainment 0, points 0: an unreported indicator is not met, and not
--     reporting must never pay better than reporting a poor figure.
--   met: the rule holds exactly (value >= target ...; attainment 1); otherwise not_met.
-- points = weight_effective x attainment; points_lost = weight_effective - points.
-- gap (not_met only): how far the value is short of the target (indicator_gap in 05-macros.sql).
CREATE OR REPLACE TEMP TABLE score_point AS
-- Each scoring window of the years in engine_scope but those of score_period_kept (10-periods.sql;
-- older years and earlier windows keep their rows), and the same window a year earlier (the baseline
-- of '>= prev').
SELECT p.period, w.role, w.year, w.end_date,
       (w.year * 100 + month(w.end_date))::INTEGER AS end_month_key,
       month(w.end_date)::INTEGER AS end_month,
       w.end_date = make_date(w.year, 12, 31) AS is_year_end,
       w.end_date < last_day(w.end_date) AS is_partial_month,
       day(w.end_date)::DOUBLE / day(last_day(w.end_date)) AS month_fraction,
       -- sub-periods that have ended by end_date
       ((month(w.end_date) - CASE WHEN w.end_date < last_day(w.end_date) THEN 1 ELSE 0 END) // 3)::INTEGER AS quarters_due,
       (month(w.end_date) - CASE WHEN w.end_date < last_day(w.end_date) THEN 1 ELSE 0 END)::INTEGER AS months_due
FROM score_period p,
     LATERAL (SELECT 'current' AS role, p.year AS year, p.end_date AS end_date
              UNION ALL
              SELECT 'baseline', p.year - 1,
                     CASE WHEN p.is_partial_month THEN (p.end_date - INTERVAL 1 YEAR)::DATE
                          ELSE last_day((p.end_date - INTERVAL 1 YEAR)::DATE) END) w
WHERE p.year >= (SELECT first_year FROM engine_scope) AND p.period NOT IN (SELECT period FROM score_period_kept);

CREATE OR REPLACE TEMP TABLE score_scope AS
-- Every unit x indicator the sets are scored for.
SELECT u.unit_code, u.level AS unit_level, u.city_code, i.indicator_set, i.code AS indicator_code,
       i.unit, i.direction, i.period AS indicator_period, i.source, i.metric, i.applies_to, i.weight,
       i.dimension, i.sort_order, i.catalog_version
FROM dim_indicator i
JOIN dim_unit u ON (i.indicator_set = 'county47' AND u.level = 'county')
                OR (i.indicator_set = 'reform88' AND u.level IN ('city', 'province'));

CREATE OR REPLACE TEMP TABLE score_point_value AS
WITH point_metric AS (
  -- the metric values at the windows' end months only (a join on the whole table hashes every month)
  SELECT unit_code, metric, period_kind, end_month_key, value, null_reason, denominator
  FROM metric_value
  WHERE period_kind IN ('ytd', 'month') AND end_month_key IN (SELECT end_month_key FROM score_point)
), point_reported AS (
  SELECT * FROM indicator_period_value WHERE year IN (SELECT year FROM score_point)
), stream AS (
  SELECT s.unit_code, s.indicator_code, pt.period, pt.role,
         CASE WHEN pt.role = 'baseline' AND pt.is_partial_month AND d.shape = 'flow'
              THEN y.value - (1 - pt.month_fraction) * coalesce(m.value, 0)
              ELSE y.value END AS value,
         y.null_reason AS reason, NULL::INTEGER AS reports_due, NULL::INTEGER AS reports_missing,
         y.denominator AS stream_denominator, NULL::INTEGER AS subperiods_due
  FROM score_scope s
  JOIN metric_def d ON d.metric = s.metric
  CROSS JOIN score_point pt
  LEFT JOIN point_metric y ON y.unit_code = s.unit_code AND y.metric = s.metric AND y.period_kind = 'ytd'
                          AND y.end_month_key = pt.end_month_key
  LEFT JOIN point_metric m ON m.unit_code = s.unit_code AND m.metric = s.metric AND m.period_kind = 'month'
                          AND m.end_month_key = pt.end_month_key
  WHERE s.source <> 'reported'
), annual AS (
  SELECT s.unit_code, s.indicator_code, pt.period, pt.role,
         CASE WHEN pt.is_year_end THEN v.value END AS value,
         CASE WHEN NOT pt.is_year_end THEN 'not_due'
              WHEN s.unit_level = 'province' AND s.unit = 'boolean' THEN 'not_at_level'
              WHEN v.value IS NULL THEN 'no_report' END AS reason,
         CASE WHEN pt.is_year_end THEN CASE WHEN s.unit_level = 'province' THEN (SELECT count(*) FROM dim_city) ELSE 1 END END AS reports_due,
         CASE WHEN pt.is_year_end THEN CASE WHEN s.unit_level = 'province' THEN (SELECT count(*) FROM dim_city) - coalesce(v.reports, 0)
                                            ELSE CASE WHEN v.value IS NULL THEN 1 ELSE 0 END END END AS reports_missing,
         NULL::DOUBLE AS stream_denominator, NULL::INTEGER AS subperiods_due
  FROM score_scope s
  CROSS JOIN score_point pt
  LEFT JOIN point_reported v ON v.unit_code = s.unit_code
                            AND v.indicator_code = s.indicator_code AND v.period = pt.year::VARCHAR
  WHERE s.source = 'reported' AND s.indicator_period = 'annual'
), sub AS (
  -- reported per quarter or month: aggregate the sub-periods due, a missing one counting as 0
  SELECT s.unit_code, s.indicator_code, pt.period, pt.role, s.unit, s.unit_level,
         CASE s.indicator_period WHEN 'quarterly' THEN pt.quarters_due ELSE pt.months_due END AS due,
         count(v.value) AS reported, sum(v.value) AS total,
         sum(coalesce(v.reports, 0)) AS city_reports
  FROM score_scope s
  CROSS JOIN score_point pt
  LEFT JOIN point_reported v
         ON v.unit_code = s.unit_code AND v.indicator_code = s.indicator_code AND v.year = pt.year
        AND v.period_end <= pt.end_date
  WHERE s.source = 'reported' AND s.indicator_period <> 'annual'
  GROUP BY ALL
)
SELECT * FROM stream
UNION ALL
SELECT * FROM annual
UNION ALL
SELECT unit_code, indicator_code, period, role,
       CASE WHEN due > 0 AND reported > 0 THEN CASE WHEN unit IN ('count', 'yuan') THEN total ELSE total / due END END,
       CASE WHEN due = 0 THEN 'not_due'
            WHEN unit_level = 'province' AND unit = 'boolean' THEN 'not_at_level'
            WHEN reported = 0 THEN 'no_report' END,
       due * CASE WHEN unit_level = 'province' THEN (SELECT count(*) FROM dim_city) ELSE 1 END,
       due * CASE WHEN unit_level = 'province' THEN (SELECT count(*) FROM dim_city) ELSE 1 END
         - CASE WHEN unit_level = 'province' THEN city_reports ELSE reported END,
       NULL, due
FROM sub;

CREATE OR REPLACE TEMP TABLE indicator_score_made AS
WITH joined AS (
  SELECT s.*, p.period, p.period_kind, p.year, p.end_date,
         c.value, c.reason AS value_reason, c.reports_due, c.reports_missing, c.subperiods_due,
         b.value AS baseline, b.reason AS baseline_reason,
         t.target_rule, t.target_op, t.target_value, t.target_low, t.target_high, t.target_relative, t.target_points,
         pt.quarters_due, pt.months_due,
         -- a county is a service-complex pilot once its grant has arrived this year
         (s.applies_to <> 'service_complex_pilot' OR coalesce(pilot.denominator, 0) > 0) AS applies
  FROM score_scope s
  CROSS JOIN score_period p
  JOIN score_point pt ON pt.period = p.period AND pt.role = 'current'
  JOIN score_point_value c ON c.unit_code = s.unit_code AND c.indicator_code = s.indicator_code
                          AND c.period = p.period AND c.role = 'current'
  LEFT JOIN score_point_value b ON b.unit_code = s.unit_code AND b.indicator_code = s.indicator_code
                               AND b.period = p.period AND b.role = 'baseline'
  JOIN indicator_target_year t ON t.indicator_code = s.indicator_code AND t.year = p.year
  LEFT JOIN metric_value pilot ON pilot.unit_code = s.unit_code
                              AND pilot.metric = 'service_complex_city_match_share' AND pilot.period_kind = 'ytd'
                              AND pilot.end_month_key = pt.end_month_key
), targeted AS (
  SELECT *,
         CASE target_op
           WHEN '>=prev' THEN indicator_target_prev(baseline, target_relative, target_points)
           WHEN 'between' THEN NULL
           WHEN '=' THEN target_value
           ELSE target_value * CASE WHEN unit IN ('count', 'yuan') AND indicator_period <> 'annual'
                                    THEN CASE indicator_period WHEN 'quarterly'
                                              THEN CASE WHEN source = 'reported' THEN subperiods_due ELSE month(end_date) / 3.0 END
                                              ELSE CASE WHEN source = 'reported' THEN subperiods_due ELSE month(end_date) END END
                                    ELSE 1 END
         END AS target,
         CASE
           WHEN NOT applies THEN 'not_pilot'
           WHEN value_reason IN ('not_due', 'not_at_level', 'no_baseline', 'no_program', 'no_data_yet') THEN value_reason
           WHEN target_op = '>=prev' AND baseline IS NULL AND value IS NOT NULL THEN 'no_baseline'
           WHEN value IS NULL THEN coalesce(value_reason, 'no_report')
         END AS status_reason
  FROM joined
), scored AS (
  SELECT *,
         CASE WHEN status_reason IS NULL THEN
           indicator_attainment_raw(direction, unit, value, target, target_low, target_high)
         END AS attainment_raw,
         CASE
           WHEN status_reason IN ('no_report', 'no_records') THEN 'missing'
           WHEN status_reason = 'not_due' THEN 'not_due'
           WHEN status_reason IS NOT NULL THEN 'not_applicable'
           WHEN indicator_target_met(direction, unit, value, target, target_low, target_high) THEN 'met'
           ELSE 'not_met'
         END AS status
  FROM targeted
), applicable AS (
  -- (a grouped sum joined back: a window over these wide rows costs several times more)
  SELECT unit_code, indicator_set, period, sum(weight) AS applicable_weight
  FROM scored WHERE status NOT IN ('not_applicable', 'not_due') GROUP BY ALL
), weighted AS (
  SELECT s.*,
         CASE WHEN status IN ('not_applicable', 'not_due') THEN NULL
              WHEN status = 'missing' THEN 0.0
              ELSE greatest(0.0, least(1.0, attainment_raw)) END AS attainment,
         CASE WHEN status NOT IN ('not_applicable', 'not_due') THEN weight * 100 / a.applicable_weight END AS weight_effective
  FROM scored s LEFT JOIN applicable a USING (unit_code, indicator_set, period)
)
SELECT unit_code, unit_level, city_code, indicator_set, period, period_kind, year,
       indicator_code, dimension, sort_order,
       value::DOUBLE AS value,
       baseline::DOUBLE AS baseline,
       target_rule,
       target::DOUBLE AS target,
       target_low::DOUBLE AS target_low,
       target_high::DOUBLE AS target_high,
       attainment::DOUBLE AS attainment,
       CASE WHEN status IN ('met', 'not_met') THEN attainment_raw END::DOUBLE AS attainment_raw,
       weight::DOUBLE AS weight,
       weight_effective::DOUBLE AS weight_effective,
       (weight_effective * attainment)::DOUBLE AS points,
       (weight_effective * (1 - attainment))::DOUBLE AS points_lost,
       CASE WHEN status = 'not_met' THEN indicator_gap(direction, unit, value, target, target_low, target_high) END::DOUBLE AS gap,
       status,
       status_reason,
       reports_due::INTEGER AS reports_due,
       reports_missing::INTEGER AS reports_missing,
       subperiods_due::INTEGER AS subperiods_due,
       catalog_version
FROM weighted;

CREATE TABLE IF NOT EXISTS indicator_score AS FROM indicator_score_made LIMIT 0;
DELETE FROM indicator_score WHERE year >= (SELECT first_year FROM engine_scope)
  AND period NOT IN (SELECT period FROM score_period_kept);
-- In period order, by key: inserted as made, a full build's 222k rows (scale 1) were stored in three
-- row groups about one time in three, and the next month's publish merged them back into two at its
-- checkpoint (0.60 s against 0.16 s). Sorted, they fill two, the periods a publish makes again lie at
-- the end, and the rows of a period are read in one order in a small publish and a full rebuild.
INSERT INTO indicator_score FROM indicator_score_made ORDER BY year, period, unit_code, indicator_code;
DROP TABLE indicator_score_made;
