-- Stream metrics (etl/catalog/metrics.ts), computed once for every unit and window.
--
-- metric_def: one row per metric of metrics.ts: its shape and which way is better.
--   shape 'flow' (counts and yuan that add up over time: run-rate projections apply),
--   'rate' (100 x numerator / denominator), 'mean' (numerator / denominator, e.g. days),
--   'stock' (members of a plan year), 'growth' (member growth), 'cumulative_rate' (share of a
--   year's allocation disbursed since 1 January).
--
-- metric_value: one row per unit x metric x window.
--   unit: every county (unit_level 'county'), city ('city') and the province ('province', 450000).
--     Cities and the province add up the counties' numerators and denominators and recompute the
--     rate (never an average of county rates); distinct people (certifications,
--     competition_certifications, claims_beneficiary_people, members) are counted again at that
--     level, so a person certified in two counties of one city counts once for the city.
--   window (period_kind, period):
--     'month'   '2025-07'  that calendar month
--     'quarter' '2025-Q3'  that calendar quarter
--     'ytd'     '2025-07'  1 January to the end of that month (year to date)
--     'year'    '2025'     the calendar year; for the current year, 1 January to as_of_date
--   Windows run from January of indicator_asof.first_year to the as-of month; a build makes those
--   ending from engine_scope.first_month_key on (10-periods.sql; a window reads its own months and,
--   for the year to date, the months of its year before it) and keeps the older ones, and of those
--   only the metrics of the streams whose facts it changed (metric_source_made). It still sums from
--   January of engine_scope.first_year, so that a year to date starts at its January. The annual-only
--   metrics (members, member_growth and the two funding shares) have 'ytd' and 'year' rows only.
--   value: NULL when it cannot be computed; null_reason then says why:
--     'no_records'  a rate or mean whose denominator is 0 (no cases closed, no claims paid...)
--     'no_baseline' member_growth without members in the previous year
--     'no_program'  strengthening_subsidy_disbursed_rate in a year without the programme (no
--                   county_strengthening disbursement anywhere in the year or the year before)
--     'no_data_yet' the stream has no record anywhere before the window ends (not the unit's fault)
--   numerator/denominator: what the value was computed from (NULL for flows and stocks), so a
--     reader can tell 1 of 1 from 700 of 1,000. is_complete: the window has fully elapsed by
--     as_of_date (the current month, quarter and year are not).
--
-- Formulas: a 'rate' is rate_pct(numerator, denominator) and 'growth' growth_pct(value, base)
-- (05-macros.sql), the same macros the overview tiles (22-overview-tile.sql) use.
--
-- Sources: the marts for mediation (mart_mediation_county_month), paid claims
-- (mart_claims_county_month) and members (mart_members_county_year, _city_year, _province_year).
-- The facts are read only where no mart has the grain the definitions need: assistance and
-- training by month (their marts are by quarter, and the year to date and the same period last
-- year end mid-quarter), certified people (distinct at each level) and funding (a few thousand rows).
CREATE OR REPLACE TABLE metric_def AS
SELECT * FROM (VALUES
  ('mediation_success_rate',               'mediation',  'rate',            'higher'),
  ('mediation_successes',                  'mediation',  'flow',            'higher'),
  ('wage_mediation_successes',             'mediation',  'flow',            'higher'),
  ('mediation_success_amount',             'mediation',  'flow',            'higher'),
  ('mediation_days_to_close',              'mediation',  'mean',            'lower'),
  ('members',                              'insurance',  'stock',           'higher'),
  ('member_growth',                        'insurance',  'growth',          'higher'),
  ('claims_days_to_pay',                   'insurance',  'mean',            'lower'),
  ('claims_paid_amount',                   'insurance',  'flow',            'higher'),
  ('claims_paid_count',                    'insurance',  'flow',            'higher'),
  ('claims_beneficiary_people',            'insurance',  'flow',            'higher'),
  ('assistance_referral_share',            'assistance', 'rate',            'higher'),
  ('assistance_resolved_rate',             'assistance', 'rate',            'higher'),
  ('assistance_resolved',                  'assistance', 'flow',            'higher'),
  ('assistance_aid_paid',                  'assistance', 'flow',            'higher'),
  ('training_participants',                'training',   'flow',            'higher'),
  ('competition_participants',             'training',   'flow',            'higher'),
  ('certifications',                       'training',   'flow',            'higher'),
  ('competition_certifications',           'training',   'flow',            'higher'),
  ('senior_certified_share',               'training',   'rate',            'higher'),
  ('strengthening_subsidy_disbursed_rate', 'funding',    'cumulative_rate', 'higher'),
  ('service_complex_city_match_share',     'funding',    'rate',            'higher')
) t(metric, source, shape, better);

-- The streams whose metric values this build makes: those whose facts the load changed
-- (engine_scope.changed_facts), every stream when it names none (a full build, or the as-of date
-- moved: is_complete and the current window change for all). A stream's values read its own facts
-- and marts, the as-of date and the dimensions only, so the other streams' rows stay as they are.
-- A stream's facts are read `SEMI JOIN metric_source_made m ON m.source = '<stream>'`, not filtered
-- with `'<stream>' IN (SELECT source FROM metric_source_made)`: the join stops the scan at its first
-- rows when the stream is not made, the filter read every row first (a month's mediation load
-- scanned the training and claim records that way, in four statements).
CREATE OR REPLACE TEMP TABLE metric_source_made AS
SELECT DISTINCT source
FROM (VALUES ('mediation', 'fact_mediation'), ('insurance', 'fact_insurance_claim'), ('insurance', 'fact_insurance_enrolment'),
             ('assistance', 'fact_assistance'), ('training', 'fact_training'), ('funding', 'fact_funding')) t(source, fact)
WHERE (SELECT changed_facts FROM engine_scope) IS NULL OR list_contains((SELECT changed_facts FROM engine_scope), fact);

-- The months this build scores: January of engine_scope's first year to the as-of month.
CREATE OR REPLACE TEMP TABLE metric_month_spine AS
SELECT m.month_key, m.year, m.quarter, m.month, m.month_end
FROM dim_month m, indicator_asof a, engine_scope e
WHERE m.year >= e.first_year AND m.month_start <= a.as_of_date;

-- People counted once per unit at every level: people certified (kind certification), certified or
-- promoted through a competition, and members paid a claim (受益职工). For each, per month (distinct
-- that month) and the month each person first appears in a quarter and in a year at that unit (the
-- running sums of those are the quarter and year-to-date distinct counts).
-- A person's months of a year are one 12-bit mask (bit m-1: a record in month m), OR-ed over
-- counties for a city and the province, so a person in two counties of one city counts once for
-- the city. The masks are counted by pattern and unfolded into months: month m is the person's
-- first of its quarter (or year) when no lower bit of that quarter (or year) is set. Masks, not
-- distinct (unit, person, month) rows: a third of the time at a million records.
CREATE OR REPLACE TEMP TABLE metric_person_months AS
SELECT county_code, kind AS what, person_id AS person, year(date) AS year, bit_or(1 << (month(date) - 1)) AS months
FROM fact_training SEMI JOIN metric_source_made m ON m.source = 'training'
WHERE certified AND kind IN ('certification', 'competition') AND date <= (SELECT as_of_date FROM indicator_asof)
  AND date >= (SELECT make_date(first_year, 1, 1) FROM engine_scope)
GROUP BY ALL
UNION ALL
SELECT county_code, 'claim_paid', member_id, year(paid_date), bit_or(1 << (month(paid_date) - 1))
FROM fact_insurance_claim SEMI JOIN metric_source_made m ON m.source = 'insurance'
WHERE status = 'paid' AND paid_date <= (SELECT as_of_date FROM indicator_asof)
  AND paid_date >= (SELECT make_date(first_year, 1, 1) FROM engine_scope)
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE metric_people AS
WITH levels AS (
  SELECT county_code AS unit_code, what, year, months FROM metric_person_months
  UNION ALL
  SELECT c.city_code, p.what, p.year, bit_or(p.months)
  FROM metric_person_months p JOIN dim_county c USING (county_code) GROUP BY c.city_code, p.what, p.person, p.year
  UNION ALL
  SELECT '450000', what, year, bit_or(months) FROM metric_person_months GROUP BY what, person, year
), patterns AS (
  SELECT unit_code, what, year, months, count(*) AS people FROM levels GROUP BY ALL
), bits AS (
  SELECT unit_code, what, year, months, people, unnest(range(12)) AS b FROM patterns
), by_month AS (
  SELECT unit_code, what, (year * 100 + b + 1)::INTEGER AS month_key,
         sum(people) AS people_month,
         sum(people) FILTER (WHERE (months & ((1 << b) - (1 << (b - b % 3)))) = 0) AS people_new_in_quarter,
         sum(people) FILTER (WHERE (months & ((1 << b) - 1)) = 0) AS people_new_in_year
  FROM bits WHERE ((months >> b) & 1) = 1
  GROUP BY ALL
)
SELECT unit_code, month_key,
       coalesce(sum(people_month) FILTER (WHERE what = 'certification'), 0)::BIGINT AS cert_month,
       coalesce(sum(people_month) FILTER (WHERE what = 'competition'), 0)::BIGINT AS comp_cert_month,
       coalesce(sum(people_new_in_quarter) FILTER (WHERE what = 'certification'), 0)::BIGINT AS cert_new_q,
       coalesce(sum(people_new_in_quarter) FILTER (WHERE what = 'competition'), 0)::BIGINT AS comp_cert_new_q,
       coalesce(sum(people_new_in_year) FILTER (WHERE what = 'certification'), 0)::BIGINT AS cert_new_y,
       coalesce(sum(people_new_in_year) FILTER (WHERE what = 'competition'), 0)::BIGINT AS comp_cert_new_y,
       coalesce(sum(people_month) FILTER (WHERE what = 'claim_paid'), 0)::BIGINT AS claim_people_month,
       coalesce(sum(people_new_in_quarter) FILTER (WHERE what = 'claim_paid'), 0)::BIGINT AS claim_people_new_q,
       coalesce(sum(people_new_in_year) FILTER (WHERE what = 'claim_paid'), 0)::BIGINT AS claim_people_new_y
FROM by_month
GROUP BY unit_code, month_key;

-- Hardship cases on file at the start of engine_scope's first year: opened minus closed in the
-- months scored before it (none in a full build).
CREATE OR REPLACE TEMP TABLE metric_on_file_before AS
WITH bounds AS (
  SELECT make_date(a.first_year, 1, 1) AS lo, make_date(e.first_year, 1, 1) AS hi FROM indicator_asof a, engine_scope e
), county AS (
  SELECT c.county_code, c.city_code,
         count(*) FILTER (WHERE f.opened_date >= b.lo AND f.opened_date < b.hi)
           - count(*) FILTER (WHERE f.closed_date >= b.lo AND f.closed_date < b.hi) AS on_file
  FROM fact_assistance f SEMI JOIN metric_source_made m ON m.source = 'assistance'
  JOIN dim_county c USING (county_code), bounds b
  GROUP BY ALL
)
SELECT county_code AS unit_code, on_file FROM county
UNION ALL SELECT city_code, sum(on_file) FROM county GROUP BY city_code
UNION ALL SELECT '450000', sum(on_file) FROM county;

-- Additive monthly components per county (zero-filled over the spine), then summed to cities and
-- the province. Yuan stay DECIMAL through every sum (here and in the windows below) and become
-- DOUBLE only as a metric's value: exact sums do not depend on the order a parallel aggregate adds
-- them in, so two builds of the same facts agree to the last bit.
-- The facts are read from engine_scope's first year on (the spine's months), and only for the
-- streams of metric_source_made: the other streams' columns stay zero here and their metric values
-- are not made (metric_value_made keeps the made streams' metrics only).
CREATE OR REPLACE TEMP TABLE metric_unit_month AS
WITH mediation AS (
  SELECT county_code, month_key, success, failed, wage_success,
         success_amount_yuan AS success_amount, decided_days_sum
  FROM mart_mediation_county_month SEMI JOIN metric_source_made m ON m.source = 'mediation'
), claims AS (
  SELECT county_code, month_key, paid_count, paid_amount, days_to_pay_sum
  FROM mart_claims_county_month SEMI JOIN metric_source_made m ON m.source = 'insurance'
), assistance_opened AS (
  SELECT county_code, (year(opened_date) * 100 + month(opened_date))::INTEGER AS month_key,
         count(*) AS opened, count(*) FILTER (WHERE channel = 'referral') AS referred, sum(aid_yuan) AS aid_paid
  FROM fact_assistance SEMI JOIN metric_source_made m ON m.source = 'assistance'
  WHERE opened_date >= (SELECT make_date(first_year, 1, 1) FROM engine_scope) GROUP BY ALL
), assistance_closed AS (
  SELECT county_code, (year(closed_date) * 100 + month(closed_date))::INTEGER AS month_key,
         count(*) AS closed, count(*) FILTER (WHERE status = 'resolved') AS resolved
  FROM fact_assistance SEMI JOIN metric_source_made m ON m.source = 'assistance'
  WHERE closed_date >= (SELECT make_date(first_year, 1, 1) FROM engine_scope) GROUP BY ALL
), training AS (
  SELECT county_code, (year(date) * 100 + month(date))::INTEGER AS month_key,
         count(*) AS training_all,
         count(*) FILTER (WHERE kind = 'training') AS training,
         count(*) FILTER (WHERE kind = 'competition') AS competition,
         count(*) FILTER (WHERE certified AND skill_level IS NOT NULL) AS certified_leveled,
         count(*) FILTER (WHERE certified AND skill_level IN ('senior', 'technician', 'senior_technician',
                                                              'principal_technician', 'chief_technician')) AS certified_senior
  FROM fact_training SEMI JOIN metric_source_made m ON m.source = 'training'
  WHERE date >= (SELECT make_date(first_year, 1, 1) FROM engine_scope) GROUP BY ALL
), funding AS (
  SELECT recipient_code AS county_code, (year(disbursed_date) * 100 + month(disbursed_date))::INTEGER AS month_key,
         sum(amount_yuan) FILTER (WHERE program = 'county_strengthening') AS strengthening,
         sum(amount_yuan) FILTER (WHERE program = 'service_complex' AND source IN ('acftu', 'regional_federation')) AS sc_grant,
         sum(amount_yuan) FILTER (WHERE program = 'service_complex' AND source = 'city_match') AS sc_match
  FROM fact_funding SEMI JOIN metric_source_made m ON m.source = 'funding'
  WHERE recipient_code IN (SELECT county_code FROM dim_county)
    AND disbursed_date >= (SELECT make_date(first_year, 1, 1) FROM engine_scope) GROUP BY ALL
), county AS (
  SELECT c.county_code, c.city_code, s.month_key, s.year, s.quarter,
         coalesce(md.success, 0) AS success, coalesce(md.failed, 0) AS failed,
         coalesce(md.wage_success, 0) AS wage_success, coalesce(md.success_amount, 0) AS success_amount,
         coalesce(md.decided_days_sum, 0) AS decided_days,
         coalesce(cl.paid_count, 0) AS paid_count, coalesce(cl.paid_amount, 0) AS paid_amount,
         coalesce(cl.days_to_pay_sum, 0) AS days_to_pay,
         coalesce(ao.opened, 0) AS opened, coalesce(ao.referred, 0) AS referred, coalesce(ao.aid_paid, 0) AS aid_paid,
         coalesce(ac.closed, 0) AS closed, coalesce(ac.resolved, 0) AS resolved,
         coalesce(tr.training_all, 0) AS training_all, coalesce(tr.training, 0) AS training, coalesce(tr.competition, 0) AS competition,
         coalesce(tr.certified_leveled, 0) AS certified_leveled, coalesce(tr.certified_senior, 0) AS certified_senior,
         coalesce(fu.strengthening, 0) AS strengthening, coalesce(fu.sc_grant, 0) AS sc_grant, coalesce(fu.sc_match, 0) AS sc_match
  FROM dim_county c CROSS JOIN metric_month_spine s
  LEFT JOIN mediation md ON md.county_code = c.county_code AND md.month_key = s.month_key
  LEFT JOIN claims cl ON cl.county_code = c.county_code AND cl.month_key = s.month_key
  LEFT JOIN assistance_opened ao ON ao.county_code = c.county_code AND ao.month_key = s.month_key
  LEFT JOIN assistance_closed ac ON ac.county_code = c.county_code AND ac.month_key = s.month_key
  LEFT JOIN training tr ON tr.county_code = c.county_code AND tr.month_key = s.month_key
  LEFT JOIN funding fu ON fu.county_code = c.county_code AND fu.month_key = s.month_key
), units AS (
  SELECT county_code AS unit_code, 'county' AS unit_level, 1 AS counties, * EXCLUDE (county_code, city_code) FROM county
  UNION ALL
  SELECT city_code, 'city', count(*), month_key, year, quarter,
         sum(success), sum(failed), sum(wage_success), sum(success_amount), sum(decided_days),
         sum(paid_count), sum(paid_amount), sum(days_to_pay), sum(opened), sum(referred), sum(aid_paid),
         sum(closed), sum(resolved), sum(training_all), sum(training), sum(competition), sum(certified_leveled), sum(certified_senior),
         sum(strengthening), sum(sc_grant), sum(sc_match)
  FROM county GROUP BY city_code, month_key, year, quarter
  UNION ALL
  SELECT '450000', 'province', count(*), month_key, year, quarter,
         sum(success), sum(failed), sum(wage_success), sum(success_amount), sum(decided_days),
         sum(paid_count), sum(paid_amount), sum(days_to_pay), sum(opened), sum(referred), sum(aid_paid),
         sum(closed), sum(resolved), sum(training_all), sum(training), sum(competition), sum(certified_leveled), sum(certified_senior),
         sum(strengthening), sum(sc_grant), sum(sc_match)
  FROM county GROUP BY month_key, year, quarter
)
SELECT u.*,
       coalesce(p.cert_month, 0) AS cert_month, coalesce(p.comp_cert_month, 0) AS comp_cert_month,
       coalesce(p.cert_new_q, 0) AS cert_new_q, coalesce(p.comp_cert_new_q, 0) AS comp_cert_new_q,
       coalesce(p.cert_new_y, 0) AS cert_new_y, coalesce(p.comp_cert_new_y, 0) AS comp_cert_new_y,
       coalesce(p.claim_people_month, 0) AS claim_people_month, coalesce(p.claim_people_new_q, 0) AS claim_people_new_q,
       coalesce(p.claim_people_new_y, 0) AS claim_people_new_y,
       -- hardship cases on file at the start of the month (opened before it, not closed before it)
       coalesce(b.on_file, 0)
         + coalesce(sum(u.opened - u.closed) OVER (PARTITION BY u.unit_code ORDER BY u.month_key
                                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS on_file_at_start
FROM units u LEFT JOIN metric_people p USING (unit_code, month_key)
LEFT JOIN metric_on_file_before b USING (unit_code);

-- The first month with any record of each stream, province-wide: windows ending before it have
-- no data yet (NULL), windows after it count zero records as zero. Only the streams this build
-- makes are looked up (a full scan of each fact table otherwise).
CREATE OR REPLACE TEMP TABLE metric_stream_start AS
SELECT * FROM (
  SELECT 'mediation' AS source, (SELECT min(month_key) FROM mart_mediation_county_month) AS first_month_key
  UNION ALL SELECT 'insurance', least((SELECT min(month_key) FROM mart_claims_county_month),
                                      (SELECT min(year) * 100 + 1 FROM mart_members_county_year))
  UNION ALL SELECT 'assistance', min(year(opened_date) * 100 + month(opened_date))
            FROM fact_assistance SEMI JOIN metric_source_made m ON m.source = 'assistance'
  UNION ALL SELECT 'training', min(year(date) * 100 + month(date))
            FROM fact_training SEMI JOIN metric_source_made m ON m.source = 'training'
  UNION ALL SELECT 'funding', min(year(disbursed_date) * 100 + month(disbursed_date))
            FROM fact_funding SEMI JOIN metric_source_made m ON m.source = 'funding'
) WHERE source IN (SELECT source FROM metric_source_made);

-- Members of each plan year at each level (distinct member_id; a transfer counts in each county,
-- once in the city and the province).
CREATE OR REPLACE TEMP TABLE metric_members_year AS
SELECT county_code AS unit_code, year, members FROM mart_members_county_year
UNION ALL
SELECT city_code, year, members FROM mart_members_city_year
UNION ALL
SELECT '450000', year, members FROM mart_members_province_year;

-- Years in which the county-strengthening programme runs (a disbursement anywhere that year or the
-- year before): only then does a county have a 100,000-yuan allocation.
CREATE OR REPLACE TEMP TABLE metric_strengthening_year AS
SELECT DISTINCT y.year
FROM (SELECT DISTINCT year(disbursed_date)::INTEGER AS year FROM fact_funding WHERE program = 'county_strengthening') g,
     LATERAL (SELECT unnest([g.year, g.year + 1]) AS year) y;

CREATE OR REPLACE TEMP TABLE metric_value_made AS
WITH windows AS (
  -- month
  SELECT unit_code, unit_level, counties, 'month' AS period_kind,
         (month_key // 100) || '-' || lpad((month_key % 100)::VARCHAR, 2, '0') AS period,
         year, month_key AS end_month_key,
         success, failed, wage_success, success_amount, decided_days, paid_count, paid_amount, days_to_pay,
         opened, referred, aid_paid, resolved, on_file_at_start, training, competition,
         certified_leveled, certified_senior, cert_month AS certifications, comp_cert_month AS comp_certifications,
         claim_people_month AS claim_people,
         NULL AS strengthening, NULL AS sc_grant, NULL AS sc_match
  FROM metric_unit_month
  WHERE month_key >= (SELECT first_month_key FROM engine_scope)
  UNION ALL
  -- year to date at every month made: its year's months up to it (grouped: a running window over
  -- every month of the year costs more than the few months a small publish makes)
  SELECT e.unit_code, e.unit_level, any_value(e.counties), 'ytd',
         (e.month_key // 100) || '-' || lpad((e.month_key % 100)::VARCHAR, 2, '0'),
         e.year, e.month_key,
         sum(m.success), sum(m.failed), sum(m.wage_success), sum(m.success_amount),
         sum(m.decided_days), sum(m.paid_count), sum(m.paid_amount), sum(m.days_to_pay),
         sum(m.opened), sum(m.referred), sum(m.aid_paid), sum(m.resolved),
         arg_min(m.on_file_at_start, m.month_key), sum(m.training), sum(m.competition),
         sum(m.certified_leveled), sum(m.certified_senior), sum(m.cert_new_y), sum(m.comp_cert_new_y),
         sum(m.claim_people_new_y),
         sum(m.strengthening), sum(m.sc_grant), sum(m.sc_match)
  FROM metric_unit_month e
  JOIN metric_unit_month m ON m.unit_code = e.unit_code AND m.year = e.year AND m.month_key <= e.month_key
  WHERE e.month_key >= (SELECT first_month_key FROM engine_scope)
  GROUP BY e.unit_code, e.unit_level, e.year, e.month_key
  UNION ALL
  -- quarter
  SELECT unit_code, unit_level, any_value(counties), 'quarter', year || '-Q' || quarter, year, max(month_key),
         sum(success), sum(failed), sum(wage_success), sum(success_amount), sum(decided_days),
         sum(paid_count), sum(paid_amount), sum(days_to_pay), sum(opened), sum(referred), sum(aid_paid), sum(resolved),
         arg_min(on_file_at_start, month_key), sum(training), sum(competition), sum(certified_leveled), sum(certified_senior),
         sum(cert_new_q), sum(comp_cert_new_q), sum(claim_people_new_q), NULL, NULL, NULL
  FROM metric_unit_month GROUP BY unit_code, unit_level, year, quarter
  HAVING max(month_key) >= (SELECT first_month_key FROM engine_scope)
), filled AS (
  SELECT w.*, my.members, py.members AS members_prev_year,
         (sy.year IS NOT NULL) AS strengthening_runs,
         last_day(make_date(w.end_month_key // 100, w.end_month_key % 100, 1)) AS end_date
  FROM windows w
  LEFT JOIN metric_members_year my ON my.unit_code = w.unit_code AND my.year = w.year
  LEFT JOIN metric_members_year py ON py.unit_code = w.unit_code AND py.year = w.year - 1
  LEFT JOIN metric_strengthening_year sy ON sy.year = w.year
), unpivoted AS (
  -- one row per metric (unnest in the select list: a LATERAL subquery here is decorrelated into a
  -- join on every column it reads, ten times slower)
  SELECT f.unit_code, f.unit_level, f.period_kind, f.period, f.year, f.end_month_key, f.end_date, unnest([
    {metric: 'mediation_success_rate', num: f.success::DOUBLE, den: (f.success + f.failed)::DOUBLE, annual_only: false},
    {metric: 'mediation_successes', num: f.success, den: NULL, annual_only: false},
    {metric: 'wage_mediation_successes', num: f.wage_success, den: NULL, annual_only: false},
    {metric: 'mediation_success_amount', num: f.success_amount, den: NULL, annual_only: false},
    {metric: 'mediation_days_to_close', num: f.decided_days, den: f.success + f.failed, annual_only: false},
    {metric: 'members', num: coalesce(f.members, 0), den: NULL, annual_only: true},
    {metric: 'member_growth', num: f.members, den: f.members_prev_year, annual_only: true},
    {metric: 'claims_days_to_pay', num: f.days_to_pay, den: f.paid_count, annual_only: false},
    {metric: 'claims_paid_amount', num: f.paid_amount, den: NULL, annual_only: false},
    {metric: 'claims_paid_count', num: f.paid_count, den: NULL, annual_only: false},
    {metric: 'claims_beneficiary_people', num: f.claim_people, den: NULL, annual_only: false},
    {metric: 'assistance_referral_share', num: f.referred, den: f.opened, annual_only: false},
    {metric: 'assistance_resolved_rate', num: f.resolved, den: f.on_file_at_start + f.opened, annual_only: false},
    {metric: 'assistance_resolved', num: f.resolved, den: NULL, annual_only: false},
    {metric: 'assistance_aid_paid', num: f.aid_paid, den: NULL, annual_only: false},
    {metric: 'training_participants', num: f.training, den: NULL, annual_only: false},
    {metric: 'competition_participants', num: f.competition, den: NULL, annual_only: false},
    {metric: 'certifications', num: f.certifications, den: NULL, annual_only: false},
    {metric: 'competition_certifications', num: f.comp_certifications, den: NULL, annual_only: false},
    {metric: 'senior_certified_share', num: f.certified_senior, den: f.certified_leveled, annual_only: false},
    {metric: 'strengthening_subsidy_disbursed_rate', num: f.strengthening,
       den: CASE WHEN f.strengthening_runs THEN 100000.0 * f.counties END, annual_only: true},
    {metric: 'service_complex_city_match_share', num: f.sc_match, den: f.sc_grant, annual_only: true}
  ]) AS m
  FROM filled f
), long AS (
  SELECT unit_code, unit_level, period_kind, period, year, end_month_key, end_date,
         m.metric, m.num, m.den, m.annual_only
  FROM unpivoted
)
SELECT l.unit_code, l.unit_level, l.metric, l.period_kind, l.period, l.year::INTEGER AS year,
       l.end_month_key::INTEGER AS end_month_key,
       CASE WHEN l.null_reason IS NULL THEN l.value END::DOUBLE AS value,
       CASE WHEN d.shape NOT IN ('flow', 'stock') AND l.null_reason IS DISTINCT FROM 'no_data_yet' THEN l.num END::DOUBLE AS numerator,
       CASE WHEN d.shape NOT IN ('flow', 'stock') AND l.null_reason IS DISTINCT FROM 'no_data_yet' THEN l.den END::DOUBLE AS denominator,
       l.null_reason,
       l.end_date <= (SELECT as_of_date FROM indicator_asof) AS is_complete
FROM (
  SELECT long.*,
         CASE d.shape
           WHEN 'flow' THEN num WHEN 'stock' THEN num
           WHEN 'mean' THEN num / nullif(den, 0)
           WHEN 'growth' THEN growth_pct(num, den)
           ELSE rate_pct(num, den)
         END AS value,
         CASE
           WHEN long.end_month_key < s.first_month_key OR s.first_month_key IS NULL THEN 'no_data_yet'
           WHEN d.shape = 'growth' AND coalesce(den, 0) = 0 THEN 'no_baseline'
           WHEN d.shape = 'cumulative_rate' AND den IS NULL THEN 'no_program'
           WHEN d.shape IN ('rate', 'mean', 'cumulative_rate') AND coalesce(den, 0) = 0 THEN 'no_records'
         END AS null_reason
  FROM long JOIN metric_def d USING (metric) JOIN metric_stream_start s ON s.source = d.source
  WHERE NOT (annual_only AND period_kind <> 'ytd') AND d.source IN (SELECT source FROM metric_source_made)
    AND long.end_month_key >= (SELECT first_month_key FROM engine_scope)
) l JOIN metric_def d USING (metric)
;

-- 'year' = the year to date at the year's last month scored (December, or the as-of month).
INSERT INTO metric_value_made
SELECT unit_code, unit_level, metric, 'year', year::VARCHAR, year, end_month_key, value, numerator, denominator,
       null_reason, is_complete
FROM metric_value_made
WHERE period_kind = 'ytd'
QUALIFY end_month_key = max(end_month_key) OVER (PARTITION BY unit_code, metric, year);

-- The years in scope replace their rows (engine_scope, 10-periods.sql).
CREATE TABLE IF NOT EXISTS metric_value AS FROM metric_value_made LIMIT 0;
DELETE FROM metric_value WHERE year >= (SELECT first_year FROM engine_scope)
  AND end_month_key >= (SELECT first_month_key FROM engine_scope)
  AND metric IN (SELECT metric FROM metric_def WHERE source IN (SELECT source FROM metric_source_made));
INSERT INTO metric_value FROM metric_value_made;
DROP TABLE metric_value_made;
