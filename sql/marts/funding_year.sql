-- Grain: one row per recipient x program x source x year of disbursement.
-- recipient_level says whether the recipient is a county or a city.
CREATE OR REPLACE TABLE mart_funding_year AS
SELECT f.recipient_code, u.level AS recipient_level, u.city_code,
       f.program::VARCHAR AS program, f.source::VARCHAR AS source,
       year(f.disbursed_date)::INTEGER AS year,
       count(*)::INTEGER AS grants,
       sum(f.amount_yuan)::DECIMAL(18, 2) AS amount_yuan
FROM fact_funding f JOIN dim_unit u ON u.unit_code = f.recipient_code
GROUP BY ALL;
