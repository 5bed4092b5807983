-- overview_tile: the headline tiles of GET /api/overview and the wall.
--
-- Grain: one row per unit (county, city, province 450000) x month (month_key 202307, from January of
-- indicator_asof.first_year to the as-of month) x tile. overview_tile_def: one row per tile (labels,
-- unit, basis, metric, change_kind). end_month_key: the window's last month (NULL: no complete quarter).
--
-- A tile is a figure of the metric layer (metric_value, 'ytd' windows) or, for subsidies, of the
-- funding facts, at its published precision (percent and yuan: two decimals), for three windows:
--   value      basis 'year_to_date': 1 January to the month; 'quarters_to_date': 1 January to the
--              end of the last complete quarter by the month (NULL in January and February: no
--              quarter yet); 'plan_year': the plan year (members).
--   previous   the same tile for the previous month (January: the whole previous year); NULL for
--              plan-year tiles.
--   last_year  the same window a year earlier (同比).
--   change     value against last_year: percent tiles in points (value - last_year, change_kind
--              'points'), others growth_pct(value, last_year) (change_kind 'percent').
-- Target: a tile borrows the target of a catalog indicator only when that indicator computes the
-- tile's very metric (identical definition); the unit's own set first (county47 for a county,
-- reform88 for a city or the province), else the other set's. '>= prev' targets scale last_year
-- (indicator_target_prev: a count rounds up to whole units, yuan and percent to 2 decimals); a plain
-- threshold (>= 72%) applies only to percent tiles (a count threshold is set per reporting period,
-- not per year to date). met = indicator_target_met(value, target); NULL without both.
-- subsidies_disbursed: grants disbursed to the unit (a city: to the city and its counties; the
-- province: every grant), by month of disbursement.
CREATE OR REPLACE TABLE overview_tile_def AS
SELECT * FROM (VALUES
  (1,  'members',              '互助会员',         'Mutual-aid members',            'people',  'plan_year',        'members'),
  (2,  'member_growth',        '互助会员增长率',   'Mutual-aid member growth',      'percent', 'plan_year',        'member_growth'),
  (3,  'mediation_rate',       '劳动争议调解成功率', 'Mediation success rate',      'percent', 'year_to_date',     'mediation_success_rate'),
  (4,  'mediation_success',    '调解成功案件',     'Successful mediations',         'cases',   'year_to_date',     'mediation_successes'),
  (5,  'claims_paid_amount',   '互助补助金额',     'Mutual-aid benefits paid',      'yuan',    'year_to_date',     'claims_paid_amount'),
  (6,  'claims_beneficiaries', '受益职工',         'Beneficiaries (people)',        'people',  'year_to_date',     'claims_beneficiary_people'),
  (7,  'hardship_resolved',    '困难职工解困',     'Hardship cases resolved',       'people',  'quarters_to_date', 'assistance_resolved'),
  (8,  'subsidies_disbursed',  '经费补助拨付',     'Subsidies disbursed',           'yuan',    'year_to_date',     NULL),
  (9,  'skilled_trained',      '技能培训人次',     'Skills-training participations', 'people', 'quarters_to_date', 'training_participants'),
  (10, 'skilled_certified',    '技能等级取证',     'Skill certificates issued',     'people',  'quarters_to_date', 'certifications')
) t(ordinal, tile, name_zh, name_en, unit, basis, metric);
-- a percent tile changes in points, the others in percent
ALTER TABLE overview_tile_def ADD COLUMN change_kind VARCHAR;
UPDATE overview_tile_def SET change_kind = CASE WHEN unit = 'percent' THEN 'points' ELSE 'percent' END;

