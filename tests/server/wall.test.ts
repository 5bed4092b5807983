// GET /api/wall: the wall's data in one answer. Each part is exactly what the part's own endpoint
// answers (the same services), the answer has one ETag that revalidates with a 304, each panel says
// how recent its data is, and it is for whoever reads the wall, not a county union.
import { describe, expect, it } from 'vitest';
import { createToken } from '../../server/appdb/tokens.ts';
import { formatPercent, formatQuantity } from '../../core/format.ts';
import type { WallChartsSvgResponse, WallMapSvgResponse, WallResponse } from '../../server/schemas/wall.ts';
import { snapshotWallBundle } from '../../server/services/wall.ts';
import { darkTheme } from '../../web/charts/theme.ts';
import { buildTestApp } from './helpers.ts';

const env = await buildTestApp({ data: 'sample' });
const leader = await env.login('leader');
const display = `Bearer ${createToken(env.app.appDb, 'wall-test', 'test').token}`;

async function get<T>(url: string, headers: Record<string, string> = { cookie: leader }): Promise<T> {
  const res = await env.app.inject({ url, headers });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
}

describe('GET /api/wall', () => {
  it('answers each panel exactly as its own endpoint does, for the province and the month of the newest data', async () => {
    const wall = await get<WallResponse>('/api/wall', { authorization: display });
    const meta = await get<{ snapshot: WallResponse['snapshot'] }>('/api/meta');
    expect(wall.snapshot).toEqual(meta.snapshot);
    const month = meta.snapshot.newest_data!.slice(0, 7);
    const year = Number(month.slice(0, 4));
    expect(wall.month).toBe(month);
    expect(wall.overview).toEqual(await get('/api/overview'));
    expect(wall.overview.kpis.length).toBeGreaterThan(0);
    expect(wall.mediation.this_year).toEqual(await get(`/api/mediation/success-rate?unit=450000&from=${year}-01&to=${month}&by=month`));
    expect(wall.mediation.last_year).toEqual(await get(`/api/mediation/success-rate?unit=450000&from=${year - 1}-01&to=${year - 1}-12&by=month`));
    expect(wall.members).toEqual(await get('/api/insurance/members?unit=450000'));
    expect(wall.rankings.counties).toEqual(await get('/api/rankings?set=county47'));
    expect(wall.rankings.cities).toEqual(await get('/api/rankings?set=reform88'));
    expect(wall.map.counties).toEqual(await get('/api/map?set=county47'));
    expect(wall.map.cities).toEqual(await get('/api/map?set=reform88'));
    expect(wall.alerts).toEqual(await get('/api/alerts?limit=5'));
    expect(wall.briefing).toEqual(await get('/api/briefing'));
    expect(wall.rankings.counties!.rows.length).toBeGreaterThan(100);
  });

  it("a city page (a playlist's) has the city's tiles, series, county ranking and alerts; the map, city ranking and briefing stay the province's", async () => {
    const wall = await get<WallResponse>('/api/wall?unit=450100', { authorization: display });
    const month = wall.month;
    const year = Number(month.slice(0, 4));
    expect(wall.overview).toEqual(await get('/api/overview?unit=450100'));
    expect(wall.overview.unit.code).toBe('450100');
    expect(wall.mediation.this_year).toEqual(await get(`/api/mediation/success-rate?unit=450100&from=${year}-01&to=${month}&by=month`));
    expect(wall.members).toEqual(await get('/api/insurance/members?unit=450100'));
    expect(wall.rankings.counties).toEqual(await get('/api/rankings?set=county47&city=450100'));
    expect(wall.rankings.counties!.rows.every((r) => r.unit.city_code === '450100')).toBe(true);
    expect(wall.alerts).toEqual(await get('/api/alerts?limit=5&unit=450100'));
    expect(wall.map.counties).toEqual(await get('/api/map?set=county47'));
    expect(wall.rankings.cities).toEqual(await get('/api/rankings?set=reform88'));
    expect(wall.briefing).toEqual(await get('/api/briefing'));
  });

  it('a county is not a wall page (400 naming unit), an unknown unit is 404', async () => {
    const county = await env.app.inject({ url: '/api/wall?unit=450102', headers: { cookie: leader } });
    expect(county.statusCode).toBe(400);
    expect(county.json().error.field).toBe('unit');
    expect((await env.app.inject({ url: '/api/wall?unit=459999', headers: { cookie: leader } })).statusCode).toBe(404);
  });

  it('with score=final ranks the last complete year (年度终评); the other score panels stay on the year to date', async () => {
    const wall = await get<WallResponse>('/api/wall?score=final');
    expect(wall.rankings.counties).toEqual(await get('/api/rankings?set=county47&period=final'));
    expect(wall.rankings.cities).toEqual(await get('/api/rankings?set=reform88&period=final'));
    expect(wall.rankings.counties!.period_scope).toBe('final');
    expect(wall.map.counties!.period_scope).toBe('year_to_date');
    expect(wall.rankings.counties!.period_end).toBe(`${wall.rankings.counties!.period}-12-31`);
  });

  it('has one ETag for the whole wall: revalidating an unchanged snapshot is a 304 without a body', async () => {
    const first = await env.app.inject({ url: '/api/wall', headers: { authorization: display } });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await env.app.inject({ url: '/api/wall', headers: { authorization: display, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const final = await env.app.inject({ url: '/api/wall?score=final', headers: { authorization: display } });
    expect(final.headers.etag).not.toBe(etag);
  });

  it('is for leaders, analysts and wall displays; a county union, a reviewer and an admin get 403, nobody signed in 401', async () => {
    const status = async (headers: Record<string, string>) => (await env.app.inject({ url: '/api/wall', headers })).statusCode;
    expect(await status({ cookie: leader })).toBe(200);
    expect(await status({ cookie: await env.login('analyst') })).toBe(200);
    expect(await status({ authorization: display })).toBe(200);
    for (const user of ['county-450102', 'reviewer', 'admin']) expect(await status({ cookie: await env.login(user) }), user).toBe(403);
    expect(await status({})).toBe(401);
  });

  it('refuses an unknown score scope, naming the parameter', async () => {
    const res = await env.app.inject({ url: '/api/wall?score=best', headers: { cookie: leader } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('score');
  });
});

describe('GET /api/wall/county-map', () => {
  /** Each drawn area of the SVG: the index of its value in the map's data and its fill as [r, g, b]. */
  function areas(svg: string) {
    const rgb = (fill: string) => {
      const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(fill);
      if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
      return /^rgb\((\d+),(\d+),(\d+)\)$/.exec(fill)!.slice(1).map(Number);
    };
    return [...svg.matchAll(/<path\b[^>]*>/g)].map((m) => ({
      index: Number(/ecmeta_data_index="(\d+)"/.exec(m[0])![1]),
      fill: rgb(/fill="([^"]+)"/.exec(m[0])![1]),
    }));
  }

  it("draws every county of the wall's map in its value's colour on the ramp, the snapshot named beside it", async () => {
    const drawn = await get<WallMapSvgResponse>('/api/wall/county-map', { authorization: display });
    const wall = await get<WallResponse>('/api/wall', { authorization: display });
    expect(drawn.snapshot).toBe(wall.snapshot.id);
    expect(drawn.svg).toMatch(/^<svg [^>]*viewBox="0 0 1000 1000"/);
    const values = wall.map.counties!.values;
    const drawnAreas = areas(drawn.svg!);
    // One area per county of the answer, each tagged with its value's place in it.
    expect(drawnAreas.map((a) => a.index).sort((a, b) => a - b)).toEqual(values.map((_, i) => i));
    // The ramp runs dark to light in every channel: a higher composite is never drawn darker.
    const scored = drawnAreas.filter((a) => values[a.index].value !== null).sort((a, b) => values[a.index].value! - values[b.index].value!);
    expect(scored.length).toBeGreaterThan(100);
    const light = (a: { fill: number[] }) => a.fill[0] + a.fill[1] + a.fill[2];
    for (let i = 1; i < scored.length; i++) expect(light(scored[i])).toBeGreaterThanOrEqual(light(scored[i - 1]));
    expect(light(scored.at(-1)!)).toBeGreaterThan(light(scored[0]));
    // A county without a value is drawn in the empty colour, never as a low score.
    const empty = drawnAreas.filter((a) => values[a.index].value === null);
    for (const a of empty) expect(a.fill).toEqual(areas(`<path fill="${darkTheme.mapEmpty}" ecmeta_data_index="0">`)[0].fill);
  });

  it('is cached with the snapshot (304 on revalidation) and is for whoever reads the wall only', async () => {
    const first = await env.app.inject({ url: '/api/wall/county-map', headers: { authorization: display } });
    expect(first.statusCode).toBe(200);
    const again = await env.app.inject({ url: '/api/wall/county-map', headers: { authorization: display, 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const status = async (headers: Record<string, string>) => (await env.app.inject({ url: '/api/wall/county-map', headers })).statusCode;
    expect(await status({ cookie: await env.login('analyst') })).toBe(200);
    for (const user of ['county-450102', 'reviewer', 'admin']) expect(await status({ cookie: await env.login(user) }), user).toBe(403);
    expect(await status({})).toBe(401);
  });
});

describe('GET /api/wall/charts', () => {
  /** The text an SVG drawing shows, each piece once, entities read back. */
  const texts = (svg: string) =>
    new Set([...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')));
  /** The font sizes the drawing's text is set in. */
  const fontSizes = (svg: string) => new Set([...svg.matchAll(/font-size:(\d+)px/g)].map((m) => Number(m[1])));
  const url = (q: string) => `/api/wall/charts?${q}`;

  it("draws the trend and growth charts at the boxes asked for, in zh-CN by default, with the figures GET /api/wall serves", async () => {
    const wall = await get<WallResponse>('/api/wall', { authorization: display });
    const drawn = await get<WallChartsSvgResponse>(url('mediation_trend=480x300&member_growth=470x280'), { authorization: display });
    expect(drawn).toMatchObject({ snapshot: wall.snapshot.id, unit: '450000', lang: 'zh-CN' });
    const trend = drawn.charts.mediation_trend!;
    const growth = drawn.charts.member_growth!;
    expect(trend).toMatch(/^<svg width="480" height="300" [^>]*viewBox="0 0 480 300"/);
    expect(growth).toMatch(/^<svg width="470" height="280" [^>]*viewBox="0 0 470 280"/);
    const year = Number(wall.month.slice(0, 4));
    const target = wall.overview.kpis.find((k) => k.key === 'mediation_rate')!.target!;
    // The legend names both years, the target line says its value, the axis reads 1月..12月.
    const trendText = texts(trend);
    for (const t of [`${year}年`, `${year - 1}年`, `目标 ${formatPercent(target, 0)}`, '1月', '12月']) expect(trendText, t).toContain(t);
    // Members per year since 2020, each bar labelled with its count as the page writes it.
    const years = wall.members.years.filter((y) => y.year >= 2020 && y.members > 0);
    expect(years.length).toBeGreaterThan(3);
    const growthText = texts(growth);
    for (const t of ['会员数', '增长', ...years.map((y) => String(y.year)), ...years.map((y) => formatQuantity(y.members, 'count', 'zh-CN'))]) expect(growthText, t).toContain(t);
    // The one font family of the theme survives in the SVG's style attribute (no inner double quotes).
    expect(trend).toContain(`font-family:${darkTheme.fontFamily}`);
  });

  it('writes in English on lang=en and scales text to the screen (scale_pct=200: a 4K wall)', async () => {
    const en = await get<WallChartsSvgResponse>(url('lang=en&scale_pct=200&mediation_trend=960x600&member_growth=960x560'), { authorization: display });
    expect(en.lang).toBe('en');
    for (const t of ['Jan', 'Dec']) expect(texts(en.charts.mediation_trend!)).toContain(t);
    for (const t of ['Members', 'Growth']) expect(texts(en.charts.member_growth!)).toContain(t);
    expect([...texts(en.charts.mediation_trend!)].join(' ')).not.toMatch(/[\u4e00-\u9fff]/);
    // Axis labels of 11 px at 1080p are 22 px on the 4K wall; the 1080p drawing has no 22 px text.
    const zh = await get<WallChartsSvgResponse>(url('mediation_trend=480x300'), { authorization: display });
    expect(fontSizes(en.charts.mediation_trend!)).toContain(22);
    expect(fontSizes(zh.charts.mediation_trend!)).toContain(11);
    expect(fontSizes(zh.charts.mediation_trend!)).not.toContain(22);
  });

  it('draws only the charts asked for, and a playlist city page its own series', async () => {
    const one = await get<WallChartsSvgResponse>(url('member_growth=400x250'), { authorization: display });
    expect(one.charts.mediation_trend).toBeNull();
    expect(one.charts.member_growth).toMatch(/^<svg /);
    const city = await get<WallChartsSvgResponse>(url('unit=450100&member_growth=400x250'), { authorization: display });
    const cityWall = await get<WallResponse>('/api/wall?unit=450100', { authorization: display });
    expect(city.unit).toBe('450100');
    for (const y of cityWall.members.years.filter((y) => y.year >= 2020 && y.members > 0)) expect(texts(city.charts.member_growth!)).toContain(formatQuantity(y.members, 'count', 'zh-CN'));
  });

  it('refuses a malformed box, an unknown language or scale, and a county page, naming the parameter', async () => {
    for (const [q, field] of [
      ['mediation_trend=480', 'mediation_trend'],
      ['member_growth=0x300', 'member_growth'],
      ['member_growth=480x300x2', 'member_growth'],
      // Larger than any chart of a 4K screen: each size would be a new drawing and cache entry.
      ['member_growth=2161x300', 'member_growth'],
      ['mediation_trend=480x9999', 'mediation_trend'],
      ['lang=fr', 'lang'],
      ['scale_pct=0', 'scale_pct'],
      ['scale_pct=1.5', 'scale_pct'],
      ['scale_pct=abc', 'scale_pct'],
      ['unit=450102', 'unit'],
    ]) {
      const res = await env.app.inject({ url: url(q), headers: { authorization: display } });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.field, q).toBe(field);
    }
  });

  it('takes the boxes of a 4K screen, up to its shorter side', async () => {
    const big = await get<WallChartsSvgResponse>(url('scale_pct=200&mediation_trend=972x659&member_growth=488x2160'), { authorization: display });
    expect(big.charts.mediation_trend).toMatch(/^<svg width="972" height="659" /);
    expect(big.charts.member_growth).toMatch(/^<svg width="488" height="2160" /);
  });

  it("draws from the snapshot's one bundle of the page, the one GET /api/wall serves, computed once", async () => {
    const wall = await get<WallResponse>('/api/wall', { authorization: display });
    const s = env.app.warehouse.current!;
    const province = wall.overview.unit;
    const first = snapshotWallBundle(s, province, province, 'ytd');
    expect(snapshotWallBundle(s, province, province, 'ytd')).toBe(first);
    expect(await first).toEqual(wall);
    // Another scope or page is its own bundle; another snapshot computes its own.
    expect(snapshotWallBundle(s, province, province, 'final')).not.toBe(first);
    expect(snapshotWallBundle({ ...s }, province, province, 'ytd')).not.toBe(first);
  });

  it('is cached with the snapshot (304 on revalidation) and is for whoever reads the wall only', async () => {
    const u = url('mediation_trend=480x300');
    const first = await env.app.inject({ url: u, headers: { authorization: display } });
    expect(first.statusCode).toBe(200);
    const again = await env.app.inject({ url: u, headers: { authorization: display, 'if-none-match': first.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const status = async (headers: Record<string, string>) => (await env.app.inject({ url: u, headers })).statusCode;
    expect(await status({ cookie: await env.login('analyst') })).toBe(200);
    for (const user of ['county-450102', 'reviewer', 'admin']) expect(await status({ cookie: await env.login(user) }), user).toBe(403);
    expect(await status({})).toBe(401);
  });
});
