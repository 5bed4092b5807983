// What the wall derives from API answers.
import { describe, expect, it } from 'vitest';
import type { MediationSuccessRate, RankingRow } from '../../web/api/types.ts';
import { briefingSentences, enrolmentCountdown, kpiTiles, monthlyRates, topAndBottom, wallConfigFromQuery, wallPeriod } from '../../web/views/wall/model.ts';
import { yearToDate } from '../../web/views/wall/useWallData.ts';

const unit = { code: '450000', name: '广西壮族自治区', short_name: '广西', level: 'province' as const, city_code: null };
const rate = (success: number, failed: number, series?: MediationSuccessRate['series']): MediationSuccessRate => ({
  unit,
  from: '2023-01',
  to: '2023-07',
  success,
  failed,
  rate: Math.round((10000 * success) / (success + failed)) / 100,
  ...(series ? { series } : {}),
});

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
    expect(wallConfigFromQuery({ refresh: '5', rotate: '0', enrol: '11-01..12-15' })).toEqual({ refreshMs: 5000, rotateMs: 0, enrolment: { start: '11-01', end: '12-15' } });
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
    { key: '2023-01', name: '2023-01', success: 7, failed: 3, rate: 70 },
    { key: '2023-02', name: '2023-02', success: 0, failed: 0, rate: null },
    { key: '2023-03', name: '2023-03', success: 3, failed: 1, rate: 75 },
  ];
  it('twelve monthly values, null where no case closed', () => {
    expect(monthlyRates(series, 2023)).toEqual([70, null, 75, null, null, null, null, null, null, null, null, null]);
  });
  it("last year's year to date is summed from its months, the rate recomputed", () => {
    expect(yearToDate(rate(10, 4, series), 2)).toMatchObject({ success: 7, failed: 3, rate: 70 });
  });
});

describe('KPI tiles', () => {
  it('come from the overview when the server has it', () => {
    const tiles = kpiTiles(
      {
        unit,
        period: '2023-07',
        year: 2023,
        kpis: [
          {
            key: 'mediation_rate',
            name_zh: '调解成功率',
            name_en: 'Mediation success rate',
            unit: 'percent',
            basis: 'year_to_date',
            from: '2023-01',
            to: '2023-07',
            value: 72.2,
            previous: 72.1,
            last_year: 69.98,
            target: 72,
            target_rule: '>= 72%',
            target_indicator: 'R62',
            met: true,
          },
        ],
      },
      { mediationNow: null, mediationLastYear: null, members: null, year: 2023 },
    );
    expect(tiles.find((k) => k.key === 'mediation_rate')).toMatchObject({ value: 72.2, target: 72, yoy: 2.22, yoyKind: 'points' });
  });
  it('fall back to mediation and membership figures, and show the rest as missing', () => {
    const tiles = kpiTiles(null, {
      mediationNow: rate(34800, 13400),
      mediationLastYear: rate(29800, 12800),
      members: { unit, years: [{ year: 2022, members: 2_000_000, growth: null }, { year: 2023, members: 2_270_000, growth: 13.5 }] },
      year: 2023,
    });
    expect(tiles.map((k) => k.key)).toHaveLength(8);
    expect(tiles.find((k) => k.key === 'members')).toMatchObject({ value: 2_270_000, yoy: 13.5 });
    expect(tiles.find((k) => k.key === 'mediation_success')).toMatchObject({ value: 34800, yoy: 16.8 });
    expect(tiles.find((k) => k.key === 'subsidies_disbursed')?.value).toBeNull();
  });
});

const row = (code: string, rank: number, change: number | null): RankingRow => ({
  unit: { code, name: `县${code}`, short_name: code, level: 'county', city_code: '450100' },
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

describe('rankings and briefing', () => {
  it('top five best first, bottom five worst first', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(String(450100 + i), i + 1, 0));
    const { top, bottom } = topAndBottom(rows, 5);
    expect(top.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(bottom.map((r) => r.rank)).toEqual([12, 11, 10, 9, 8]);
  });
  it('sentences on what changed, most important first', () => {
    const t = (key: string, v?: Record<string, unknown>) => `${key}${v ? JSON.stringify(v) : ''}`;
    const tiles = kpiTiles(null, { mediationNow: rate(34800, 13400), mediationLastYear: rate(29800, 12800), members: null, year: 2023 });
    const out = briefingSentences(
      {
        tiles,
        members: { unit, years: [{ year: 2020, members: 1_440_000, growth: null }, { year: 2023, members: 2_270_000, growth: 10 }] },
        rankings: [row('450102', 3, 5), row('450103', 90, -7)],
        belowTarget: 12,
        fmt: { percent: (v) => `${v}%`, points: (v) => v.toFixed(2), cases: String, people: String, growth: (v) => `${v.toFixed(1)}%` },
      },
      t,
      10,
    );
    expect(out[0]).toContain('briefing.mediationRate');
    expect(out[0]).toContain('"change":"2.25"');
    expect(out[1]).toContain('"diff":"5000"');
    expect(out[2]).toContain('"growth":"57.6%"');
    expect(out[3]).toContain('"places":5');
    expect(out[4]).toContain('"places":7');
    expect(out[5]).toContain('"count":12');
  });
});
