-- Grain: one row per county x calendar month (month_key = year*100 + month).
-- Received counts cases by received_date; closed/success/failed/withdrawn and days to close count
-- by closed_date, as DATA-CONTRACT.md defines the success rate (success / (success + failed) of cases
-- closed in the period). pending = cases received in the month still pending today.
-- wage_success, success_amount_yuan and decided_days_sum (success + failed only) feed the indicator
-- metrics wage_mediation_successes, mediation_success_amount and mediation_days_to_close.
CREATE OR REPLACE TABLE mart_mediation_county_month AS
WITH received AS (
  SELECT county_code, (year(received_date) * 100 + month(received_date))::INTEGER AS month_key,
         count(*) AS received,
         count(*) FILTER (WHERE outcome = 'pending') AS pending,
         sum(workers) AS workers,
         sum(amount_yuan) AS amount_yuan
  FROM fact_mediation GROUP BY ALL
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
  FROM fact_mediation WHERE closed_date IS NOT NULL GROUP BY ALL
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
