// Deny by default: every route states who may call it, and the server enforces exactly that. The
// matrix is generated from the app's own rule table (app.accessRules()), so a new route without a
// rule fails here, and a rule the server does not enforce fails here too.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ROLES, type Role } from '../../server/appdb/db.ts';
import { createToken } from '../../server/appdb/tokens.ts';
import { buildTestApp, login } from './helpers.ts';

const env = await buildTestApp();
const headers: Record<Role | 'anonymous', Record<string, string>> = {} as never;

/** A request each route accepts from an allowed caller (the county user's own county as the unit). */
const EXAMPLES: Record<string, { url?: string; payload?: unknown }> = {
  'POST /api/auth/login': { payload: { username: 'analyst', password: 'analyst-demo' } },
  'GET /api/mediation/success-rate': { url: '/api/mediation/success-rate?unit=450102&from=2023-01&to=2023-03' },
  'GET /api/insurance/members': { url: '/api/insurance/members?unit=450102' },
  'GET /api/insurance/claims': { url: '/api/insurance/claims?unit=450102&year=2023' },
  'GET /api/overview': { url: '/api/overview?unit=450102&period=2023-05' },
  'GET /api/exports/mediation.:format': { url: '/api/exports/mediation.csv?unit=450102' },
  'GET /api/exports/insurance.:format': { url: '/api/exports/insurance.csv?unit=450102' },
  'GET /api/exports/rankings.:format': { url: '/api/exports/rankings.csv?set=county47' },
  'GET /api/exports/scorecard.:format': { url: '/api/exports/scorecard.csv?unit=450102' },
  'GET /api/rankings': { url: '/api/rankings?set=county47' },
  'GET /api/map': { url: '/api/map?set=county47' },
  'GET /api/units/:code/scorecard': { url: '/api/units/450102/scorecard' },
  'GET /api/templates/:stream.xlsx': { url: '/api/templates/mediation.xlsx' },
};

beforeAll(async () => {
  headers.anonymous = {};
  headers.leader = { cookie: await env.login('leader') };
  headers.analyst = { cookie: await env.login('analyst') };
  headers.county = { cookie: await env.login('county-450102') };
  headers.admin = { cookie: await env.login('admin') };
  headers.display = { authorization: `Bearer ${createToken(env.app.appDb, 'matrix', 'test').token}` };
});

function requestFor(method: string, url: string) {
  const example = EXAMPLES[`${method} ${url}`];
  return { method: method as 'GET', url: example?.url ?? url.replace('*', 'index.html'), payload: example?.payload as object };
}

describe('access rules', () => {
  it('every route states who may call it', () => {
    const missing = env.app.accessRules().filter((r) => r.roles === undefined);
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('only health and login are public', () => {
    const open = env.app.accessRules().filter((r) => r.roles === 'public').map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(['GET /api/health', 'POST /api/auth/login']);
  });

  it('the data routes keep their roles (display reads only what the wall shows, admin no data)', () => {
    const rules = Object.fromEntries(env.app.accessRules().map((r) => [`${r.method} ${r.url}`, r.roles]));
    expect(rules['GET /api/mediation/success-rate']).toEqual(['leader', 'analyst', 'county', 'display']);
    expect(rules['GET /api/insurance/members']).toEqual(['leader', 'analyst', 'county', 'display']);
    expect(rules['GET /api/insurance/claims']).toEqual(['leader', 'analyst', 'county']);
    expect(rules['GET /api/catalog']).toEqual(['leader', 'analyst', 'county', 'display']);
    expect(rules['GET /api/overview']).toEqual(['leader', 'analyst', 'county', 'display']);
    // Exports: analysts (the "all read + exports"); leaders read but do not export.
    expect(rules['GET /api/exports/mediation.:format']).toEqual(['analyst']);
    expect(rules['GET /api/exports/insurance.:format']).toEqual(['analyst']);
    expect(rules['GET /api/exports/rankings.:format']).toEqual(['analyst']);
    expect(rules['GET /api/exports/scorecard.:format']).toEqual(['analyst', 'county']);
    // Scores: county unions read the ranking tables and their own scorecard; the wall what it shows.
    expect(rules['GET /api/rankings']).toEqual(['leader', 'analyst', 'county', 'display']);
    expect(rules['GET /api/units/:code/scorecard']).toEqual(['leader', 'analyst', 'county']);
    // Templates: for those who report (county) or check and load the data (analyst, admin).
    expect(rules['GET /api/templates/:stream.xlsx']).toEqual(['county', 'analyst', 'admin']);
    for (const url of ['/api/map', '/api/alerts', '/api/briefing']) expect(rules[`GET ${url}`], url).toEqual(['leader', 'analyst', 'display']);
  });

  it('the server enforces every rule for every role', async () => {
    // Logout ends the caller's session: walk it last.
    const rules = env.app.accessRules().sort((a, b) => Number(a.url.endsWith('logout')) - Number(b.url.endsWith('logout')));
    const wrong: string[] = [];
    for (const rule of rules) {
      for (const who of ['anonymous', ...ROLES] as const) {
        const res = await env.app.inject({ ...requestFor(rule.method, rule.url), headers: headers[who] });
        const refused = res.statusCode === 401 || res.statusCode === 403;
        const allowed = rule.roles === 'public' || (who !== 'anonymous' && rule.roles!.includes(who));
        const expected = allowed ? 'allowed' : who === 'anonymous' ? 401 : 403;
        const ok = allowed ? res.statusCode < 400 : res.statusCode === expected;
        if (!ok) wrong.push(`${rule.method} ${rule.url} as ${who}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (refused) expect(res.json().error.code).toMatch(/^(unauthenticated|forbidden)$/);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an unknown endpoint is a JSON 404 for anybody', async () => {
    const res = await env.app.inject({ url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no such endpoint: GET /api/no-such-thing' } });
  });
});

describe('deny by default', () => {
  it('a route registered without a rule is refused to every role', async () => {
    const app = await buildApp({ warehouse: env.warehouse, appDb: path.join(env.dir, 'deny.sqlite') });
    try {
      app.get('/api/unruled', async () => ({ secret: 1 }));
      const cookie = await login(app, 'admin', 'admin-demo');
      const res = await app.inject({ url: '/api/unruled', headers: { cookie } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toEqual({ code: 'forbidden', message: 'this endpoint has no access rule and is refused to everybody' });
      expect(app.accessRules().find((r) => r.url === '/api/unruled')?.roles).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
