// The indicator engine through the API, over the committed sample (fixtures/sample): every figure
// hand-checked against the engine's own tables (sql/indicators), read here with plain SQL.
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../server/appdb/tokens.ts';
import type { AlertsResponse, BriefingResponse, MapResponse, RankingsResponse, ScorecardResponse } from '../../server/schemas/scores.ts';
import { buildTestApp, login } from './helpers.ts';

const env = await buildTestApp({ data: 'sample' });
const cookie = await env.login('analyst');

async function get<T>(url: string, headers: Record<string, string> = { cookie }): Promise<T> {
  const res = await env.app.inject({ url, headers });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json() as T;
}

/** Rows of plain SQL against the live snapshot: the engine's tables as they are. */
async function rows<T>(query: string): Promise<T[]> {
  const result = await sql.raw<T>(query).execute(env.app.warehouse.current!.db);
  return result.rows;
}
const r2 = (x: number) => Math.round(x * 100) / 100;

describe('GET /api/rankings', () => {
  it('county47 for the current year to date: all 111 counties by rank, as unit_rank has them', async () => {
    const body = await get<RankingsResponse>('/api/rankings?set=county47');
    const [latest] = await rows<{ period: string; end: string; prev: string }>(
      "SELECT period, strftime(end_date, '%Y-%m-%d') AS end, prev_period AS prev FROM score_period WHERE is_latest AND period_kind = 'year'",
    );
    expect(body).toMatchObject({ set: 'county47', period: latest.period, period_kind: 'year', period_end: latest.end, previous_period: latest.prev, city: null });
    expect(body.rows).toHaveLength(111);
    const table = await rows<{ unit_code: string; composite: number; rank_province: number; rank_in_city: number; rank_province_change: number | null }>(
      `SELECT unit_code, composite, rank_province, rank_in_city, rank_province_change FROM unit_rank
       WHERE indicator_set = 'county47' AND period = '${latest.period}' ORDER BY rank_province, unit_code`,
    );
    expect(body.rows.map((r) => r.unit.code)).toEqual(table.map((t) => t.unit_code));
    for (const [i, t] of table.entries()) {
      const row = body.rows[i];
      expect(row.composite).toBe(r2(t.composite));
      expect(row.rank).toBe(t.rank_province);
      expect(row.rank_city).toBe(t.rank_in_city);
      expect(row.rank_change).toBe(t.rank_province_change);
      if (row.previous_rank !== null) expect(row.rank_change).toBe(row.previous_rank - row.rank);
      // The dimensions' points make up the composite.
      expect(row.dimensions.reduce((s, d) => s + d.points, 0)).toBeCloseTo(t.composite, 1);
    }
    expect(body.rows[0].rank).toBe(1);
  });

  it('equal published composites share a rank, in every set and period (competition style: 1, 2, 2, 4)', async () => {
    const periods = await rows<{ period: string }>('SELECT period FROM score_period ORDER BY period');
    for (const set of ['county47', 'reform88'] as const) {
      for (const { period } of periods) {
        const body = await get<RankingsResponse>(`/api/rankings?set=${set}&period=${period}`);
        for (const row of body.rows) {
          // the rank is 1 + the units printed with a higher composite; in the city likewise
          const printed = row.composite.toFixed(2);
          expect(row.composite, `${set} ${period} ${row.unit.code}`).toBe(Number(printed));
          expect(row.rank, `${set} ${period} ${row.unit.code}`).toBe(1 + body.rows.filter((o) => o.composite > row.composite).length);
          if (row.rank_city !== null) {
            const city = body.rows.filter((o) => o.unit.city_code === row.unit.city_code);
            expect(row.rank_city).toBe(1 + city.filter((o) => o.composite > row.composite).length);
          }
        }
        const total = set === 'county47' ? 47 : 88;
        expect(body.rows.every((r) => r.indicators_total === total && r.indicators_scored <= total)).toBe(true);
      }
    }
  });

  it('filters the counties of a city, keeping their province and city ranks', async () => {
    const body = await get<RankingsResponse>('/api/rankings?set=county47&city=450300');
    expect(body.city).toBe('450300');
    expect(body.rows.every((r) => r.unit.city_code === '450300')).toBe(true);
    expect(body.rows.map((r) => r.rank_city).sort((a, b) => a! - b!)[0]).toBe(1);
    expect(body.rows[0].rank_city_of).toBe(body.rows.length);
  });

  it('reform88: the 14 cities, with the province composite beside them', async () => {
    const body = await get<RankingsResponse>('/api/rankings?set=reform88&period=2025');
    expect(body.rows).toHaveLength(14);
    expect(body.rows.every((r) => r.unit.level === 'city' && r.rank_city === null)).toBe(true);
    const [province] = await rows<{ composite: number }>("SELECT composite FROM unit_score WHERE unit_code = '450000' AND period = '2025' AND indicator_set = 'reform88'");
    expect(body.province_composite).toBe(r2(province.composite));
  });

  it('a month names the latest period ended by then; a year over its fourth quarter', async () => {
    expect((await get<RankingsResponse>('/api/rankings?set=reform88&period=2025-05')).period).toBe('2025-Q1');
    expect((await get<RankingsResponse>('/api/rankings?set=reform88&period=2025-12')).period).toBe('2025');
    expect((await get<RankingsResponse>('/api/rankings?set=reform88&period=2025-Q3')).period).toBe('2025-Q3');
    // the newest data's month (the analyst's default) names the year to date; the web sends months as chosen
    expect((await get<RankingsResponse>('/api/rankings?set=county47&period=2026-10')).period_scope).toBe('year_to_date');
    // final: the last complete year's final result (年度终评), the year every response names as final_period
    const final = await get<RankingsResponse>('/api/rankings?set=county47&period=final');
    expect([final.period, final.final_period, final.period_scope, final.period_end]).toEqual(['2025', '2025', 'final', '2025-12-31']);
    expect((await get<RankingsResponse>('/api/rankings?set=county47')).period_scope).toBe('year_to_date');
    expect((await get<RankingsResponse>('/api/rankings?set=county47&period=2024')).period_scope).toBe('year');
    expect((await get<RankingsResponse>('/api/rankings?set=county47&period=2025-Q3')).period_scope).toBe('quarter');
  });

  it('400 for a bad set, period or city; 404 for a period without scores', async () => {
    const bad = async (url: string, field: string, status = 400) => {
      const res = await env.app.inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error.field).toBe(field);
    };
    await bad('/api/rankings?set=county48', 'set');
    await bad('/api/rankings', 'set');
    await bad('/api/rankings?set=county47&period=2025-Q5', 'period');
    await bad('/api/rankings?set=reform88&city=450100', 'city');
    await bad('/api/rankings?set=county47&city=450000', 'city');
    await bad('/api/rankings?set=county47&period=2019', 'period', 404);
  });
});

