-- Grain: one row per county x calendar month (month_key = year*100 + month).
-- Received counts cases by received_date; closed/success/failed/withdrawn and days to close count
-- by closed_date, as DATA-CONTRACT.md defines the success rate (success / (success + failed) of cases
-- closed in the period). pending = cases received in the month still pending today.
-- wage_success, success_amount_yuan and decided_days_sum (success + failed only) feed the indicator
-- metrics wage_mediation_successes, mediation_success_amount and mediation_days_to_close.
-- Made for the months from mart_scope.first_month_key on (etl/warehouse.ts rebuildDerived: the first
-- month any case a load wrote or replaced counts in, etl/merge.ts firstMonthOf; NULL: every month),
-- the earlier months keep their rows: a case counts only in its received and closed months, which
-- for every case the load touched, before and after, are from that month on.
CREATE TEMP TABLE IF NOT EXISTS mart_scope (first_month_key INTEGER);
CREATE OR REPLACE TEMP TABLE mart_mediation_bound AS
SELECT coalesce(max(first_month_key), 0) AS month_key,
       coalesce(make_date(max(first_month_key) // 100, max(first_month_key) % 100, 1), DATE '0001-01-01') AS first_day
FROM mart_scope;

CREATE OR REPLACE TEMP TABLE mart_mediation_county_month_made AS
WITH received AS (
  SELECT county_code, (year(received_date) * 100 + month(received_date))::INTEGER AS month_key,
         count(*) AS received,
         count(*) FILTER (WHERE outcome = 'pending') AS pending,
         sum(workers) AS workers,
         sum(amount_yuan) AS amount_yuan
  FROM fact_mediation WHERE received_date >= (SELECT first_day FROM mart_mediation_bound) GROUP BY ALL
), closed AS (
  SELECT county_code, (year(closed_date) * 100 + month(closed_date))::INTEGER AS month_key,
         count(*) AS closed,
         count(*) FILTER (WHERE outcome = 'success') AS success,
         count(*) FILTER (WHERE outcome = 'failed') AS failed,
         count(*) FILTER (WHERE outcome = 'withdrawn') AS withdrawn,
         sum(closed_date - received_date) AS days_to_close_sum,
         count(*) FILTER (WHERE outcome = 'success' AND dispute_type = 'wages') AS wage_success,
         sum(amount_yuan) FILTER (WHERE outcome = 'success') AS success_amount_yuan,
         sum(closed_date - received_date) FILTER (WHERE outcome IN ('success', 'failed')) AS decided_days_sum
  FROM fact_mediation WHERE closed_date >= (SELECT first_day FROM mart_mediation_bound) GROUP BY ALL
)
SELECT county_code, month_key, m.month, m.year, m.quarter,
       coalesce(r.received, 0)::INTEGER  AS received,
       coalesce(c.closed, 0)::INTEGER    AS closed,
       coalesce(c.success, 0)::INTEGER   AS success,
       coalesce(c.failed, 0)::INTEGER    AS failed,
       coalesce(c.withdrawn, 0)::INTEGER AS withdrawn,
       coalesce(r.pending, 0)::INTEGER   AS pending,
       coalesce(r.workers, 0)::INTEGER   AS workers,
       coalesce(r.amount_yuan, 0)::DECIMAL(18, 2) AS amount_yuan,
       coalesce(c.days_to_close_sum, 0)::BIGINT AS days_to_close_sum,
       -- for the indicator metrics (sql/indicators/20-metric-values.sql), all by closed_date:
       coalesce(c.wage_success, 0)::INTEGER AS wage_success,                    -- dispute_type wages, outcome success
       coalesce(c.success_amount_yuan, 0)::DECIMAL(18, 2) AS success_amount_yuan, -- amount_yuan of successful cases
       coalesce(c.decided_days_sum, 0)::BIGINT AS decided_days_sum               -- days to close of success + failed cases
FROM received r FULL JOIN closed c USING (county_code, month_key)
JOIN dim_month m USING (month_key);

CREATE TABLE IF NOT EXISTS mart_mediation_county_month AS FROM mart_mediation_county_month_made LIMIT 0;
DELETE FROM mart_mediation_county_month WHERE month_key >= (SELECT month_key FROM mart_mediation_bound);
INSERT INTO mart_mediation_county_month FROM mart_mediation_county_month_made;
DROP TABLE mart_mediation_county_month_made;
