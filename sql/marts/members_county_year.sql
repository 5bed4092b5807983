-- Grain: one row per county x plan year.
-- members = distinct member_id enrolled in the plan year (DATA-CONTRACT.md); a member enrolled in two
-- counties in one year (a transfer) counts in each county but once in the province (see
-- mart_members_province_year). growth = members / previous year's members - 1.
CREATE OR REPLACE TABLE mart_members_county_year AS
SELECT county_code, plan_year::INTEGER AS year,
       count(DISTINCT member_id)::INTEGER AS members,
       count(*)::INTEGER AS enrolments,
       sum(contribution_yuan)::DECIMAL(18, 2) AS contribution_yuan
FROM fact_insurance_enrolment GROUP BY ALL;

-- Grain: one row per plan year, province-wide distinct members.
CREATE OR REPLACE TABLE mart_members_province_year AS
SELECT plan_year::INTEGER AS year,
       count(DISTINCT member_id)::INTEGER AS members,
       count(*)::INTEGER AS enrolments,
       sum(contribution_yuan)::DECIMAL(18, 2) AS contribution_yuan
FROM fact_insurance_enrolment GROUP BY ALL;

-- Grain: one row per city x plan year, distinct members counted once in the city.
CREATE OR REPLACE TABLE mart_members_city_year AS
SELECT c.city_code, e.plan_year::INTEGER AS year,
       count(DISTINCT e.member_id)::INTEGER AS members,
       count(*)::INTEGER AS enrolments,
       sum(e.contribution_yuan)::DECIMAL(18, 2) AS contribution_yuan
FROM fact_insurance_enrolment e JOIN dim_county c USING (county_code)
GROUP BY ALL;