describe('GET /api/map', () => {
  it('the composite of every county, and one indicator of every city', async () => {
    const counties = await get<MapResponse>('/api/map?set=county47&period=2025');
    expect(counties).toMatchObject({ level: 'county', indicator: null, period: '2025' });
    expect(counties.values).toHaveLength(111);
    const ranking = await get<RankingsResponse>('/api/rankings?set=county47&period=2025');
    const byCode = new Map(ranking.rows.map((r) => [r.unit.code, r]));
    for (const v of counties.values) expect([v.value, v.rank]).toEqual([byCode.get(v.code)!.composite, byCode.get(v.code)!.rank]);
    expect(counties.max).toBe(Math.max(...ranking.rows.map((r) => r.composite)));

    const cities = await get<MapResponse>('/api/map?set=reform88&period=2025&indicator=R62');
    expect(cities.indicator).toMatchObject({ code: 'R62', unit: 'percent' });
    expect(cities.values).toHaveLength(14);
    const scored = await rows<{ unit_code: string; value: number | null; status: string }>(
      "SELECT unit_code, value, status FROM indicator_score WHERE indicator_code = 'R62' AND period = '2025' AND unit_level = 'city' ORDER BY unit_code",
    );
    expect(cities.values.map((v) => [v.code, v.value, v.status])).toEqual(scored.map((s) => [s.unit_code, s.value === null ? null : r2(s.value), s.status]));
  });

  it('refuses a level the set is not scored at and an indicator of the other set', async () => {
    const level = await env.app.inject({ url: '/api/map?set=county47&level=city', headers: { cookie } });
    expect(level.statusCode).toBe(400);
    expect(level.json().error.field).toBe('level');
    const other = await env.app.inject({ url: '/api/map?set=county47&indicator=R62', headers: { cookie } });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.field).toBe('indicator');
  });
});

