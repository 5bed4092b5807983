-- Members = distinct member_id enrolled in the plan year (DATA-CONTRACT.md). A member enrolled in two
-- counties in one year (a transfer) counts in each county but once in its city and once in the province.
-- The distinct counts are read from one pass over the enrolments (member_span), not three: a distinct
-- count of 15M member ids takes seconds each on two cores.

-- Grain: one row per plan year x lowest x highest county its members enrolled in that year (lo = hi
-- for every member who did not move), with how many members, and the members who moved (lo <> hi) by
-- id. County codes are six digits (dim_county's CHECK), so as integers they keep their order, and
-- min/max of integers costs far less than of text.
CREATE OR REPLACE TEMP TABLE member_span AS
SELECT plan_year, lo, hi, count(*) AS members, list(member_id) FILTER (WHERE lo <> hi) AS movers
FROM (
  SELECT plan_year, member_id, min(county_code::INTEGER) AS lo, max(county_code::INTEGER) AS hi
  FROM fact_insurance_enrolment GROUP BY ALL
) GROUP BY ALL;

-- Grain: one row per mover x plan year x county it enrolled in.
CREATE OR REPLACE TEMP TABLE member_year_moved AS
SELECT DISTINCT e.plan_year, e.member_id, e.county_code
FROM fact_insurance_enrolment e
SEMI JOIN (SELECT plan_year, unnest(movers) AS member_id FROM member_span WHERE lo <> hi) m USING (plan_year, member_id);

-- Grain: one row per county x plan year.
CREATE OR REPLACE TABLE mart_members_county_year AS
WITH enrolled AS (
  SELECT county_code, plan_year, count(*) AS enrolments, sum(contribution_yuan) AS contribution_yuan
  FROM fact_insurance_enrolment GROUP BY ALL
), members AS (  -- the members who did not move by their county, and the movers in each of their counties
  SELECT county_code, plan_year, sum(members) AS members
  FROM (
    SELECT lo::VARCHAR AS county_code, plan_year, members FROM member_span WHERE lo = hi
    UNION ALL
    SELECT county_code, plan_year, count(*) FROM member_year_moved GROUP BY ALL
  ) GROUP BY ALL
)
SELECT county_code, plan_year::INTEGER AS year, m.members::INTEGER AS members,
       e.enrolments::INTEGER AS enrolments, e.contribution_yuan::DECIMAL(18, 2) AS contribution_yuan
FROM enrolled e JOIN members m USING (county_code, plan_year);

-- Grain: one row per plan year, province-wide distinct members.
CREATE OR REPLACE TABLE mart_members_province_year AS
WITH members AS (SELECT plan_year::INTEGER AS year, sum(members) AS members FROM member_span GROUP BY ALL)
SELECT year, m.members::INTEGER AS members, sum(c.enrolments)::INTEGER AS enrolments,
       sum(c.contribution_yuan)::DECIMAL(18, 2) AS contribution_yuan
FROM mart_members_county_year c JOIN members m USING (year) GROUP BY ALL;

-- Grain: one row per city x plan year, distinct members counted once in the city: the members who did
-- not move by their county's city, and each mover once per city it enrolled in.
CREATE OR REPLACE TABLE mart_members_city_year AS
WITH members AS (
  SELECT city_code, plan_year::INTEGER AS year, sum(members) AS members
  FROM (
    SELECT d.city_code, s.plan_year, s.members
    FROM member_span s JOIN dim_county d ON d.county_code = s.lo::VARCHAR WHERE s.lo = s.hi
    UNION ALL
    SELECT city_code, plan_year, count(DISTINCT member_id)
    FROM member_year_moved JOIN dim_county USING (county_code) GROUP BY ALL
  ) GROUP BY ALL
)
SELECT d.city_code, c.year, m.members::INTEGER AS members, sum(c.enrolments)::INTEGER AS enrolments,
       sum(c.contribution_yuan)::DECIMAL(18, 2) AS contribution_yuan
FROM mart_members_county_year c JOIN dim_county d USING (county_code) JOIN members m ON m.city_code = d.city_code AND m.year = c.year
GROUP BY ALL;

DROP TABLE member_year_moved;
DROP TABLE member_span;

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
