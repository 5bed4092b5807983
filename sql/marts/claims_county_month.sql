-- Grain: one row per county x month of payment (paid claims only; month_key = year*100 + month of paid_date).
-- beneficiaries = distinct members paid in that county-month; distinct over a year or the province is
-- not additive, so mart_claims_county_year counts them again at that grain.
-- days to pay = paid_date - submitted_date.
CREATE OR REPLACE TABLE mart_claims_county_month AS
SELECT county_code, (year(paid_date) * 100 + month(paid_date))::INTEGER AS month_key,
       year(paid_date)::INTEGER AS year,
       count(*)::INTEGER AS paid_count,
       sum(amount_yuan)::DECIMAL(18, 2) AS paid_amount,
       count(DISTINCT member_id)::INTEGER AS beneficiaries,
       sum(paid_date - submitted_date)::BIGINT AS days_to_pay_sum,
       median(paid_date - submitted_date)::DOUBLE AS days_to_pay_median
FROM fact_insurance_claim WHERE status = 'paid' GROUP BY ALL;

-- Grain: one row per county x year of payment, plus one row per year with county_code '450000'
-- for the whole province (distinct beneficiaries are not additive across counties).
CREATE OR REPLACE TABLE mart_claims_county_year AS
SELECT coalesce(county_code, '450000') AS county_code, year(paid_date)::INTEGER AS year,
       count(*)::INTEGER AS paid_count,
       sum(amount_yuan)::DECIMAL(18, 2) AS paid_amount,
       count(DISTINCT member_id)::INTEGER AS beneficiaries,
       avg(paid_date - submitted_date)::DOUBLE AS days_to_pay_mean,
       median(paid_date - submitted_date)::DOUBLE AS days_to_pay_median
FROM fact_insurance_claim WHERE status = 'paid'
GROUP BY GROUPING SETS ((county_code, year(paid_date)), (year(paid_date)));