describe('GET /api/units/:code/scorecard', () => {
  let card: ScorecardResponse;
  let code: string;
  beforeAll(async () => {
    // A county that lost points somewhere, so every part of the scorecard has content.
    [{ code }] = await rows<{ code: string }>(
      "SELECT unit_code AS code FROM path_up WHERE period = '2025' AND unit_level = 'county' GROUP BY unit_code ORDER BY count(*) DESC, unit_code LIMIT 1",
    );
    card = await get<ScorecardResponse>(`/api/units/${code}/scorecard?period=2025`);
  });

  it('every one of the 47 indicators in catalog order, as indicator_score has them', async () => {
    expect(card).toMatchObject({ set: 'county47', period: '2025', unit: { code, level: 'county' } });
    expect(card.indicators).toHaveLength(47);
    const table = await rows<{ indicator_code: string; value: number | null; target: number | null; attainment: number | null; points: number | null; points_lost: number | null; status: string }>(
      `SELECT s.indicator_code, s.value, s.target, s.attainment, s.points, s.points_lost, s.status FROM indicator_score s
       JOIN dim_indicator d ON d.code = s.indicator_code WHERE s.unit_code = '${code}' AND s.period = '2025' ORDER BY d.sort_order`,
    );
    expect(card.indicators.map((i) => i.code)).toEqual(table.map((t) => t.indicator_code));
    const round = (x: number | null, k = 2) => (x === null ? null : Math.round(x * 10 ** k) / 10 ** k);
    for (const [n, t] of table.entries()) {
      const i = card.indicators[n];
      expect([i.value, i.target, i.points, i.points_lost, i.status]).toEqual([round(t.value), round(t.target), round(t.points), round(t.points_lost), t.status]);
      expect(i.attainment).toBe(t.attainment === null ? null : round(100 * t.attainment, 1));
      expect(i.explanation_zh.length).toBeGreaterThan(4);
    }
    const [score] = await rows<{ composite: number }>(`SELECT composite FROM unit_score WHERE unit_code = '${code}' AND period = '2025' AND indicator_set = 'county47'`);
    expect(card.composite).toBe(r2(score.composite));
    expect(card.indicators.reduce((s, i) => s + (i.points ?? 0), 0)).toBeCloseTo(score.composite, 1);
    const scored = card.indicators_met + card.indicators_not_met + card.indicators_missing;
    expect(scored).toBe(card.indicators_scored);
    expect(scored + card.indicators_not_due + card.indicators_not_applicable).toBe(47);
    expect(card.indicators_total).toBe(47);
  });

  it('the year to date says what its composite covers: indicators whose period has not ended are 未到期, not 不适用', async () => {
    const ytd = await get<ScorecardResponse>(`/api/units/${code}/scorecard`);
    expect(ytd.period).not.toBe('2025');
    const notDue = ytd.indicators.filter((i) => i.status === 'not_due');
    expect(notDue.length).toBeGreaterThan(0);
    expect(ytd.indicators_not_due).toBe(notDue.length);
    expect(notDue.every((i) => i.status_reason === 'not_due' && i.weight_effective === null && i.explanation_zh.startsWith('未到期：'))).toBe(true);
    expect(ytd.indicators.some((i) => i.status === 'not_applicable' && i.status_reason === 'not_due')).toBe(false);
    expect(ytd.indicators_scored).toBe(ytd.indicators.filter((i) => ['met', 'not_met', 'missing'].includes(i.status)).length);
    expect(ytd.indicators_total).toBe(47);
    // beside it, the last complete year's final result
    expect(ytd.final_period).toBe('2025');
  });

  it('explains: met and unmet in words, the costliest first, the path up in order', async () => {
    const met = card.indicators.find((i) => i.status === 'met')!;
    expect(met.explanation_zh).toMatch(/^达标：/);
    expect(met.explanation_en).toMatch(/^Met: /);
    const unmet = card.indicators.find((i) => i.status === 'not_met');
    if (unmet) expect(unmet.explanation_zh).toContain(`失${unmet.points_lost!.toFixed(2)}分`);
    const na = card.indicators.find((i) => i.status === 'not_applicable')!;
    expect(na.explanation_zh).toMatch(/^不适用：/);
    const lost = card.explanation.costs_most.map((e) => e.points_lost!);
    expect(lost).toEqual([...lost].sort((a, b) => b - a));
    const path = await rows<{ indicator_code: string; places_gained: number }>(
      `SELECT indicator_code, places_gained FROM path_up WHERE unit_code = '${code}' AND period = '2025' ORDER BY ordinal`,
    );
    expect(card.path_up.map((p) => [p.code, p.places_gained])).toEqual(path.map((p) => [p.indicator_code, p.places_gained]));
  });

  it('ranks in the province and the city, the trend, dimensions against city and province', async () => {
    const [rank] = await rows<{ rank_province: number; rank_in_city: number; units_in_city: number }>(
      `SELECT rank_province, rank_in_city, units_in_city FROM unit_rank WHERE unit_code = '${code}' AND period = '2025'`,
    );
    expect(card.rank).toMatchObject({ province: rank.rank_province, province_of: 111, city: rank.rank_in_city, city_of: rank.units_in_city });
    expect(card.trend.map((t) => t.period)).toEqual(['2020', '2021', '2022', '2023', '2024', '2025']);
    expect(card.trend.at(-1)).toEqual({ period: '2025', composite: card.composite, rank: rank.rank_province });
    expect(card.dimensions.map((d) => d.order)).toEqual([1, 2, 3, 4, 5]);
    expect(card.dimensions.every((d) => d.city_avg !== null && d.province_avg !== null)).toBe(true);
  });

  it('data-quality notes name the missing reports', async () => {
    const [dq] = await rows<{ missing_reports: string[] }>(`SELECT missing_reports FROM unit_data_quality WHERE unit_code = '${code}'`);
    const named = card.data_quality.notes.filter((n) => n.code !== null).map((n) => `${n.code} ${n.period}`);
    expect(named).toEqual(dq.missing_reports);
  });

  it('reports of the sample, loaded in one go through the CLI, are central loads: none is late', async () => {
    const [dq] = await rows<{ reports_received: number; reports_central: number; reports_late: number; reports_on_time: number; reports_corrected: number }>(
      `SELECT reports_received, reports_central, reports_late, reports_on_time, reports_corrected FROM unit_data_quality WHERE unit_code = '${code}'`,
    );
    expect(dq.reports_received).toBeGreaterThan(0);
    expect(dq).toEqual({ reports_received: dq.reports_received, reports_central: dq.reports_received, reports_late: 0, reports_on_time: 0, reports_corrected: 0 });
    expect(card.data_quality).toMatchObject(dq);
    expect(card.data_quality.notes.some((n) => n.message_en.includes('after the deadline'))).toBe(false);
  });

  it('a city has the 88 reform indicators and no city rank; the province is scored, not ranked', async () => {
    const city = await get<ScorecardResponse>('/api/units/450100/scorecard?period=2025');
    expect(city.set).toBe('reform88');
    expect(city.indicators).toHaveLength(88);
    expect(city.rank).toMatchObject({ province_of: 14, city: null });
    const province = await get<ScorecardResponse>('/api/units/450000/scorecard?period=2025');
    expect(province.rank).toBeNull();
    expect(province.composite).toBe((await get<RankingsResponse>('/api/rankings?set=reform88&period=2025')).province_composite);
    for (const a of province.alerts) expect(a.unit.code).toBe('450000');
  });
});