-- Each tile's figure for every unit and month, its window ending at end_month_key: for the months a
-- build makes (from engine_scope.first_month_key on: a tile reads its own window, the month before
-- and the same month a year earlier, so the earlier months keep their rows) and those they compare
-- with.
CREATE OR REPLACE TEMP TABLE overview_tile_figure AS
WITH months AS (
  SELECT m.month_key, m.year, m.month_key % 100 AS month, m.month AS period
  FROM dim_month m, indicator_asof a, engine_scope e
  WHERE m.year >= a.first_year AND m.year >= e.first_year - 1 AND m.month_start <= a.as_of_date
), tile_months AS (
  SELECT m.* FROM months m, engine_scope e, indicator_asof a
  WHERE m.month_key >= CASE WHEN e.first_month_key % 100 = 1 THEN e.first_month_key - 89 ELSE e.first_month_key - 1 END
     OR (m.month_key + 100 >= e.first_month_key AND m.month_key + 100 <= a.as_of_year * 100 + a.as_of_month)
), units AS (
  SELECT unit_code, level AS unit_level, city_code FROM dim_unit
), windows AS (
  -- the month of each tile's window end: the month itself, or the last complete quarter's end
  -- only the tile columns the figures and targets use: the labels stay in overview_tile_def
  SELECT u.unit_code, u.unit_level, m.month_key, m.year, d.tile, d.unit, d.basis, d.metric,
         CASE WHEN m.month = 1 THEN (m.year - 1) * 100 + 12 ELSE m.month_key - 1 END AS prev_month_key,
         CASE WHEN d.basis <> 'quarters_to_date' THEN m.month_key
              WHEN m.month >= 3 THEN m.year * 100 + (m.month // 3) * 3 END AS end_month_key
  FROM units u CROSS JOIN tile_months m CROSS JOIN overview_tile_def d
), funding_month AS (
  SELECT u.unit_code, u.level, u.city_code,
         (year(f.disbursed_date) * 100 + month(f.disbursed_date))::INTEGER AS month_key, sum(f.amount_yuan)::DOUBLE AS amount
  FROM fact_funding f JOIN dim_unit u ON u.unit_code = f.recipient_code
  GROUP BY ALL
), funding_unit_month AS (
  SELECT unit_code, month_key, amount FROM funding_month WHERE level = 'county'
  UNION ALL
  SELECT city_code, month_key, sum(amount) FROM funding_month WHERE city_code IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT '450000', month_key, sum(amount) FROM funding_month GROUP BY ALL
), funding_ytd AS (
  SELECT u.unit_code, m.month_key,
         sum(coalesce(f.amount, 0)) OVER (PARTITION BY u.unit_code, m.year ORDER BY m.month_key) AS value
  FROM units u CROSS JOIN months m
  LEFT JOIN funding_unit_month f ON f.unit_code = u.unit_code AND f.month_key = m.month_key
), ytd AS (
  SELECT unit_code, metric, end_month_key, value FROM metric_value
  WHERE period_kind = 'ytd' AND year >= (SELECT first_year - 1 FROM engine_scope)
)
-- published precision: percents and yuan with two decimals (72.20%, as the scorecard shows
-- indicator values); the change, the target and met are computed from the published figure
SELECT w.*, CASE WHEN w.unit IN ('yuan', 'percent') THEN round(v.value, 2) ELSE v.value END AS value
FROM windows w
LEFT JOIN ytd v ON v.unit_code = w.unit_code AND v.metric = w.metric AND v.end_month_key = w.end_month_key
WHERE w.metric IS NOT NULL
UNION ALL
SELECT w.*, round(fy.value, 2)
FROM windows w
LEFT JOIN funding_ytd fy ON fy.unit_code = w.unit_code AND fy.month_key = w.end_month_key
WHERE w.metric IS NULL;

CREATE OR REPLACE TEMP TABLE overview_tile_made AS
WITH compared AS (
  SELECT c.*,
         CASE WHEN c.basis <> 'plan_year' THEN p.value END AS previous,
         ly.value AS last_year
  FROM overview_tile_figure c
  LEFT JOIN overview_tile_figure p ON p.unit_code = c.unit_code AND p.tile = c.tile AND p.month_key = c.prev_month_key
  LEFT JOIN overview_tile_figure ly ON ly.unit_code = c.unit_code AND ly.tile = c.tile AND ly.month_key = c.month_key - 100
  WHERE c.month_key >= (SELECT first_month_key FROM engine_scope)
), rule AS (
  -- per tile metric and unit level: the indicator computing that metric, own set first
  SELECT d.tile, l.unit_level, i.code, i.direction, i.sort_order
  FROM overview_tile_def d
  CROSS JOIN (VALUES ('county', 'county47'), ('city', 'reform88'), ('province', 'reform88')) l(unit_level, own_set)
  JOIN dim_indicator i ON i.metric = d.metric
  QUALIFY row_number() OVER (PARTITION BY d.tile, l.unit_level ORDER BY (i.indicator_set = l.own_set) DESC, i.sort_order) = 1
), targeted AS (
  SELECT c.*, r.code AS rule_indicator, r.direction, t.target_rule, t.target_op,
         CASE
           WHEN t.target_op IN ('>=', '<=') THEN CASE WHEN c.unit = 'percent' THEN t.target_value END
           WHEN t.target_op = '>=prev' AND c.last_year IS NOT NULL THEN
             CASE WHEN c.unit IN ('percent', 'yuan')
                  THEN round(indicator_target_prev(c.last_year, t.target_relative, t.target_points), 2)
                  ELSE ceil(round(indicator_target_prev(c.last_year, t.target_relative, t.target_points), 6)) END
         END AS target
  FROM compared c
  LEFT JOIN rule r ON r.tile = c.tile AND r.unit_level = c.unit_level
  LEFT JOIN indicator_target_year t ON t.indicator_code = r.code AND t.year = c.year
)
-- Numbers and codes only (labels, units and bases are in overview_tile_def, the rule's text in
-- indicator_target_year): writing the strings per row would cost more than computing the tiles.
SELECT unit_code, month_key::INTEGER AS month_key, year::INTEGER AS year, tile,
       end_month_key::INTEGER AS end_month_key,
       value::DOUBLE AS value, previous::DOUBLE AS previous, last_year::DOUBLE AS last_year,
       CASE WHEN unit = 'percent' THEN value - last_year ELSE growth_pct(value, last_year) END::DOUBLE AS change,
       target::DOUBLE AS target,
       CASE WHEN target IS NOT NULL THEN rule_indicator END AS target_indicator,
       CASE WHEN target IS NOT NULL THEN indicator_target_met(direction, unit, value, target, NULL, NULL) END AS met
FROM targeted;

-- The months in scope replace their rows (engine_scope, 10-periods.sql).
CREATE TABLE IF NOT EXISTS overview_tile AS FROM overview_tile_made LIMIT 0;
DELETE FROM overview_tile WHERE year >= (SELECT first_year FROM engine_scope)
  AND month_key >= (SELECT first_month_key FROM engine_scope);
INSERT INTO overview_tile FROM overview_tile_made;
DROP TABLE overview_tile_made;
