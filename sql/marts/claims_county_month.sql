-- Grain: one row per county x month of payment (paid claims only; month_key = year*100 + month of paid_date).
-- beneficiaries = distinct members paid in that county-month; distinct over a year or the province is
-- not additive, so mart_claims_unit_year counts them again at each level.
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

-- Grain: one row per unit x year of payment, where the unit is a county, a city (its counties' claims)
-- or the province ('450000'): distinct beneficiaries are not additive, so each level counts its own.
CREATE OR REPLACE TABLE mart_claims_unit_year AS
SELECT coalesce(c.county_code, c.city_code, '450000') AS unit_code, year(paid_date)::INTEGER AS year,
       count(*)::INTEGER AS paid_count,
       sum(amount_yuan)::DECIMAL(18, 2) AS paid_amount,
       count(DISTINCT member_id)::INTEGER AS beneficiaries,
       avg(paid_date - submitted_date)::DOUBLE AS days_to_pay_mean,
       median(paid_date - submitted_date)::DOUBLE AS days_to_pay_median
FROM fact_insurance_claim f JOIN dim_county c USING (county_code)
WHERE f.status = 'paid'
GROUP BY GROUPING SETS ((c.county_code, year(paid_date)), (c.city_code, year(paid_date)), (year(paid_date)));
