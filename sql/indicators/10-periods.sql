-- The scoring calendar: how far the data reaches, which periods are scored, and the target in force
-- each year. Everything in sql/indicators/ hangs off these three tables.
--
-- indicator_asof (one row): as_of_date = the newest date in any record stream or reported period
--   end, capped at today. It is the end of the current, year-to-date scoring period. first_year =
--   the first calendar year with any data.
--
-- score_period (one row per scoring period). A scoring period is always a YEAR-TO-DATE window:
--   from 1 January of `year` to end_date.
--   - period_kind 'year', period '2025': 1 January to 31 December, or to as_of_date for the current
--     year ('2026' is the year to date; is_year_end false). Rankings and the cockpit's headline use
--     these; the current year is the latest.
--   - period_kind 'quarter', period '2025-Q2': 1 January to the end of that quarter (the year's
--     scores as they stood at each quarter end), for every quarter that has ended by as_of_date.
--     'YYYY-Q4' equals the full year 'YYYY'.
--   prev_period: the period before it ON THE SAME FOOTING, which rank changes, new/cleared alerts and
--   briefings compare with. A full-year window counts annual reports and an in-year one cannot, so:
--     full-year windows ('2025', '2025-Q4') -> the previous full year ('2024', '2024-Q4');
--     in-year windows ('2026-Q2', '2026-Q3', the current '2026') -> the latest in-year window of the
--       same year that ends before it ('2026-Q1', '2026-Q2', '2026-Q3': "since the end of Q3");
--       the first of a year ('2026-Q1', or '2026' before March is out) -> Q1 of the year before.
--   is_year_end: the window covers the whole year (annual reported indicators are scored only then).
--   is_partial_month: end_date is not a month end (the current month is still running); the
--   previous year's baseline for flows is then prorated by days (see 30-attainment.sql).
--
-- indicator_target_year (one row per indicator x scored year): the target rule in force, the
--   year's dim_indicator_target override when there is one, else dim_indicator's default.
CREATE OR REPLACE TABLE indicator_asof AS
WITH dates AS (
  SELECT min(received_date) AS lo, greatest(max(received_date), max(closed_date)) AS hi FROM fact_mediation
  UNION ALL SELECT min(submitted_date), greatest(max(submitted_date), max(paid_date)) FROM fact_insurance_claim
  UNION ALL SELECT make_date(min(plan_year), 1, 1), max(enrolled_date) FROM fact_insurance_enrolment
  UNION ALL SELECT min(opened_date), greatest(max(opened_date), max(closed_date)) FROM fact_assistance
  UNION ALL SELECT min(date), max(date) FROM fact_training
  UNION ALL SELECT min(disbursed_date), max(disbursed_date) FROM fact_funding
  UNION ALL SELECT min(period_start), max(period_end) FROM fact_indicator_value
)
SELECT least(max(hi), current_date)::DATE AS as_of_date,
       year(least(max(hi), current_date))::INTEGER AS as_of_year,
       month(least(max(hi), current_date))::INTEGER AS as_of_month,
       year(min(lo))::INTEGER AS first_year,
       (SELECT max(catalog_version) FROM dim_indicator) AS catalog_version
FROM dates
HAVING max(hi) IS NOT NULL;

-- engine_scope (one row, TEMP): the first year whose rows this build makes (first_year). The tables keyed by a
--   year or a scoring period (metric_value to briefing_fact) are made as DELETE of the rows from that
--   year on and INSERT of the new ones, so a full build (first_year = the first data year) remakes
--   everything and a small publish keeps the years before the first year its facts touch. That is what
--   a full build gives: every figure of a year reads that year and earlier ones only (same period last
--   year, member growth, rank changes, alerts and records look back, never forward), and the as-of
--   date reaches only the rows of its own year (is_complete, the current window, the quarters ended).
-- engine_request (TEMP, one row, written by etl/warehouse.ts rebuildDerived for a load): changed_from =
--   the first year of the rows the load wrote or replaced (NULL: none), changed_from_month its first
--   month (YYYYMM, etl/merge.ts firstMonthOf), and the indicator_asof the snapshot had before. Without
--   a request, or when the first data year or the catalog changed, the build is full; when the as-of
--   date moved, the scope starts no later than the old and the new as-of year; when nothing changed,
--   after the as-of year (no row is made again). changed_facts: the fact tables it changed.
-- engine_scope.first_month_key (YYYYMM): the tables keyed by a scoring period (indicator_score to
--   briefing_fact) are made for the periods ending in or after it, and the periods of first_year ending
--   before it keep their rows (score_period_kept below); metric_value, indicator_period_value and
--   overview_tile likewise for the windows and months ending from it on: a figure reads its own window,
--   earlier ones and the same window a year earlier, none of which a change from a later month
--   touches. It is the load's first changed month only when the as-of date stayed (its move changes
--   the current window and is_complete), else January of first_year.
-- engine_scope.changed_facts: the load's changed fact tables when the as-of date stayed, else NULL
--   (every stream): metric_value is made for the streams of those facts only (20-metric-values.sql),
--   report_status is kept when they hold no report (95-data-quality.sql).
CREATE TEMP TABLE IF NOT EXISTS engine_request (changed_from INTEGER, changed_from_month INTEGER, changed_facts VARCHAR[], as_of_date DATE, first_year INTEGER, catalog_version VARCHAR);
CREATE OR REPLACE TEMP TABLE engine_scope AS
WITH scope AS (
  SELECT CASE
           WHEN r.first_year IS NULL OR r.first_year <> a.first_year OR r.catalog_version IS DISTINCT FROM a.catalog_version
             THEN a.first_year
           WHEN r.as_of_date = a.as_of_date THEN greatest(coalesce(r.changed_from, a.as_of_year + 1), a.first_year)
           ELSE greatest(least(coalesce(r.changed_from, a.as_of_year), year(r.as_of_date), a.as_of_year), a.first_year)
         END::INTEGER AS first_year,
         r.first_year = a.first_year AND r.catalog_version IS NOT DISTINCT FROM a.catalog_version
           AND r.as_of_date = a.as_of_date AS as_of_kept,
         r.changed_from_month, r.changed_facts
  FROM indicator_asof a LEFT JOIN (SELECT * FROM engine_request LIMIT 1) r ON true
)
SELECT first_year,
       CASE WHEN coalesce(as_of_kept, false) THEN greatest(coalesce(changed_from_month, 0), first_year * 100 + 1)
            ELSE first_year * 100 + 1 END::INTEGER AS first_month_key,
       CASE WHEN coalesce(as_of_kept, false) THEN changed_facts END AS changed_facts
