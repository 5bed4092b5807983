-- The arithmetic every figure shares, written once: the marts, the metric layer
-- (sql/indicators/20-metric-values.sql) and the overview tiles (22-overview-tile.sql) call these.
-- TEMP macros: they exist while a load builds the snapshot and are not stored in it, so every
-- derived number is computed at load time and the API only selects it.

-- rate_pct: a rate in percent points (72.2 = 72.20%), NULL without a denominator: every 'rate'
-- metric (the mediation success rate is rate_pct(success, success + failed)).
CREATE OR REPLACE TEMP MACRO rate_pct(numerator, denominator) AS 100 * numerator / nullif(denominator, 0);

-- growth_pct: change against a base in percent (member growth, a tile's change on last year).
CREATE OR REPLACE TEMP MACRO growth_pct(value, base) AS (value / nullif(base, 0) - 1) * 100;
