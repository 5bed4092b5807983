-- Meeting an indicator can only help: the rank if met is never worse, and never better than first.
SELECT unit_code, period, indicator_code, rank_province, rank_province_if_met
FROM path_up
WHERE rank_province_if_met > rank_province OR rank_province_if_met < 1 OR places_gained < 0
   OR composite_if_met > 100 + 1e-9 OR points_gain <= 0
