-- Grain: one row per county x quarter (quarter_key = year*10 + quarter).
-- opened and referral share count cases by opened_date; resolved/exited and aid paid count by
-- closed_date (aid is booked when the case closes; active cases' aid by opened_date);
-- active = cases open at the end of the quarter (opened on or before it, not closed by then).
CREATE OR REPLACE TABLE mart_assistance_county_quarter AS
WITH quarters AS (
  SELECT DISTINCT year * 10 + quarter AS quarter_key, year, quarter, quarter_label,
         max(month_end) OVER (PARTITION BY year, quarter) AS quarter_end
  FROM dim_month
), opened AS (
  SELECT county_code, (year(opened_date) * 10 + quarter(opened_date))::INTEGER AS quarter_key,
         count(*) AS opened,
         count(*) FILTER (WHERE channel = 'referral') AS referred,
         sum(aid_yuan) FILTER (WHERE status = 'active') AS aid_active
  FROM fact_assistance GROUP BY ALL
), closed AS (
  SELECT county_code, (year(closed_date) * 10 + quarter(closed_date))::INTEGER AS quarter_key,
         count(*) FILTER (WHERE status = 'resolved') AS resolved,
         count(*) FILTER (WHERE status = 'exited') AS exited,
         sum(aid_yuan) AS aid_closed
  FROM fact_assistance WHERE closed_date IS NOT NULL GROUP BY ALL
), flows AS (
  SELECT county_code, quarter_key,
         coalesce(o.opened, 0) AS opened, coalesce(o.referred, 0) AS referred,
         coalesce(c.resolved, 0) AS resolved, coalesce(c.exited, 0) AS exited,
         coalesce(o.aid_active, 0) + coalesce(c.aid_closed, 0) AS aid_paid
  FROM opened o FULL JOIN closed c USING (county_code, quarter_key)
)
SELECT f.county_code, f.quarter_key, q.year, q.quarter, q.quarter_label,
       f.opened::INTEGER AS opened,
       (sum(f.opened - f.resolved - f.exited) OVER (PARTITION BY f.county_code ORDER BY f.quarter_key))::INTEGER AS active,
       f.resolved::INTEGER AS resolved,
       f.exited::INTEGER AS exited,
       f.aid_paid::DECIMAL(18, 2) AS aid_paid,
       f.referred::INTEGER AS referred,
       CASE WHEN f.opened > 0 THEN f.referred / f.opened END::DOUBLE AS referral_share
FROM flows f JOIN quarters q USING (quarter_key);
