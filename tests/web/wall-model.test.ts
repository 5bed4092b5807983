// How the wall lays out API answers (the figures themselves are the API's).
import { describe, expect, it } from 'vitest';
import type { RankingRow } from '../../web/api/types.ts';
import { monthlyRates, wallPeriod } from '../../web/views/shared/period.ts';
import {
  enrolmentCountdown,
  kpiTiles,
  layoutFor,
  msUntilDaily,
  nativeRemPx,
  playlistPages,
  staleAsOf,
  topAndBottom,
  turnAt,
  wallConfigFromQuery,
} from '../../web/views/wall/model.ts';

const unit = { code: '450000', name: '广西壮族自治区', name_en: 'Guangxi', short_name: '广西', level: 'province' as const, city_code: null };

describe('enrolment countdown', () => {
  const window = { start: '10-01', end: '12-31' };
  it('inside the window counts the days left, today included', () => {
    expect(enrolmentCountdown(new Date(2023, 11, 31), window)).toMatchObject({ phase: 'open', days: 1 });
    expect(enrolmentCountdown(new Date(2023, 9, 1), window)).toMatchObject({ phase: 'open', days: 92 });
  });
  it('before the window counts the days until it opens', () => {
    expect(enrolmentCountdown(new Date(2023, 8, 30), window)).toMatchObject({ phase: 'upcoming', days: 1, from: '2023-10-01' });
  });
  it('a window across new year (11-15..01-31) is open in January', () => {
    expect(enrolmentCountdown(new Date(2024, 0, 31), { start: '11-15', end: '01-31' })).toMatchObject({ phase: 'open', days: 1, year: 2023 });
  });
});

describe('wall settings from the URL', () => {
  it('refresh and rotation in seconds, the enrolment window as MM-DD..MM-DD', () => {
    expect(wallConfigFromQuery({ refresh: '5', rotate: '0', enrol: '11-01..12-15' })).toMatchObject({ refreshMs: 5000, rotateMs: 0, enrolment: { start: '11-01', end: '12-15' } });
  });
  it('without settings: reload daily at 03:30, fill the screen, the province only, real time', () => {
    expect(wallConfigFromQuery({})).toMatchObject({ reloadAt: { hour: 3, minute: 30, second: 0 }, scale: 'fill', nativeRem: null, playlist: null, pageMs: 60_000, speed: 1 });
  });
  it('the daily reload as hh:mm or hh:mm:ss, or off', () => {
    expect(wallConfigFromQuery({ reload: '04:15' }).reloadAt).toEqual({ hour: 4, minute: 15, second: 0 });
    expect(wallConfigFromQuery({ reload: '23:59:30' }).reloadAt).toEqual({ hour: 23, minute: 59, second: 30 });
    expect(wallConfigFromQuery({ reload: 'off' }).reloadAt).toBeNull();
    expect(wallConfigFromQuery({ reload: '24:00' }).reloadAt).toEqual({ hour: 3, minute: 30, second: 0 });
  });
  it('the scaling mode, native font size, playlist, page time and speed', () => {
    expect(wallConfigFromQuery({ scale: 'native', rem: '24', playlist: 'province,450100,cities', page: '90', speed: '600' })).toMatchObject({
      scale: 'native',
      nativeRem: 24,
      playlist: ['province', '450100', 'cities'],
      pageMs: 90_000,
      speed: 600,
    });
    expect(wallConfigFromQuery({ scale: 'stretch', rem: '2', playlist: 'x,4501', page: '1', speed: '0' })).toMatchObject({ scale: 'fill', nativeRem: null, playlist: null, pageMs: 60_000, speed: 1 });
  });
  it('nonsense falls back to the defaults', () => {
    expect(wallConfigFromQuery({ refresh: '-1', enrol: '13-01..x' })).toMatchObject({ refreshMs: 30000, enrolment: { start: '10-01', end: '12-31' } });
  });
  it('the period is the month of the newest data', () => {
    expect(wallPeriod('2023-07-31')).toEqual({ year: 2023, month: 7, period: '2023-07' });
  });
});

describe('series', () => {
  const series = [
    { key: '2023-01', name: '2023-01', name_en: '2023-01', success: 7, failed: 3, rate: 70 },
    { key: '2023-02', name: '2023-02', name_en: '2023-02', success: 0, failed: 0, rate: null },
    { key: '2023-03', name: '2023-03', name_en: '2023-03', success: 3, failed: 1, rate: 75 },
  ];
  it('twelve monthly values as the API gives them, null where it has none', () => {
    expect(monthlyRates(series, 2023)).toEqual([70, null, 75, null, null, null, null, null, null, null, null, null]);
  });
});

