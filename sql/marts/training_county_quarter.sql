-- Grain: one row per county x quarter x kind x skill level (skill_level 'none' when not given).
-- records = rows; people = distinct person_id at this grain (not additive across quarters or kinds);
-- certified = records with a certificate issued.
CREATE OR REPLACE TABLE mart_training_county_quarter AS
SELECT county_code, (year(date) * 10 + quarter(date))::INTEGER AS quarter_key,
       year(date)::INTEGER AS year, quarter(date)::INTEGER AS quarter,
       kind::VARCHAR AS kind, coalesce(skill_level::VARCHAR, 'none') AS skill_level,
       count(*)::INTEGER AS records,
       count(DISTINCT person_id)::INTEGER AS people,
       count(*) FILTER (WHERE certified)::INTEGER AS certified
FROM fact_training GROUP BY ALL;
