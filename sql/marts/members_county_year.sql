-- Grain: one row per county x plan year.
-- members = distinct member_id enrolled in the plan year (DATA-CONTRACT.md); a member enrolled in two
-- counties in one year (a transfer) counts in each county but once in the province (see
-- mart_members_province_year). Growth is in mart_members_unit_year below.
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

-- Grain: one row per unit (county, city, province '450000') x plan year: the three tables above in
-- one, with growth = growth_pct(members, previous plan year's members) in percent with two decimals
-- (as published), NULL when the previous plan year has no members (GET /api/insurance/members reads it).
CREATE OR REPLACE TABLE mart_members_unit_year AS
WITH unit_year AS (
  SELECT county_code AS unit_code, 'county' AS unit_level, year, members FROM mart_members_county_year
  UNION ALL SELECT city_code, 'city', year, members FROM mart_members_city_year
  UNION ALL SELECT '450000', 'province', year, members FROM mart_members_province_year
)
SELECT y.unit_code, y.unit_level, y.year, y.members, round(growth_pct(y.members, p.members), 2)::DOUBLE AS growth
FROM unit_year y LEFT JOIN unit_year p ON p.unit_code = y.unit_code AND p.year = y.year - 1;
