// A county account sees its own county and nothing else: not its neighbour in the same city, not its
// city, not the province.
import { describe, expect, it } from 'vitest';
import { buildTestApp, login } from './helpers.ts';

const env = await buildTestApp();
const xingning = await env.login('county-450102');
const qingxiu = await env.login('county-450103');

const get = (url: string, cookie: string) => env.app.inject({ url, headers: { cookie } });
const routes = (unit: string) => [
  `/api/mediation/success-rate?unit=${unit}&from=2023-01&to=2023-03`,
  `/api/mediation/success-rate?unit=${unit}&by=county`,
  `/api/insurance/members?unit=${unit}`,
  `/api/insurance/claims?unit=${unit}&year=2023`,
  `/api/overview?unit=${unit}&period=2023-05`,
];

describe('county isolation', () => {
  it('a county user reads its own county', async () => {
    for (const url of routes('450102')) expect((await get(url, xingning)).statusCode, url).toBe(200);
    const body = (await get('/api/mediation/success-rate?unit=450102&from=2023-01&to=2023-02&by=county', xingning)).json();
    expect(body.series.map((p: { key: string }) => p.key)).toEqual(['450102']);
  });

  it.each(['450103', '450100', '450000', '450202'])('and is refused unit %s with 403 naming the parameter', async (unit) => {
    for (const url of routes(unit)) {
      const res = await get(url, xingning);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error).toEqual({ code: 'forbidden', field: 'unit', message: 'a county account sees only its own county (450102)' });
    }
  });

  it('scorecards: its own, never a neighbour, its city or the province (field code)', async () => {
    expect((await get('/api/units/450102/scorecard', xingning)).statusCode).toBe(200);
    for (const code of ['450103', '450100', '450000']) {
      const res = await get(`/api/units/${code}/scorecard`, xingning);
      expect(res.statusCode, code).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', field: 'code' });
    }
  });

  it('the ranking tables are for everyone: the whole province and any city', async () => {
    expect((await get('/api/rankings?set=county47', xingning)).statusCode).toBe(200);
    expect((await get('/api/rankings?set=county47&city=450200', xingning)).statusCode).toBe(200);
  });

  it('the neighbour is bound the other way round', async () => {
    expect((await get('/api/insurance/members?unit=450103', qingxiu)).statusCode).toBe(200);
    expect((await get('/api/insurance/members?unit=450102', qingxiu)).statusCode).toBe(403);
  });

  it('an unknown or malformed unit is not a way around: still refused or invalid', async () => {
    expect((await get('/api/insurance/members?unit=459999', xingning)).statusCode).toBe(403);
    expect((await get('/api/insurance/members?unit=abc', xingning)).statusCode).toBe(400);
    expect((await get('/api/insurance/members', xingning)).statusCode).toBe(400);
    expect((await get('/api/insurance/members?unit=450102&unit=450103', xingning)).statusCode).toBe(400);
    expect((await get('/api/insurance/members?unit=450103&unit=450102', xingning)).statusCode).toBe(400);
  });

  it('an optional unit left out means the province: a county account must name its own county', async () => {
    const res = await get('/api/overview?period=2023-05', xingning);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({ code: 'forbidden', field: 'unit', message: 'a county account sees only its own county: give unit=450102' });
  });

  it('a refused request is not answered from the cache either', async () => {
    const leader = await login(env.app, 'leader', 'leader-demo');
    const first = await get('/api/insurance/members?unit=450103', leader);
    expect(first.statusCode).toBe(200);
    const res = await env.app.inject({
      url: '/api/insurance/members?unit=450103',
      headers: { cookie: xingning, 'if-none-match': first.headers.etag as string },
    });
    expect(res.statusCode).toBe(403);
  });
});