describe('GET /api/alerts', () => {
  it('most severe first, counted, each with its numbers and a sentence', async () => {
    const body = await get<AlertsResponse>('/api/alerts?period=2026');
    const [{ n }] = await rows<{ n: number }>("SELECT count(*)::INTEGER AS n FROM indicator_alert WHERE period = '2026'");
    expect(body.total).toBe(n);
    expect(body.counts.high + body.counts.medium + body.counts.low).toBe(n);
    expect(body.alerts).toHaveLength(Math.min(50, n));
    const severities = body.alerts.map((a) => a.severity);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    // The level is the engine's (indicator_alert.level), which bands the unrounded severity.
    const engine = await rows<{ k: string; level: string; severity: number }>(
      "SELECT unit_code || ' ' || indicator_code || ' ' || alert_kind AS k, level, severity FROM indicator_alert WHERE period = '2026'",
    );
    const levelOf = new Map(engine.map((e) => [e.k, e]));
    for (const a of body.alerts) {
      const e = levelOf.get(`${a.unit.code} ${a.indicator_code} ${a.kind}`)!;
      expect(a.level).toBe(e.level);
      expect(e.level).toBe(e.severity >= 5 ? 'high' : e.severity >= 2 ? 'medium' : 'low');
      expect(a.message_zh).toContain(a.unit.name);
      expect(a.message_en.length).toBeGreaterThan(20);
    }
  });

  it('filters by level, kind and unit (a city: itself and its counties)', async () => {
    const cities = await get<AlertsResponse>('/api/alerts?period=2026&level=city&limit=1000');
    expect(cities.alerts.every((a) => a.unit.level === 'city')).toBe(true);
    const drops = await get<AlertsResponse>('/api/alerts?period=2026&kind=sharp_drop&limit=1000');
    expect(drops.alerts.every((a) => a.kind === 'sharp_drop' && a.change_pct !== null)).toBe(true);
    const nanning = await get<AlertsResponse>('/api/alerts?period=2026&unit=450100&limit=1000');
    expect(nanning.alerts.every((a) => a.unit.code === '450100' || a.unit.city_code === '450100')).toBe(true);
    const [{ n }] = await rows<{ n: number }>("SELECT count(*)::INTEGER AS n FROM indicator_alert WHERE period = '2026' AND city_code = '450100'");
    expect(nanning.total).toBe(n);
  });

  it('marks alerts new against the previous period like the briefing facts', async () => {
    const body = await get<AlertsResponse>('/api/alerts?period=2026&limit=1000');
    const [{ n }] = await rows<{ n: number }>("SELECT count(*)::INTEGER AS n FROM briefing_fact WHERE period = '2026' AND fact_kind = 'alert_new'");
    expect(body.counts.new).toBe(n);
    expect(body.alerts.filter((a) => a.is_new)).toHaveLength(n);
  });
});

