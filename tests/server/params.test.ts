// Bad parameters get a 400 naming the parameter and what it allows; unknown units a 404; every error
// has the one JSON shape and no stack trace.
import { describe, expect, it } from 'vitest';
import { buildTestApp, login } from './helpers.ts';

const env = await buildTestApp();
const cookie = await env.login('analyst');

const get = (url: string) => env.app.inject({ url, headers: { cookie } });

describe('400: the parameter and what it allows', () => {
  const cases: [string, string, RegExp][] = [
    ['/api/mediation/success-rate', 'unit', /'unit' is required: 450000 for the province, a city code/],
    ['/api/mediation/success-rate?unit=abc', 'unit', /'unit' must be 450000 for the province.*\(got "abc"\)/],
    ['/api/mediation/success-rate?unit=450000&from=2023-13', 'from', /'from' must be a month as YYYY-MM, e\.g\. 2023-07.*\(got "2023-13"\)/],
    ['/api/mediation/success-rate?unit=450000&to=july', 'to', /'to' must be a month as YYYY-MM/],
    ['/api/mediation/success-rate?unit=450000&by=week', 'by', /'by' must be one of month, city, county \(got "week"\)/],
    ['/api/mediation/success-rate?unit=450000&from=2023-09&to=2023-07', 'from', /first month \(2023-09\) is after the last month \(to=2023-07\)/],
    ['/api/insurance/claims?unit=450000&year=1999', 'year', /'year' must be a year from 2015 to 2100/],
    ['/api/insurance/claims?unit=450000&year=next', 'year', /'year' must be a year from 2015 to 2100/],
    ['/api/insurance/members?unit=4501', 'unit', /'unit' must be 450000 for the province/],
  ];
  it.each(cases)('%s names %s', async (url, field, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('bad_request');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('404: unknown units', () => {
  it.each(['459999', '450199', '451500'])('unit %s is not a unit of Guangxi', async (code) => {
    for (const url of [`/api/mediation/success-rate?unit=${code}`, `/api/insurance/members?unit=${code}`, `/api/insurance/claims?unit=${code}`]) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        error: { code: 'not_found', field: 'unit', message: `unit ${code} is not a unit of Guangxi: use 450000, a city or a county code (GET /api/units)` },
      });
    }
  });
});

describe('server errors', () => {
  it('are a bare 500 in the error shape, never a stack trace', async () => {
    const { buildApp } = await import('../../server/app.ts');
    const path = await import('node:path');
    const app = await buildApp({ warehouse: env.warehouse, appDb: path.join(env.dir, 'boom.sqlite') });
    app.get('/api/boom', { config: { roles: ['analyst'] } }, async () => {
      throw new Error('secret detail at /srv/x.ts:1');
    });
    try {
      const c = await login(app, 'analyst', 'analyst-demo');
      const res = await app.inject({ url: '/api/boom', headers: { cookie: c } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal server error' } });
    } finally {
      await app.close();
    }
  });

  it('a malformed JSON body is a 400 in the error shape', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });
});
