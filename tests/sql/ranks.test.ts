// Ranks (50-ranks.sql), rank change, the path up (80-path-up.sql) and the explanation
// (70-explain.sql), on a one-indicator catalog so that composite = 100 x value / 100.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertReports, scoringWarehouse, useCatalog, type Scoring } from './scoring.ts';

// Four counties of 南宁市 (450100) and one of 柳州市 (450200).
const [A, B, C, D] = ['450102', '450103', '450105', '450107'];
const E = '450202';

describe('ranking', () => {
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'X', rule: '>= 100', unit: 'count', weight: 70 },
      { code: 'Y', rule: '>= 90%', weight: 30 },
    ]);
    const report = (code: string, unit: string, year: number, value: number) => [code, unit, String(year), value] as [string, string, string, number];
    await insertReports(s, [
      // 2023: D 100, B and C 90, A 60 (Y met by all four)
      ...[A, B, C, D].map((u) => report('Y', u, 2023, 95)),
      report('X', D, 2023, 100), report('X', B, 2023, 90), report('X', C, 2023, 90), report('X', A, 2023, 60),
      // 2024: A 100, B and C 80 (tie), D 60, E 80 in another city
      ...[A, B, C, D, E].map((u) => report('Y', u, 2024, 95)),
      report('X', A, 2024, 100), report('X', B, 2024, 80), report('X', C, 2024, 80), report('X', D, 2024, 60), report('X', E, 2024, 80),
    ]);
    await s.score();
  });
  afterAll(() => s.close());

  const ranks = (period: string, units: string[]) =>
    s.all<{ unit_code: string; composite: number; rank_province: number; rank_in_city: number; rank_province_change: number | null }>(
      `SELECT unit_code, round(composite, 6) AS composite, rank_province, rank_in_city, rank_province_change FROM unit_rank
       WHERE period = '${period}' AND unit_code IN (${units.map((u) => `'${u}'`).join(', ')}) ORDER BY unit_code`,
    );

  it('ties share a rank and the next rank skips: 1, 2, 2, 2, 5 in the province', async () => {
    const rows = await ranks('2024', [A, B, C, D, E]);
    expect(rows.map((r) => [r.unit_code, r.composite, r.rank_province])).toEqual([
      [A, 100, 1],
      [B, 86, 2],
      [C, 86, 2],
      [D, 72, 5],
      [E, 86, 2],
    ]);
  });

  it('within the city: 1, 2, 2, 4; the only reporting county of its city is first there', async () => {
    const rows = await ranks('2024', [A, B, C, D, E]);
    expect(rows.map((r) => r.rank_in_city)).toEqual([1, 2, 2, 4, 1]);
  });

  it('every county is ranked; those that reported nothing share the last rank', async () => {
    const [n] = await s.all(
      `SELECT count(*)::INTEGER AS ranked, count(DISTINCT rank_province) FILTER (WHERE composite = 0)::INTEGER AS last_ranks,
              min(rank_province) FILTER (WHERE composite = 0)::INTEGER AS last_rank
       FROM unit_rank WHERE period = '2024' AND unit_level = 'county'`,
    );
    expect(n).toEqual({ ranked: 111, last_ranks: 1, last_rank: 6 });
  });

  it('rank change = previous rank - rank (positive = places gained)', async () => {
    const rows = await ranks('2024', [A, B, C, D]);
    // 2023: D 1, B 2, C 2, A 4  ->  2024: A 1, B 2, C 2, D 5
    expect(rows.map((r) => [r.unit_code, r.rank_province_change])).toEqual([
      [A, 3],
      [B, 0],
      [C, 0],
      [D, -4],
    ]);
    const first = await ranks('2023', [A]);
    expect(first[0].rank_province_change).toBeNull();
  });

  it('the path up: meeting X alone takes D from 5th to 1st', async () => {
    const rows = await s.all(
      `SELECT ordinal, indicator_code, round(points_gain, 6) AS points_gain, round(composite_if_met, 6) AS composite_if_met, rank_province, rank_province_if_met, places_gained,
              rank_in_city_if_met, places_gained_in_city
       FROM path_up WHERE unit_code = '${D}' AND period = '2024' ORDER BY ordinal`,
    );
    expect(rows).toEqual([
      { ordinal: 1, indicator_code: 'X', points_gain: 28, composite_if_met: 100, rank_province: 5, rank_province_if_met: 1,
        places_gained: 4, rank_in_city_if_met: 1, places_gained_in_city: 3 },
    ]);
  });

  it('the path up of a county that reported nothing: neither alone lifts it past 72, so X (more points) comes first', async () => {
    const rows = await s.all<{ indicator_code: string; places_gained: number; status: string }>(
      `SELECT indicator_code, places_gained, status FROM path_up WHERE unit_code = '450108' AND period = '2024' ORDER BY ordinal`,
    );
    // 450108 has 0 (rank 6); meeting X alone gives 70, Y alone 30: both still below D's 72.
    expect(rows.map((r) => [r.indicator_code, r.places_gained, r.status])).toEqual([
      ['X', 0, 'missing'],
      ['Y', 0, 'missing'],
    ]);
  });

  it('the explanation lists what costs most, with value, target, gap and points lost', async () => {
    const rows = await s.all(
      `SELECT kind, ordinal, indicator_code, value, target, gap, gap_pct, round(points_lost, 6) AS points_lost, peer_avg_value
       FROM indicator_explain WHERE unit_code = '${D}' AND period = '2024' AND kind = 'costs_most'`,
    );
    // 南宁市 counties: A 100, B 80, C 80, D 60 and eight with no report (NULL, not averaged)
    expect(rows).toEqual([
      { kind: 'costs_most', ordinal: 1, indicator_code: 'X', value: 60, target: 100, gap: 40, gap_pct: 40, points_lost: 28, peer_avg_value: 80 },
    ]);
  });

  it('and where it beats its city average most', async () => {
    const rows = await s.all(
      `SELECT ordinal, indicator_code, value, peer_avg_value, advantage FROM indicator_explain
       WHERE unit_code = '${A}' AND period = '2024' AND kind = 'beats_peers'`,
    );
    expect(rows).toEqual([{ ordinal: 1, indicator_code: 'X', value: 100, peer_avg_value: 80, advantage: 0.25 }]);
  });
});

