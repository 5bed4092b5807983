-- Dimensions: the administrative units and the calendar. Rows come from fixtures/reference
-- (loaded by etl/warehouse.ts when a warehouse is created), never from county files.

-- One row per prefecture-level city (14), plus the province itself (450000) so that
-- "unit" columns can point at any level.
CREATE TABLE dim_city (
  city_code   VARCHAR PRIMARY KEY CHECK (regexp_full_match(city_code, '45\d{2}00')),
  city_name   VARCHAR NOT NULL,
  short_name  VARCHAR NOT NULL,
  pinyin      VARCHAR NOT NULL,
  name_en     VARCHAR NOT NULL  -- 'Nanning': the name under the English switch (fixtures/reference/SOURCES.md)
);

-- One row per county-level division (111): districts, county-level cities, counties, autonomous counties.
CREATE TABLE dim_county (
  county_code VARCHAR PRIMARY KEY CHECK (regexp_full_match(county_code, '45\d{4}')),
  county_name VARCHAR NOT NULL,
  short_name  VARCHAR NOT NULL,
  pinyin      VARCHAR NOT NULL,
  kind        VARCHAR NOT NULL CHECK (kind IN ('district', 'city', 'county', 'autonomous_county')),
  city_code   VARCHAR NOT NULL REFERENCES dim_city (city_code),
  name_en     VARCHAR NOT NULL  -- 'Xingning District', 'Sanjiang Dong Autonomous County'
);

-- Every unit a score or a reported value can belong to: province, cities, counties.
CREATE VIEW dim_unit AS
SELECT '450000' AS unit_code, '广西壮族自治区' AS unit_name, '广西' AS short_name, 'province' AS level, NULL AS city_code, 'Guangxi' AS unit_name_en
UNION ALL
SELECT city_code, city_name, short_name, 'city', city_code, name_en FROM dim_city
UNION ALL
SELECT county_code, county_name, short_name, 'county', city_code, name_en FROM dim_county;

-- One row per calendar month from 2015 to 2035; quarters and years derive from it.
CREATE TABLE dim_month AS
SELECT
  (year(d) * 100 + month(d))::INTEGER           AS month_key,   -- 202307
  strftime(d, '%Y-%m')                          AS month,       -- '2023-07'
  d::DATE                                       AS month_start,
  (last_day(d))::DATE                           AS month_end,
  year(d)::INTEGER                              AS year,
  quarter(d)::INTEGER                           AS quarter,
  (year(d) || '-Q' || quarter(d))               AS quarter_label -- '2023-Q3'
FROM range(DATE '2015-01-01', DATE '2036-01-01', INTERVAL 1 MONTH) t(d);

-- One row per reported stream: how often counties report it and by which day of the following month
-- (fixtures/reference/reporting-calendar.csv, the one reviewed file the API and the reporting pages
-- read too). The data-quality deadlines (sql/indicators/95-data-quality.sql) come from here.
CREATE TABLE dim_report_calendar (
  stream       VARCHAR PRIMARY KEY,
  period       VARCHAR NOT NULL CHECK (period IN ('monthly', 'quarterly', 'annual', 'catalog')),
  deadline_day INTEGER NOT NULL CHECK (deadline_day BETWEEN 1 AND 31),
  name_zh      VARCHAR NOT NULL,
  name_en      VARCHAR NOT NULL
);
