-- Data quality: are the reports in, are they on time, how old is each unit's newest data, and what
-- was rejected in the recent loads.
--
-- report_status: one row per reporting unit x reported indicator x native period that has ended by
--   indicator_asof.as_of_date (county47 reported indicators for each county, reform88 for each
--   city; from the first data year).
--   due_date: annual reports by 31 January of the next year; quarterly and monthly ones by the end
--   of the month after the period.
--   status: 'on_time' (loaded by the due date), 'late' (loaded after it), 'missing' (due date
--   passed, no report), 'not_yet_due'. Deadlines are judged against the day the snapshot is built
--   (current_date). loaded_at is the start of the load that last wrote the row (load_batch of
--   fact_indicator_value.batch_id): a correction sent after the deadline makes a report late, and a
--   history loaded in one go is late for every past period.
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
--     as_of_year); missing_reports lists them ('C32 2025', 'C06 2026-Q2'). Cities count their own
--     reform88 reports and add county_reports_missing for their counties; the province counts
--     everything.
--   newest_*_month: the newest month with any record of the stream for the unit (mediation:
--     received or closed; claims: paid; assistance: opened or closed; training: any record; funding:
--     a disbursement to the unit); newest_data_month: the newest of them;
--     months_behind: months from it to the as-of month (0 = up to date);
--     data_age_days: as_of_date - the end of that month (0 when it is the current month).
--   rows_rejected_recent: rejected rows (distinct file lines) attributed to the unit in recent loads;
--   the province adds the unattributed ones as rows_rejected_unattributed.
CREATE OR REPLACE TABLE report_status AS
WITH expected AS (
  SELECT u.unit_code, u.level AS unit_level, u.city_code, i.code AS indicator_code, i.indicator_set, i.period AS indicator_period,
         p.period, p.period_end
  FROM dim_indicator i
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
  WHERE i.source = 'reported'
)
SELECT e.unit_code, e.unit_level, e.city_code, e.indicator_set, e.indicator_code, e.period, e.period_end,
       CASE WHEN e.indicator_period = 'annual' THEN make_date(year(e.period_end) + 1, 1, 31)
            ELSE last_day((e.period_end + INTERVAL 1 MONTH)::DATE) END AS due_date,
       f.value, b.started_at AS loaded_at,
       CASE WHEN f.value IS NOT NULL THEN
              CASE WHEN b.started_at::DATE > CASE WHEN e.indicator_period = 'annual' THEN make_date(year(e.period_end) + 1, 1, 31)
                                                   ELSE last_day((e.period_end + INTERVAL 1 MONTH)::DATE) END
                   THEN 'late' ELSE 'on_time' END
            WHEN current_date > CASE WHEN e.indicator_period = 'annual' THEN make_date(year(e.period_end) + 1, 1, 31)
                                     ELSE last_day((e.period_end + INTERVAL 1 MONTH)::DATE) END THEN 'missing'
            ELSE 'not_yet_due' END AS status
FROM expected e
LEFT JOIN fact_indicator_value f ON f.indicator_code = e.indicator_code AND f.unit_code = e.unit_code AND f.period = e.period
LEFT JOIN load_batch b ON b.batch_id = f.batch_id;

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

CREATE OR REPLACE TABLE unit_data_quality AS
WITH reports AS (
  SELECT unit_code,
         count(*) FILTER (WHERE status <> 'not_yet_due')::INTEGER AS reports_expected,
         count(*) FILTER (WHERE status IN ('on_time', 'late'))::INTEGER AS reports_received,
         count(*) FILTER (WHERE status = 'on_time')::INTEGER AS reports_on_time,
         count(*) FILTER (WHERE status = 'late')::INTEGER AS reports_late,
         count(*) FILTER (WHERE status = 'missing')::INTEGER AS reports_missing,
         count(*) FILTER (WHERE status = 'not_yet_due')::INTEGER AS reports_not_yet_due,
         list(indicator_code || ' ' || period ORDER BY period, indicator_code) FILTER (WHERE status = 'missing') AS missing_reports
  FROM report_status
  WHERE year(period_end) >= (SELECT as_of_year - 1 FROM indicator_asof)
  GROUP BY unit_code
), funding_months AS (
  SELECT recipient_code AS unit_code, max(year(disbursed_date) * 100 + month(disbursed_date)) AS funding
  FROM fact_funding GROUP BY ALL
), county_months AS (
  SELECT c.county_code AS unit_code, c.city_code, md.mediation, cl.claims, mu.assistance, mu.training, fu.funding
  FROM dim_county c
  LEFT JOIN (SELECT county_code, max(month_key) AS mediation FROM mart_mediation_county_month
             WHERE received + closed > 0 GROUP BY ALL) md ON md.county_code = c.county_code
  LEFT JOIN (SELECT county_code, max(month_key) AS claims FROM mart_claims_county_month GROUP BY ALL) cl ON cl.county_code = c.county_code
  LEFT JOIN (SELECT unit_code, max(month_key) FILTER (WHERE opened + closed > 0) AS assistance,
                    max(month_key) FILTER (WHERE training_all > 0) AS training
             FROM metric_unit_month WHERE unit_level = 'county' GROUP BY ALL) mu ON mu.unit_code = c.county_code
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