describe('ranks follow the published composite (2 decimals)', () => {
  // X (weight 90, '>= 1000000') scores 90 x value / 1e6, Y (weight 10) 10 when met: composites that
  // differ only beyond the second decimal, as 96.28606 and 96.2893 do, print alike and rank alike.
  let s: Scoring;
  beforeAll(async () => {
    s = await scoringWarehouse();
    await useCatalog(s, [
      { code: 'X', rule: '>= 1000000', unit: 'count', weight: 90 },
      { code: 'Y', rule: '>= 90%', weight: 10 },
    ]);
    const report = (code: string, unit: string, value: number) => [code, unit, '2024', value] as [string, string, string, number];
    await insertReports(s, [
      report('X', A, 958734), report('Y', A, 95), // 86.28606 + 10 = 96.28606 -> 96.29
      report('X', B, 958770), report('Y', B, 95), // 86.2893 + 10 = 96.2893 -> 96.29
      report('X', C, 958400), report('Y', C, 95), // 86.256 + 10 = 96.256 -> 96.26
      report('X', D, 958760), report('Y', D, 0), //  86.2884 (Y not met) -> 86.29
    ]);
    await s.score();
  });
  afterAll(() => s.close());

  it('equal printed composites share a rank; the next skips: 1, 1, 3, 4', async () => {
    const rows = await s.all(
      `SELECT unit_code, composite, rank_province, rank_in_city FROM unit_rank
       WHERE period = '2024' AND unit_code IN ('${A}', '${B}', '${C}', '${D}') ORDER BY unit_code`,
    );
    expect(rows).toEqual([
      { unit_code: A, composite: 96.29, rank_province: 1, rank_in_city: 1 },
      { unit_code: B, composite: 96.29, rank_province: 1, rank_in_city: 1 },
      { unit_code: C, composite: 96.26, rank_province: 3, rank_in_city: 3 },
      { unit_code: D, composite: 86.29, rank_province: 4, rank_in_city: 4 },
    ]);
  });

  it('the path up publishes its composite the same way: meeting Y takes D to 96.29, level with the first', async () => {
    const rows = await s.all(
      `SELECT indicator_code, composite_if_met, rank_province_if_met, places_gained, rank_in_city_if_met
       FROM path_up WHERE unit_code = '${D}' AND period = '2024' AND indicator_code = 'Y'`,
    );
    expect(rows).toEqual([{ indicator_code: 'Y', composite_if_met: 96.29, rank_province_if_met: 1, places_gained: 3, rank_in_city_if_met: 1 }]);
  });
});
