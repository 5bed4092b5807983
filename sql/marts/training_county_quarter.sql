-- Grain: one row per county x quarter x kind x skill level (skill_level 'none' when not given).
-- records = rows; people = distinct person_id at this grain (not additive across quarters or kinds);
-- certified = records with a certificate issued.
-- People are counted as the rows of a first grouping by person, not by count(DISTINCT): the same
-- figures in 240-250 ms against 410-640 ms (scale 1, 1.4M records), a grouped DISTINCT keeping a
-- hash table of its own.
CREATE OR REPLACE TABLE mart_training_county_quarter AS
WITH person AS (
  SELECT county_code, year(date) AS year, quarter(date) AS quarter, kind, skill_level,
         count(*) AS records, count(*) FILTER (WHERE certified) AS certified
  FROM fact_training GROUP BY county_code, year, quarter, kind, skill_level, person_id
)
SELECT county_code, (year * 10 + quarter)::INTEGER AS quarter_key, year::INTEGER AS year, quarter::INTEGER AS quarter,
       kind::VARCHAR AS kind, coalesce(skill_level::VARCHAR, 'none') AS skill_level,
       sum(records)::INTEGER AS records, count(*)::INTEGER AS people, sum(certified)::INTEGER AS certified
FROM person GROUP BY ALL;