describe('KPI tiles', () => {
  const kpi = (key: 'members' | 'mediation_rate' | 'skilled_certified', over: object) => ({
    key,
    name_zh: key,
    name_en: key,
    unit: 'percent' as const,
    basis: 'year_to_date' as const,
    from: '2023-01',
    to: '2023-07',
    value: null,
    previous: null,
    last_year: null,
    change: null,
    change_kind: 'points' as const,
    target: null,
    target_rule: null,
    target_indicator: null,
    met: null,
    ...over,
  });
  it("show the overview's figures as served: value, target, the engine's met test and change", () => {
    const tiles = kpiTiles({
      unit,
      period: '2023-07',
      year: 2023,
      kpis: [
        kpi('skilled_certified', { value: 5 }),
        kpi('mediation_rate', { value: 71.99, last_year: 69.98, change: 2.01, target: 72, target_rule: '>= 72%', target_indicator: 'R62', met: false }),
        kpi('members', { unit: 'people', basis: 'plan_year', value: 2_270_000, last_year: 2_000_000, change: 13.5, change_kind: 'percent' }),
      ],
    });
    // the wall's order, its eight keys only (skilled_certified is not a wall tile)
    expect(tiles.map((k) => k.key)).toEqual(['members', 'mediation_rate']);
    expect(tiles[1]).toEqual({ key: 'mediation_rate', unit: 'percent', value: 71.99, target: 72, met: false, lastYear: 69.98, change: 2.01, changeKind: 'points', to: '2023-07' });
    expect(tiles[0]).toMatchObject({ value: 2_270_000, change: 13.5, changeKind: 'percent', met: null });
  });
  it('nothing is made up before the overview answers', () => {
    expect(kpiTiles(null)).toEqual([]);
  });
});

const row = (code: string, rank: number, change: number | null): RankingRow => ({
  unit: { code, name: `县${code}`, name_en: `County ${code}`, short_name: code, level: 'county', city_code: '450100' },
  composite: 100 - rank,
  rank,
  rank_of: 111,
  rank_city: null,
  rank_city_of: null,
  previous_composite: null,
  previous_rank: change === null ? null : rank + change,
  previous_rank_city: null,
  rank_change: change,
  rank_city_change: null,
  indicators_met: 40,
  indicators_total: 47,
  indicators_scored: 47,
  dimensions: [],
});

describe('rankings', () => {
  it('top five best first, bottom five worst first', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(String(450100 + i), i + 1, 0));
    const { top, bottom } = topAndBottom(rows, 5);
    expect(top.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(bottom.map((r) => r.rank)).toEqual([12, 11, 10, 9, 8]);
  });
});

describe('a wall that runs for weeks', () => {
  it('the daily reload waits until the next hh:mm:ss of the local day, tomorrow once it has passed', () => {
    const at = { hour: 3, minute: 30, second: 0 };
    expect(msUntilDaily(new Date(2026, 9, 5, 3, 0, 0), at)).toBe(30 * 60_000);
    expect(msUntilDaily(new Date(2026, 9, 5, 3, 30, 0), at)).toBe(24 * 3600_000);
    expect(msUntilDaily(new Date(2026, 9, 5, 18, 0, 0), at)).toBe(9.5 * 3600_000);
  });
  it('rotations follow the clock, so a reloaded wall resumes at the same turn; speed runs the clock faster', () => {
    expect(turnAt(100_000, 20_000)).toBe(5);
    expect(turnAt(119_999, 20_000)).toBe(5);
    expect(turnAt(100_000, 20_000, 10)).toBe(50);
    expect(turnAt(100_000, 0)).toBe(0);
  });
  it('a playlist expands cities in the tree order and drops codes that are not cities', () => {
    const cities = ['450100', '450200', '450300'];
    expect(playlistPages(['province', 'cities'], cities, '450000')).toEqual(['450000', '450100', '450200', '450300']);
    expect(playlistPages(['450200', '459900', 'province'], cities, '450000')).toEqual(['450200', '450000']);
    // before the tree answers the named codes are taken as given; never empty
    expect(playlistPages(['450200', 'cities'], null, '450000')).toEqual(['450200']);
    expect(playlistPages(['459900'], cities, '450000')).toEqual(['450000']);
  });
  it('native mode: whole-pixel text from the short side, the layout from the shape', () => {
    expect(nativeRemPx(6656, 1792, null)).toBe(26);
    expect(nativeRemPx(3840, 1080, null)).toBe(16);
    expect(nativeRemPx(1080, 1920, null)).toBe(16);
    expect(nativeRemPx(1080, 1920, 20)).toBe(20);
    expect([layoutFor(6656, 1792), layoutFor(3840, 1080), layoutFor(1080, 1920), layoutFor(1920, 1080)]).toEqual(['wide', 'wide', 'portrait', 'standard']);
  });
  it('a panel is marked only when its data ends before the wall period (by month, or by year for a year)', () => {
    expect(staleAsOf('2026-09', '2026-10')).toBe('2026-09');
    expect(staleAsOf('2026-10-31', '2026-10')).toBeNull();
    expect(staleAsOf('2026-09-30', '2026-10')).toBe('2026-09');
    expect(staleAsOf('2025', '2026-10')).toBe('2025');
    expect(staleAsOf('2026', '2026-10')).toBeNull();
    expect(staleAsOf(null, '2026-10')).toBeNull();
    expect(staleAsOf('2026-09', null)).toBeNull();
  });
});