FROM scope;

CREATE OR REPLACE TABLE score_period AS
WITH years AS (
  SELECT y::INTEGER AS year, a.as_of_date FROM indicator_asof a, range(a.first_year, a.as_of_year + 1) t(y)
), windows AS (
  SELECT year, 'year' AS period_kind, NULL::INTEGER AS quarter, year::VARCHAR AS period,
         least(make_date(year, 12, 31), as_of_date) AS end_date
  FROM years
  UNION ALL
  SELECT y.year, 'quarter', q::INTEGER, y.year || '-Q' || q,
         last_day(make_date(y.year, q * 3, 1))
  FROM years y, range(1, 5) t(q)
  WHERE last_day(make_date(y.year, q * 3, 1)) <= y.as_of_date
), described AS MATERIALIZED (
  SELECT *, end_date = make_date(year, 12, 31) AS is_year_end FROM windows
), previous AS (
  -- joins on the few periods, not correlated subqueries: DuckDB took twice as long to plan and run
  -- those, for 34 rows, in every build
  SELECT w.period,
         CASE WHEN w.is_year_end THEN any_value(y.period)
              ELSE coalesce(arg_max(q.period, q.end_date), any_value(q1.period)) END AS prev_period
  FROM described w
  LEFT JOIN described y ON w.is_year_end AND y.period_kind = w.period_kind AND y.year = w.year - 1 AND y.is_year_end
  LEFT JOIN described q ON NOT w.is_year_end AND q.period_kind = 'quarter' AND NOT q.is_year_end AND q.year = w.year AND q.end_date < w.end_date
  LEFT JOIN described q1 ON NOT w.is_year_end AND q1.period_kind = 'quarter' AND q1.year = w.year - 1 AND q1.quarter = 1
  GROUP BY w.period, w.is_year_end
)
SELECT d.period, d.period_kind, d.year, d.quarter,
       make_date(d.year, 1, 1) AS start_date,
       d.end_date::DATE AS end_date,
       (d.year * 100 + month(d.end_date))::INTEGER AS end_month_key,
       month(d.end_date)::INTEGER AS end_month,
       (d.end_date - make_date(d.year, 1, 1) + 1)::INTEGER AS days_elapsed,
       (make_date(d.year + 1, 1, 1) - make_date(d.year, 1, 1))::INTEGER AS days_in_year,
       d.is_year_end,
       d.end_date < last_day(d.end_date) AS is_partial_month,
       p.prev_period,
       d.end_date = max(d.end_date) OVER (PARTITION BY d.period_kind) AS is_latest
FROM described d JOIN previous p USING (period)
ORDER BY d.period_kind DESC, d.end_date;

-- score_period_kept (TEMP): the scoring periods of engine_scope's years that end before its
--   first_month_key. Every table keyed by a scoring period (indicator_score to briefing_fact) keeps
--   their rows and makes the others of those years: a period's rows read its own window, the periods
--   before it (prev_period, last year) and figures up to its end month, none of which a change from a
--   later month touches. Empty when the as-of date moved (first_month_key is then January).
CREATE OR REPLACE TEMP TABLE score_period_kept AS
SELECT period FROM score_period
WHERE year >= (SELECT first_year FROM engine_scope) AND end_month_key < (SELECT first_month_key FROM engine_scope);

CREATE OR REPLACE TABLE indicator_target_year AS
SELECT i.code AS indicator_code, y.year,
       o.code IS NOT NULL AS is_override,
       coalesce(o.target_rule, i.target_rule) AS target_rule,
       coalesce(o.target_op, i.target_op) AS target_op,
       CASE WHEN o.code IS NULL THEN i.target_value ELSE o.target_value END AS target_value,
       CASE WHEN o.code IS NULL THEN i.target_low ELSE o.target_low END AS target_low,
       CASE WHEN o.code IS NULL THEN i.target_high ELSE o.target_high END AS target_high,
       CASE WHEN o.code IS NULL THEN i.target_relative ELSE o.target_relative END AS target_relative,
       CASE WHEN o.code IS NULL THEN i.target_points ELSE o.target_points END AS target_points
FROM dim_indicator i
CROSS JOIN (SELECT DISTINCT year FROM score_period) y
LEFT JOIN dim_indicator_target o ON o.code = i.code AND o.year = y.year;
