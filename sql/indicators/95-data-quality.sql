-- Data quality: are the reports in, are they on time, how old is each unit's newest data, and what
-- was rejected in the recent loads.
--
-- report_deadline: one row per native period kind: a report is due on day `due_day` of the month
--   `months_after` months after its period ends (past that month's end: its last day). Indicator
--   values follow each indicator's own period, due as the reporting calendar's indicator_value row
--   says (dim_report_calendar, from fixtures/reference/reporting-calendar.csv: the 15th of the month
--   after the period), the same deadline the reporting pages and the status matrix use.
--
-- report_status: one row per reporting unit x reported indicator x native period that has ended by
--   indicator_asof.as_of_date (county47 reported indicators for each county, reform88 for each
--   city; from the first data year).
--   arrived_at, arrival_source: when and how the report first arrived (report_arrival's batch in
--   load_batch): 'central' for a CLI load, 'county' for a county's submission at its submitted time.
--   corrected_at: the arrival of the load that last changed the value, when that is not the first
--   one; corrected_after_due: it came after the due date.
--   status: 'on_time' / 'late' (a county submission that first arrived by / after the due date),
--   'central' (first arrived through a central load: not judged, a history loaded in one go is not
--   late), 'missing' (due date passed, no report), 'not_yet_due'. A correction never changes the
--   status. Deadlines are judged against the day the snapshot is built (current_date).
--   A load that changed no report (engine_scope.changed_facts without fact_indicator_value: the as-of
--   date, the first data year and the catalog stayed too) keeps the rows, which read nothing else it
--   wrote, and only moves the status of the reports not in with the day (report_status_of).
--
-- load_reject_summary: one row per recent load x rejected column x reason (recent = batches
--   started within 30 days of the newest one). load_reject has no unit column, so unit_code is
--   attributed where the file tells: a 6-digit unit code in the file name (mediation_450102_2025.csv),
--   else the raw value of a rejected unit-code column when it is a known unit (a city code where a
--   county was required). Everything else has unit_code NULL: counted per file, and on the
--   province's row of unit_data_quality as unattributed.
--
-- unit_data_quality: one row per county, city and the province (450000).
--   reports_*: counts of report_status for the current and the previous year (as_of_year - 1 and
--     as_of_year): expected (due), received (on time + late + central), on_time, late, central,
--     missing, not_yet_due, and corrected (corrected after the due date, whatever the status);
--     missing_reports lists the missing ones ('C32 2025', 'C06 2026-Q2'). Cities count their own
--     reform88 reports and add county_reports_missing for their counties; the province counts
--     everything.
--   newest_*_month: the newest month with any record of the stream for the unit (mediation:
--     received or closed; claims: paid; assistance: opened or closed; training: any record; funding:
--     a disbursement to the unit); newest_data_month: the newest of them;
--     months_behind: months from it to the as-of month (0 = up to date);
--     data_age_days: as_of_date - the end of that month (0 when it is the current month).
--   rows_rejected_recent: rejected rows (distinct file lines) attributed to the unit in recent loads;
--   the province adds the unattributed ones as rows_rejected_unattributed.
CREATE OR REPLACE TABLE report_deadline AS
SELECT k.indicator_period, 1 AS months_after, c.deadline_day AS due_day
FROM dim_report_calendar c
CROSS JOIN (VALUES ('annual'), ('quarterly'), ('monthly')) k(indicator_period)
WHERE c.stream = 'indicator_value';

-- The status of a report (above), in one place for the rows made and the rows kept.
CREATE OR REPLACE TEMP MACRO report_status_of(value, arrival_source, arrived_at, due_date) AS
  CASE WHEN value IS NOT NULL THEN
         CASE WHEN arrival_source IS DISTINCT FROM 'county' THEN 'central'
              WHEN arrived_at::DATE > due_date THEN 'late'
              ELSE 'on_time' END
       WHEN current_date > due_date THEN 'missing'
       ELSE 'not_yet_due' END;

CREATE OR REPLACE TEMP TABLE report_status_scope AS
SELECT coalesce(NOT list_contains(changed_facts, 'fact_indicator_value'), false) AS kept FROM engine_scope;

CREATE OR REPLACE TEMP TABLE report_status_made AS
WITH reported AS (
  -- no rows when the rows are kept: each input is emptied first, so no join is built for nothing
  SELECT * FROM dim_indicator WHERE source = 'reported' AND NOT (SELECT kept FROM report_status_scope)
), reports AS (
  SELECT * FROM fact_indicator_value WHERE NOT (SELECT kept FROM report_status_scope)
), arrivals AS (
  SELECT * FROM report_arrival WHERE NOT (SELECT kept FROM report_status_scope)
), expected AS (
  SELECT u.unit_code, u.level AS unit_level, u.city_code, i.code AS indicator_code, i.indicator_set,
         p.period, p.period_end,
         d.due_month + (least(coalesce(r.due_day, 31), day(last_day(d.due_month))) - 1)::INTEGER AS due_date
  FROM reported i
  JOIN report_deadline r ON r.indicator_period = i.period
  JOIN dim_unit u ON (i.indicator_set = 'county47' AND u.level = 'county') OR (i.indicator_set = 'reform88' AND u.level = 'city')
  CROSS JOIN indicator_asof a
  CROSS JOIN LATERAL (
    SELECT CASE i.period WHEN 'annual' THEN m.year::VARCHAR
                         WHEN 'quarterly' THEN m.year || '-Q' || m.quarter
                         ELSE strftime(m.month_start, '%Y-%m') END AS period,
           m.month_end AS period_end
    FROM dim_month m
    WHERE m.year >= a.first_year AND m.month_end <= a.as_of_date
      AND (m.month_key % 100) % CASE i.period WHEN 'annual' THEN 12 WHEN 'quarterly' THEN 3 ELSE 1 END = 0
  ) p
  CROSS JOIN LATERAL (SELECT date_trunc('month', p.period_end + to_months(r.months_after))::DATE AS due_month) d
), received AS (
  SELECT e.*, f.value, first.arrived_at, first.source AS arrival_source,
         CASE WHEN last.batch_id <> first.batch_id THEN last.arrived_at END AS corrected_at
  FROM expected e
  LEFT JOIN reports f ON f.indicator_code = e.indicator_code AND f.unit_code = e.unit_code AND f.period = e.period
  LEFT JOIN arrivals ra ON ra.indicator_code = f.indicator_code AND ra.unit_code = f.unit_code AND ra.period = f.period
  -- every fact has an arrival once a load has run 03-etl.sql; a hand-made one counts from its own batch
  LEFT JOIN load_batch first ON first.batch_id = coalesce(ra.batch_id, f.batch_id)
  LEFT JOIN load_batch last ON last.batch_id = f.batch_id
)
SELECT unit_code, unit_level, city_code, indicator_set, indicator_code, period, period_end, due_date,
       value, arrived_at, arrival_source, corrected_at,
       coalesce(corrected_at::DATE > due_date, false) AS corrected_after_due,
       report_status_of(value, arrival_source, arrived_at, due_date) AS status
FROM received;

CREATE TABLE IF NOT EXISTS report_status AS FROM report_status_made LIMIT 0;
DELETE FROM report_status WHERE NOT (SELECT kept FROM report_status_scope);
INSERT INTO report_status FROM report_status_made;
DROP TABLE report_status_made;
UPDATE report_status SET status = report_status_of(value, arrival_source, arrived_at, due_date)
WHERE (SELECT kept FROM report_status_scope) AND status <> report_status_of(value, arrival_source, arrived_at, due_date);

CREATE OR REPLACE TEMP TABLE data_quality_reject AS
-- every reject of a recent load, with the unit it can be attributed to
WITH recent AS (
  SELECT * FROM load_batch WHERE started_at >= (SELECT max(started_at) FROM load_batch) - INTERVAL 30 DAY
)
SELECT r.batch_id, r.line, r."column", r.reason, r.raw_value, coalesce(fu.unit_code, vu.unit_code) AS unit_code
FROM load_reject r
JOIN recent b USING (batch_id)
LEFT JOIN dim_unit fu ON fu.unit_code = regexp_extract(regexp_replace(r.file_name, '^.*[/\\]', ''), '45\d{4}')
LEFT JOIN dim_unit vu ON r."column" IN ('县区代码', 'county_code', '接收单位代码', 'recipient_code', '单位代码', 'unit_code')
                     AND vu.unit_code = regexp_extract(r.raw_value, '45\d{4}');

CREATE OR REPLACE TABLE load_reject_summary AS
SELECT a.batch_id, b.file_name, b.stream, b.started_at, a.unit_code, a."column" AS column_name, a.reason,
       count(*)::INTEGER AS rejects,
       count(DISTINCT a.line)::INTEGER AS rows_rejected,
       min(a.raw_value) AS example_value
FROM data_quality_reject a JOIN load_batch b USING (batch_id)
GROUP BY ALL;

-- data_quality_newest: one row per county x stream (assistance, training) with a record up to the
-- as-of month: its newest month. Made for the streams whose metric values this build makes
-- (metric_source_made, 20-metric-values.sql: those whose facts changed, every one when the as-of date
-- moved), the others keep their rows: scanning every training record costs more than the rest of this
-- file.
CREATE TABLE IF NOT EXISTS data_quality_newest (county_code VARCHAR, stream VARCHAR, month_key INTEGER);
DELETE FROM data_quality_newest WHERE stream IN (SELECT source FROM metric_source_made);
INSERT INTO data_quality_newest
SELECT county_code, 'assistance', max(month_key)::INTEGER
FROM (SELECT county_code, year(opened_date) * 100 + month(opened_date) AS month_key FROM fact_assistance
      UNION ALL
      SELECT county_code, year(closed_date) * 100 + month(closed_date) FROM fact_assistance WHERE closed_date IS NOT NULL)
SEMI JOIN metric_source_made m ON m.source = 'assistance' -- stops the scan when not made (20-metric-values.sql)
WHERE month_key <= (SELECT as_of_year * 100 + as_of_month FROM indicator_asof)
GROUP BY ALL
UNION ALL
SELECT county_code, 'training', max(year(date) * 100 + month(date))::INTEGER
FROM fact_training SEMI JOIN metric_source_made m ON m.source = 'training'
WHERE date <= last_day((SELECT as_of_date FROM indicator_asof))
GROUP BY ALL;

CREATE OR REPLACE TABLE unit_data_quality AS
WITH reports AS (
  SELECT unit_code,
         count(*) FILTER (WHERE status <> 'not_yet_due')::INTEGER AS reports_expected,
         count(*) FILTER (WHERE status IN ('on_time', 'late', 'central'))::INTEGER AS reports_received,
         count(*) FILTER (WHERE status = 'on_time')::INTEGER AS reports_on_time,
         count(*) FILTER (WHERE status = 'late')::INTEGER AS reports_late,
         count(*) FILTER (WHERE status = 'central')::INTEGER AS reports_central,
         count(*) FILTER (WHERE corrected_after_due)::INTEGER AS reports_corrected,
         count(*) FILTER (WHERE status = 'missing')::INTEGER AS reports_missing,
         count(*) FILTER (WHERE status = 'not_yet_due')::INTEGER AS reports_not_yet_due,
         list(indicator_code || ' ' || period ORDER BY period, indicator_code) FILTER (WHERE status = 'missing') AS missing_reports
  FROM report_status
  WHERE year(period_end) >= (SELECT as_of_year - 1 FROM indicator_asof)
  GROUP BY unit_code
), funding_months AS (
  SELECT recipient_code AS unit_code, max(year(disbursed_date) * 100 + month(disbursed_date)) AS funding
  FROM fact_funding GROUP BY ALL
), assistance_months AS (
  SELECT county_code, month_key AS assistance FROM data_quality_newest WHERE stream = 'assistance'
), training_months AS (
  SELECT county_code, month_key AS training FROM data_quality_newest WHERE stream = 'training'
), county_months AS (
  SELECT c.county_code AS unit_code, c.city_code, md.mediation, cl.claims, ma.assistance, mt.training, fu.funding
  FROM dim_county c
  LEFT JOIN (SELECT county_code, max(month_key) AS mediation FROM mart_mediation_county_month
             WHERE received + closed > 0 GROUP BY ALL) md ON md.county_code = c.county_code
  LEFT JOIN (SELECT county_code, max(month_key) AS claims FROM mart_claims_county_month GROUP BY ALL) cl ON cl.county_code = c.county_code
  LEFT JOIN assistance_months ma ON ma.county_code = c.county_code
  LEFT JOIN training_months mt ON mt.county_code = c.county_code
  LEFT JOIN funding_months fu ON fu.unit_code = c.county_code
), unit_months AS (
  SELECT unit_code, mediation, claims, assistance, training, funding FROM county_months
  UNION ALL
  SELECT m.city_code, max(mediation), max(claims), max(assistance), max(training), greatest(max(m.funding), any_value(f.funding))
  FROM county_months m LEFT JOIN funding_months f ON f.unit_code = m.city_code GROUP BY m.city_code
  UNION ALL
  SELECT '450000', max(mediation), max(claims), max(assistance), max(training), (SELECT max(funding) FROM funding_months)
  FROM county_months
), rejects AS (
  -- a row rejected for two columns is one row
  SELECT unit_code, count(DISTINCT (batch_id, line))::INTEGER AS rows_rejected FROM data_quality_reject GROUP BY unit_code
), fmt AS (
  SELECT *, greatest(mediation, claims, assistance, training, funding) AS newest
  FROM unit_months
)
SELECT u.unit_code, u.level AS unit_level, u.city_code, a.as_of_date,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_expected) FROM reports)::INTEGER ELSE coalesce(r.reports_expected, 0) END AS reports_expected,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_received) FROM reports)::INTEGER ELSE coalesce(r.reports_received, 0) END AS reports_received,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_on_time) FROM reports)::INTEGER ELSE coalesce(r.reports_on_time, 0) END AS reports_on_time,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_late) FROM reports)::INTEGER ELSE coalesce(r.reports_late, 0) END AS reports_late,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_central) FROM reports)::INTEGER ELSE coalesce(r.reports_central, 0) END AS reports_central,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_corrected) FROM reports)::INTEGER ELSE coalesce(r.reports_corrected, 0) END AS reports_corrected,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_missing) FROM reports)::INTEGER ELSE coalesce(r.reports_missing, 0) END AS reports_missing,
       CASE WHEN u.level = 'province' THEN (SELECT sum(reports_not_yet_due) FROM reports)::INTEGER ELSE coalesce(r.reports_not_yet_due, 0) END AS reports_not_yet_due,
       CASE WHEN u.level = 'county' THEN NULL
            ELSE (SELECT coalesce(sum(cr.reports_missing), 0) FROM reports cr JOIN dim_county c ON c.county_code = cr.unit_code
                  WHERE u.level = 'province' OR c.city_code = u.unit_code) END::INTEGER AS county_reports_missing,
       coalesce(r.missing_reports, []::VARCHAR[]) AS missing_reports,
       strftime(make_date(m.mediation // 100, m.mediation % 100, 1), '%Y-%m') AS newest_mediation_month,
       strftime(make_date(m.claims // 100, m.claims % 100, 1), '%Y-%m') AS newest_claims_month,
       strftime(make_date(m.assistance // 100, m.assistance % 100, 1), '%Y-%m') AS newest_assistance_month,
       strftime(make_date(m.training // 100, m.training % 100, 1), '%Y-%m') AS newest_training_month,
       strftime(make_date(m.funding // 100, m.funding % 100, 1), '%Y-%m') AS newest_funding_month,
       strftime(make_date(m.newest // 100, m.newest % 100, 1), '%Y-%m') AS newest_data_month,
       ((a.as_of_year * 12 + a.as_of_month) - ((m.newest // 100) * 12 + m.newest % 100))::INTEGER AS months_behind,
       CASE WHEN m.newest IS NOT NULL
            THEN a.as_of_date - least(last_day(make_date(m.newest // 100, m.newest % 100, 1)), a.as_of_date) END::INTEGER AS data_age_days,
       coalesce(j.rows_rejected, 0) AS rows_rejected_recent,
       CASE WHEN u.level = 'province' THEN coalesce((SELECT rows_rejected FROM rejects WHERE unit_code IS NULL), 0) END::INTEGER
         AS rows_rejected_unattributed
FROM dim_unit u
CROSS JOIN indicator_asof a
LEFT JOIN reports r ON r.unit_code = u.unit_code
LEFT JOIN fmt m ON m.unit_code = u.unit_code
LEFT JOIN rejects j ON j.unit_code = u.unit_code;
