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

/** A county file for the upload route: one good row and one for another county (so it has rejects). */
const UPLOAD_BOUNDARY = 'matrix-boundary';
const UPLOAD = Buffer.from(
  `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\n\r\n` +
    'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\n' +
    'Q1,450102,2023-05-01,2023-05-02,wages,union,success,1,\nQ2,450103,2023-05-01,2023-05-02,wages,union,success,1,\n' +
    `\r\n--${UPLOAD_BOUNDARY}--\r\n`,
);
/** The county's submission the :id routes name (made in beforeAll). */
let submissionId = 0;
/** The analyst's subscription the subscription :id routes name (made in beforeAll). */
let subscriptionId = 0;

/** A request each route accepts from an allowed caller (the county user's own county as the unit).
 * `passed`: answers that show an allowed caller got past the access rule although the state machine
 * refused the step (approving a submission the county has discarded meanwhile is a 409). */
const EXAMPLES: Record<string, { url?: string; payload?: unknown; headers?: Record<string, string>; passed?: number[] }> = {
  'POST /api/submissions': { payload: UPLOAD, headers: { 'content-type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}` } },
  'GET /api/submissions': { url: '/api/submissions?county=450102' },
  'GET /api/reporting/status': { url: '/api/reporting/status?period=2023-05' },
  'GET /api/reporting/totals': { url: '/api/reporting/totals?period=2023-05' },
  'GET /api/reporting/overdue.xlsx': { url: '/api/reporting/overdue.xlsx?period=2023-05' },
  'POST /api/submissions/:id/submit': { passed: [409] },
  'DELETE /api/submissions/:id': { passed: [409] },
  'POST /api/submissions/:id/approve': { passed: [409] },
  'POST /api/submissions/:id/return': { payload: { reason: 'matrix' }, passed: [409] },
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
  // Subscriptions (analyst, admin): one is made by each allowed caller; the :id routes name the one
  // made in beforeAll, deleted last (the admin then finds it gone: 404 past the access rule).
  'POST /api/subscriptions': { payload: { report: 'rankings', params: { set: 'county47' }, schedule: '0 8 1 * *', channel: { kind: 'email', to: 'matrix@union.test' } } },
  'POST /api/subscriptions/:id/run': { passed: [] },
  'DELETE /api/subscriptions/:id': { passed: [404] },
};

beforeAll(async () => {
  headers.anonymous = {};
  headers.leader = { cookie: await env.login('leader') };
  headers.analyst = { cookie: await env.login('analyst') };
  headers.county = { cookie: await env.login('county-450102') };
  headers.admin = { cookie: await env.login('admin') };
  headers.reviewer = { cookie: await env.login('reviewer') };
  headers.display = { authorization: `Bearer ${createToken(env.app.appDb, 'matrix', 'test').token}` };
  const upload = requestFor('POST', '/api/submissions');
  const made = await env.app.inject({ ...upload, headers: { ...upload.headers, ...headers.county } });
  if (made.statusCode !== 201) throw new Error(`matrix submission: ${made.statusCode} ${made.body}`);
  submissionId = made.json().id;
  const sub = requestFor('POST', '/api/subscriptions');
  const subscribed = await env.app.inject({ ...sub, headers: { ...sub.headers, ...headers.analyst } });
  if (subscribed.statusCode !== 201) throw new Error(`matrix subscription: ${subscribed.statusCode} ${subscribed.body}`);
  subscriptionId = subscribed.json().id;
});

function requestFor(method: string, url: string) {
  const example = EXAMPLES[`${method} ${url}`];
  return {
    method: method as 'GET',
    url: example?.url ?? url.replace('*', 'index.html').replace(':id', String(url.startsWith('/api/subscriptions/') ? subscriptionId : submissionId)),
    payload: example?.payload as object,
    // State-changing reporting routes also want proof that the cockpit sent them.
    headers: { 'x-requested-with': 'union-cockpit', ...example?.headers },
  };
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
    expect(rules['GET /api/templates/:stream.xlsx']).toEqual(['county', 'reviewer', 'analyst', 'admin']);
    for (const url of ['/api/map', '/api/alerts', '/api/briefing']) expect(rules[`GET ${url}`], url).toEqual(['leader', 'analyst', 'display']);
    // The wall's bundle: whoever may read every panel of the wall (map, alerts and briefing name every county).
    expect(rules['GET /api/wall']).toEqual(['leader', 'analyst', 'display']);
    expect(rules['GET /api/wall/county-map']).toEqual(['leader', 'analyst', 'display']);
    // County reporting: counties upload, submit and discard their own; reviewers approve and return.
    expect(rules['POST /api/submissions']).toEqual(['county']);
    expect(rules['POST /api/submissions/:id/submit']).toEqual(['county']);
    expect(rules['DELETE /api/submissions/:id']).toEqual(['county']);
    expect(rules['POST /api/submissions/:id/approve']).toEqual(['reviewer']);
    expect(rules['POST /api/submissions/:id/return']).toEqual(['reviewer']);
    for (const url of ['/api/submissions', '/api/submissions/:id', '/api/submissions/:id/rejects.csv']) expect(rules[`GET ${url}`], url).toEqual(['county', 'reviewer']);
    expect(rules['GET /api/reporting/status']).toEqual(['reviewer', 'leader', 'analyst', 'county']);
    expect(rules['GET /api/reporting/calendar']).toEqual(['leader', 'analyst', 'county', 'reviewer']);
    // The wall reads the completeness counts, never the county-level matrix; the 催报 list is the province's.
    expect(rules['GET /api/reporting/totals']).toEqual(['display', 'leader', 'analyst', 'reviewer']);
    expect(rules['GET /api/reporting/overdue.xlsx']).toEqual(['reviewer', 'leader', 'analyst']);
    // Subscriptions: analysts and admins manage the reports and alert pushes sent to leaders.
    for (const route of ['POST /api/subscriptions', 'GET /api/subscriptions', 'DELETE /api/subscriptions/:id', 'POST /api/subscriptions/:id/run']) {
      expect(rules[route], route).toEqual(['analyst', 'admin']);
    }
  });

  it('the server enforces every rule for every role', async () => {
    // Logout ends the caller's session: walk it last; deleting the subscription just before it.
    const last = (r: { method: string; url: string }) => (r.url.endsWith('logout') ? 2 : r.method === 'DELETE' && r.url === '/api/subscriptions/:id' ? 1 : 0);
    const rules = env.app.accessRules().sort((a, b) => last(a) - last(b));
    const wrong: string[] = [];
    for (const rule of rules) {
      for (const who of ['anonymous', ...ROLES] as const) {
        const request = requestFor(rule.method, rule.url);
        const res = await env.app.inject({ ...request, headers: { ...request.headers, ...headers[who] } });
        const refused = res.statusCode === 401 || res.statusCode === 403;
        const allowed = rule.roles === 'public' || (who !== 'anonymous' && rule.roles!.includes(who));
        const expected = allowed ? 'allowed' : who === 'anonymous' ? 401 : 403;
        const passed = EXAMPLES[`${rule.method} ${rule.url}`]?.passed ?? [];
        const ok = allowed ? res.statusCode < 400 || passed.includes(res.statusCode) : res.statusCode === expected;
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
