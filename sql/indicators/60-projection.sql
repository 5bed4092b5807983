-- indicator_projection: one row per unit x indicator x scoring period where the indicator is scored
-- with a value (status met or not_met): the year-to-date value, where it will end the year at the
-- current pace, and whether that meets the annual target.
--
-- projection_method:
--   'actual'        the window is the whole year: projected_value = value.
--   'run_rate_seasonal' flows (count and yuan metrics that add up over time: metric_def.shape
--                   'flow'; reported count/yuan indicators summed over quarters or months) with a
--                   previous year to learn the season from: projected = value x (previous full
--                   year / previous year's same window), i.e. the rest of the year goes as it went
--                   last year relative to the year to date. Mediation and training peak in December
--                   and dip at the Spring Festival, so a straight line would call nearly every
--                   county "behind" each November while it is level with last year.
--   'run_rate'      the same flows without a usable previous year: projected = value x
--                   days_in_year / days_elapsed (stream), or value x sub-periods in a year /
--                   sub-periods due (reported per quarter/month).
--   'current_value' rates, means, stocks and yes/no: projected_value = value.
-- annual_target: the target for the whole year: '>= N'/'<= N' x sub-periods in a year for count/yuan
--   indicators per quarter/month (4 or 12), else N; '>= prev' = the previous full year's value
--   (indicator_score of period 'Y-1') x uplift; bands and yes/no as in indicator_score.
-- will_meet: projected_value satisfies the annual target (the rule of 30-attainment.sql);
--   projected_attainment: its capped attainment.
-- monthly_pace / monthly_pace_needed (flows only): the average per month so far, and per remaining
--   month to reach the annual target (a month = days_in_year / 12 days); NULL when the year is over.
-- Made for the years of engine_scope but the periods of score_period_kept (10-periods.sql); those and
-- older years keep their rows.
CREATE OR REPLACE TEMP TABLE indicator_projection_made AS
WITH base AS (
  SELECT s.unit_code, s.unit_level, s.city_code, s.indicator_set, s.period, s.period_kind, s.year, s.indicator_code,
         s.value, s.baseline, s.target AS target_to_date, s.status,
         i.unit, i.direction, i.period AS indicator_period, i.source, d.shape,
         p.days_elapsed, p.days_in_year, p.is_year_end, p.end_date,
         t.target_op, t.target_value, t.target_low, t.target_high, t.target_relative, t.target_points,
         prev.value AS prev_year_value,
         s.subperiods_due,
         CASE i.period WHEN 'quarterly' THEN 4 WHEN 'monthly' THEN 12 ELSE 1 END AS subperiods_in_year
  FROM indicator_score s
  JOIN dim_indicator i ON i.code = s.indicator_code
  LEFT JOIN metric_def d ON d.metric = i.metric
  JOIN score_period p ON p.period = s.period
  JOIN indicator_target_year t ON t.indicator_code = s.indicator_code AND t.year = s.year
  -- last full year's scores of the years made only (a join on the whole table hashes every period)
  LEFT JOIN (SELECT unit_code, indicator_code, period, value FROM indicator_score
             WHERE period_kind = 'year' AND year >= (SELECT first_year - 1 FROM engine_scope)) prev
         ON prev.unit_code = s.unit_code AND prev.indicator_code = s.indicator_code AND prev.period = (s.year - 1)::VARCHAR
  WHERE s.status IN ('met', 'not_met') AND s.year >= (SELECT first_year FROM engine_scope)
    AND s.period NOT IN (SELECT period FROM score_period_kept)
), projected AS (
  SELECT *,
         CASE WHEN is_year_end THEN 'actual'
              WHEN shape = 'flow' OR (source = 'reported' AND unit IN ('count', 'yuan') AND indicator_period <> 'annual')
                THEN CASE WHEN baseline > 0 AND prev_year_value > 0 THEN 'run_rate_seasonal' ELSE 'run_rate' END
              ELSE 'current_value' END AS projection_method,
         CASE target_op
           WHEN '>=prev' THEN prev_year_value * (1 + coalesce(target_relative, 0) / 100) + coalesce(target_points, 0)
           WHEN 'between' THEN NULL
           WHEN '=' THEN target_value
           ELSE target_value * CASE WHEN unit IN ('count', 'yuan') THEN subperiods_in_year ELSE 1 END
         END AS annual_target
  FROM base
), valued AS (
  SELECT *,
         CASE projection_method
           WHEN 'run_rate_seasonal' THEN value * prev_year_value / baseline
           WHEN 'run_rate' THEN CASE WHEN source = 'reported' THEN value * subperiods_in_year / nullif(subperiods_due, 0)
                                     ELSE value * days_in_year / days_elapsed END
           ELSE value END AS projected_value
  FROM projected
)
SELECT unit_code, unit_level, city_code, indicator_set, period, period_kind, year, indicator_code,
       value::DOUBLE AS value,
       days_elapsed, days_in_year,
       projection_method,
       projected_value::DOUBLE AS projected_value,
       annual_target::DOUBLE AS annual_target,
       target_low::DOUBLE AS target_low,
       target_high::DOUBLE AS target_high,
       indicator_target_met(direction, unit, projected_value, annual_target, target_low, target_high) AS will_meet,
       greatest(0.0, least(1.0, indicator_attainment_raw(direction, unit, projected_value, annual_target, target_low, target_high)))::DOUBLE
         AS projected_attainment,
       CASE WHEN projection_method LIKE 'run_rate%' AND source <> 'reported'
            THEN value / days_elapsed * days_in_year / 12 END::DOUBLE AS monthly_pace,
       CASE WHEN projection_method LIKE 'run_rate%' AND source <> 'reported' AND days_elapsed < days_in_year
            THEN (annual_target - value) / (days_in_year - days_elapsed) * days_in_year / 12 END::DOUBLE AS monthly_pace_needed
FROM valued;

CREATE TABLE IF NOT EXISTS indicator_projection AS FROM indicator_projection_made LIMIT 0;
DELETE FROM indicator_projection WHERE year >= (SELECT first_year FROM engine_scope) AND period NOT IN (SELECT period FROM score_period_kept);
INSERT INTO indicator_projection FROM indicator_projection_made;
DROP TABLE indicator_projection_made;