describe('GET /api/briefing', () => {
  it('a few sentences in both languages, from the engine facts', async () => {
    const body = await get<BriefingResponse>('/api/briefing?period=2026');
    expect(body.sentences.length).toBeGreaterThanOrEqual(3);
    expect(body.sentences.length).toBeLessThanOrEqual(6);
    const [province] = await rows<{ composite: number }>("SELECT composite FROM unit_score WHERE unit_code = '450000' AND period = '2026' AND indicator_set = 'reform88'");
    expect(body.sentences[0].kind).toBe('province');
    expect(body.sentences[0].zh).toContain(province.composite.toFixed(2));
    const [up] = await rows<{ unit_code: string; change: number }>(
      "SELECT unit_code, change FROM briefing_fact WHERE period = '2026' AND fact_kind = 'rank_up' AND unit_level = 'county' ORDER BY ordinal LIMIT 1",
    );
    const mover = body.sentences.find((s) => s.kind === 'rank_up')!;
    expect(mover.unit_code).toBe(up.unit_code);
    expect(mover.zh).toContain(`前进 ${up.change} 位`);
    // the alerts sentence words the engine's counts: new in all and by level, and cleared
    const [c] = await rows<Record<'raised' | 'county' | 'city' | 'province' | 'cleared', number>>(
      `SELECT count(*) FILTER (WHERE fact_kind = 'alert_new')::INTEGER AS raised,
              count(*) FILTER (WHERE fact_kind = 'alert_new' AND unit_level = 'county')::INTEGER AS county,
              count(*) FILTER (WHERE fact_kind = 'alert_new' AND unit_level = 'city')::INTEGER AS city,
              count(*) FILTER (WHERE fact_kind = 'alert_new' AND unit_level = 'province')::INTEGER AS province,
              count(*) FILTER (WHERE fact_kind = 'alert_cleared')::INTEGER AS cleared
       FROM briefing_fact WHERE period = '2026'`,
    );
    expect(c.raised).toBeGreaterThan(0);
    const alerts = body.sentences.find((s) => s.kind === 'alerts')!;
    expect(alerts.zh).toContain(`新增预警 ${c.raised} 项（县级 ${c.county}、市级 ${c.city}、全区 ${c.province}），解除 ${c.cleared} 项`);
    for (const s of body.sentences) {
      expect(s.zh).toMatch(/。$/);
      expect(s.en).toMatch(/[.:]$|\)\.$/);
    }
  });
});

describe('who reads the scores', () => {
  it('county: the ranking tables and its own scorecard; display: what the wall reads', async () => {
    const county = { cookie: await login(env.app, 'county-450102', 'county-demo') };
    const display = { authorization: `Bearer ${createToken(env.app.appDb, 'scores-test', 'test').token}` };
    const status = async (url: string, headers: Record<string, string>) => (await env.app.inject({ url, headers })).statusCode;
    expect(await status('/api/rankings?set=county47&city=450300', county)).toBe(200);
    expect(await status('/api/rankings?set=reform88', county)).toBe(200);
    expect(await status('/api/units/450102/scorecard', county)).toBe(200);
    expect(await status('/api/units/450103/scorecard', county)).toBe(403);
    expect(await status('/api/units/450100/scorecard', county)).toBe(403);
    for (const url of ['/api/map?set=county47', '/api/alerts', '/api/briefing']) expect(await status(url, county), url).toBe(403);
    for (const url of ['/api/rankings?set=county47', '/api/map?set=county47', '/api/alerts', '/api/briefing']) expect(await status(url, display), url).toBe(200);
    expect(await status('/api/units/450102/scorecard', display)).toBe(403);
  });
});
