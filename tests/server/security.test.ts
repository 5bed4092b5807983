// Attacks a security reviewer tries first, each against the real app: session fixation, expired and
// revoked display tokens, a county account guessing other units' codes, path traversal on exports and
// the web app's files, login brute force against the default limit, and the security headers on the
// answers the other tests do not look at (errors, 429, attachments, unreadable URLs).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, openAppDb } from '../../server/appdb/db.ts';
import { sha256 } from '../../server/appdb/sessions.ts';
import { createToken, findLiveToken, listTokens, revokeToken } from '../../server/appdb/tokens.ts';
import { answerProblems, errorOf } from './hostile.ts';
import { buildTestApp, login, testEnv, type TestEnv } from './helpers.ts';

const CANARY = 'canary-7f3a9-never-served';
const outside = await mkdtemp(path.join(tmpdir(), 'uc-sec-')); // beside the web app: a file nobody may read through the app
const dist = path.join(outside, 'dist');
await mkdir(path.join(dist, 'assets'), { recursive: true });
await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>工会驾驶舱</title>');
await writeFile(path.join(dist, 'assets', 'app-1.js'), 'console.log(1)');
await writeFile(path.join(outside, 'secret.txt'), CANARY);
afterAll(() => rm(outside, { recursive: true, force: true }));
const env = await buildTestApp({ webDist: dist });

const inject = (url: string, headers: Record<string, string> = {}) => env.app.inject({ url, headers });
const loginAs = (username: string, password: string, cookie?: string) =>
  env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: cookie ? { cookie } : {} });
const sessionOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'uc_session')?.value;
const whoIs = async (cookie: string) => {
  const res = await inject('/api/auth/me', { cookie });
  return res.statusCode === 200 ? (res.json().user.username as string) : res.statusCode;
};

describe('session fixation', () => {
  it('a session id planted before login is never adopted: login issues a fresh one', async () => {
    const attacker = sessionOf(await loginAs('county-450103', 'county-demo'))!;
    const planted = [`uc_session=${attacker}`, 'uc_session=chosen-by-attacker', `uc_session=${attacker.split('.')[0]}.forged-signature`];
    for (const cookie of planted) {
      const res = await loginAs('analyst', 'analyst-demo', cookie);
      expect(res.statusCode).toBe(200);
      const fresh = sessionOf(res)!;
      expect(`uc_session=${fresh}`).not.toBe(cookie);
      expect(await whoIs(`uc_session=${fresh}`)).toBe('analyst');
      // The planted id is still what it was: the attacker's own session, or nobody's.
      expect(await whoIs(cookie)).toBe(cookie.includes(attacker) && !cookie.includes('forged') ? 'county-450103' : 401);
    }
  });

  it('every login is a new session id, and logout expires the cookie and the session', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add(sessionOf(await loginAs('leader', 'leader-demo'))!);
    expect(ids.size).toBe(3);
    const cookie = `uc_session=${[...ids][0]}`;
    const out = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    const cleared = out.cookies.find((c) => c.name === 'uc_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThanOrEqual(Date.now());
    // The old cookie, replayed (a copy kept by an attacker), is refused on a data route too.
    const replay = await inject('/api/overview?period=2023-05', { cookie });
    expect(replay.statusCode).toBe(401);
    expect(await whoIs(`uc_session=${[...ids][1]}`)).toBe('leader');
  });
});

describe('display tokens', () => {
  const wall = ['/api/auth/me', '/api/overview?period=2023-05', '/api/rankings?set=county47', '/api/alerts'];
  const asBearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('one made with an expiry works until then; expired or revoked, it opens nothing, as bearer or ?token=', async () => {
    const db = env.app.appDb;
    const live = createToken(db, 'event-screen', 'test', new Date(Date.now() + 3600_000)).token;
    const expired = createToken(db, 'last-week', 'test', new Date(Date.now() - 1000)).token;
    const revoked = createToken(db, 'stolen', 'test').token;
    expect(revokeToken(db, 'stolen')).toBe(1);
    for (const url of wall) expect((await inject(url, asBearer(live))).statusCode, url).toBe(200);
    for (const token of [expired, revoked]) {
      for (const url of wall) {
        for (const res of [await inject(url, asBearer(token)), await inject(`${url}${url.includes('?') ? '&' : '?'}token=${token}`)]) {
          expect(res.statusCode, url).toBe(401);
          expect(errorOf(res).code).toBe('unauthenticated');
        }
      }
    }
    expect(listTokens(db).find((t) => t.name === 'event-screen')?.expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a token that expires while a wall uses it stops working then, though the server remembers it', async () => {
    const { token } = createToken(env.app.appDb, 'short-lived', 'test', new Date(Date.now() + 1500));
    for (let i = 0; i < 3; i++) expect((await inject('/api/auth/me', asBearer(token))).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await inject('/api/auth/me', asBearer(token))).statusCode).toBe(401);
  });

  it('the expiry is checked against the time of use', () => {
    const db = env.app.appDb;
    const until = new Date('2030-01-01T00:00:00Z');
    const { token } = createToken(db, 'until-2030', 'test', until);
    expect(findLiveToken(db, token, new Date('2029-12-31T23:59:59Z'))?.name).toBe('until-2030');
    expect(findLiveToken(db, token, until)).toBeUndefined();
  });

  it('npm run users -- token create --days N sets the expiry; a bad N is refused', async () => {
    const run = promisify(execFile);
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', path.resolve('server/cli/users.ts'), ...args], { env: { ...process.env, APP_DB: env.appDb } });
    const { stdout } = await cli('token', 'create', '--name', 'expo', '--days', '30');
    const [, until, token] = /valid until (\S+): (dt_[\w-]+)/.exec(stdout)!;
    expect(Math.abs(Date.parse(until) - (Date.now() + 30 * 86_400_000))).toBeLessThan(120_000);
    expect((await inject('/api/auth/me', asBearer(token))).statusCode).toBe(200);
    for (const days of ['0', '-1', '1.5', 'soon', '3651']) {
      await expect(cli('token', 'create', '--name', 'bad', '--days', days)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--days') });
    }
  });

  it('an application database from before expiries is upgraded and its tokens stay valid', async () => {
    const file = path.join(env.dir, 'old.sqlite');
    const old = new Database(file);
    old.exec(MIGRATIONS[0]); // the first release's schema: display tokens without an expiry
    old.prepare('INSERT INTO display_tokens (name, token_hash) VALUES (?, ?)').run('kept', sha256('dt_made-last-year'));
    old.pragma('user_version = 1');
    old.close();
    const db = openAppDb(file);
    try {
      expect(findLiveToken(db, 'dt_made-last-year')).toMatchObject({ name: 'kept', expires_at: null });
    } finally {
      db.close();
    }
  });
});

describe('a county account guessing other codes', () => {
  // Codes that exist (its neighbour, its city, another city, the province, a far county) and codes
  // that are well formed but name no unit.
  const existing = ['450103', '450100', '450200', '450000', '451031'];
  const unknown = ['450199', '459999', '451500', '450190'];
  let county: string;
  beforeAll(async () => {
    county = await login(env.app, 'county-450102', 'county-demo');
    const units = (await inject('/api/units', { cookie: await login(env.app, 'analyst', 'analyst-demo') })).json();
    const codes = new Set<string>(['450000', ...units.cities.flatMap((c: { code: string; counties: { code: string }[] }) => [c.code, ...c.counties.map((k) => k.code)])]);
    expect(existing.filter((c) => !codes.has(c))).toEqual([]);
    expect(unknown.filter((c) => codes.has(c))).toEqual([]);
  });

  const UNIT_NAMES = ['unit', 'code', 'county'];

  /** Every data route, each way it can name a unit: its declared unit parameters and stray keys. */
  function attempts(): { route: string; url: (code: string) => string }[] {
    const doc = env.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string; required?: boolean; schema?: { enum?: string[]; pattern?: string } }[] }>> };
    const example: Record<string, string> = { set: 'county47', format: 'csv', period: '2023' };
    const out: { route: string; url: (code: string) => string }[] = [];
    for (const rule of env.app.accessRules()) {
      if (rule.method !== 'GET' || rule.countyScope === 'any' || rule.roles === 'public' || !rule.url.startsWith('/api/')) continue;
      const params = doc.paths[rule.url.replace(/:(\w+)/g, '{$1}')]?.get?.parameters ?? [];
      const build = (name: string, code: string) => {
        let url = rule.url;
        const query: string[] = [];
        for (const p of params) {
          const own = p.in === 'path' || p.required || UNIT_NAMES.includes(p.name);
          // a month where the route takes months only (the reporting routes), else the example
          const fits = (v: string | undefined) => v !== undefined && (!p.schema?.pattern || new RegExp(p.schema.pattern).test(v));
          const sample = p.name === 'period' ? [example.period, '2023-05'].find(fits) : example[p.name];
          const v = p.name === name ? code : own ? (p.schema?.enum?.[0] ?? sample ?? '450102') : undefined;
          if (v === undefined) continue;
          if (p.in === 'path') url = url.replace(`:${p.name}`, v);
          else query.push(`${p.name}=${v}`);
        }
        if (!params.some((p) => p.name === name)) query.push(`${name}=${code}`);
        return query.length ? `${url}?${query.join('&')}` : url;
      };
      for (const name of UNIT_NAMES) {
        out.push({ route: `${rule.url} ${name}`, url: (code) => build(name, code) });
      }
    }
    return out;
  }

  it('is refused on every route and export, with the same answer whether the code exists or not', async () => {
    const tried = attempts();
    expect(tried.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const { route, url } of tried) {
      const answers = new Set<string>();
      for (const code of [...existing, ...unknown]) {
        const res = await inject(url(code), { cookie: county });
        expect(res.statusCode, url(code)).toBe(403);
        expect(answerProblems(res)).toEqual([]);
        answers.add(res.body);
      }
      if (answers.size !== 1) leaks.push(`${route}: ${[...answers].join(' | ')}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('path traversal', () => {
  it('exports: only the four report names and three formats, never a file from disk', async () => {
    const cookie = await login(env.app, 'analyst', 'analyst-demo');
    for (const url of [
      '/api/exports/%252e%252e%252f%252e%252e%252fetc%252fpasswd.csv',
      '/api/exports/..%5c..%5capp.sqlite',
      '/api/exports/%c0%ae%c0%ae%c0%afetc%c0%afpasswd.csv',
      '/api/exports/mediation.csv%00.exe?unit=450000',
      '/api/exports/mediation.csv;.exe?unit=450000',
      '/api/exports/mediation.csv/?unit=450000',
      '/api/exports/mediation.csv%2f..%2f..%2fapp.sqlite',
      '/api/exports/mediation.sqlite?unit=450000',
      '/api/exports/mediation.sqlite3?unit=450000',
      '/api/exports/MEDIATION.csv?unit=450000',
      '/api/exports/.csv',
      '/api/exports/mediation',
      '/api/exports/warehouse.duckdb',
      '/api/exports/%2e%2e%2f%2e%2e%2fwarehouse.duckdb',
      `/api/exports/${'..%2f'.repeat(30)}etc%2fpasswd.csv`,
    ]) {
      const res = await inject(url, { cookie });
      expect([400, 404], url).toContain(res.statusCode);
      expect(answerProblems(res), url).toEqual([]);
      expect(res.body).not.toMatch(/root:|SQLite format|DUCK/);
    }
  });

  it("the web app's files: nothing outside its directory", async () => {
    for (const url of [
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/assets/app-1.js%00.txt',
    ]) {
      const res = await inject(url);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toContain(CANARY);
      expect(answerProblems(res), url).toEqual([]);
    }
  });
});

describe('login brute force, default limits', () => {
  const attempt = (e: TestEnv, username: string, password: string, more: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
    e.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...more });
  const defaults = () => testEnv({ warehouse: env.warehouse, loginPerMinute: undefined, loginFailuresPerAccount: undefined });

  it('after 10 failures in a minute from one address its wrong passwords get 429 with Retry-After, a right one still logs in; another address is not held', async () => {
    const e = await defaults();
    try {
      // Password spraying: one guess at each of ten names, none often enough to lock an account.
      for (let i = 0; i < 10; i++) expect((await attempt(e, `user-${i}`, `guess-${i}`)).statusCode).toBe(401);
      const limited = await attempt(e, 'analyst', 'guess-10');
      expect(limited.statusCode).toBe(429);
      expect(errorOf(limited).code).toBe('rate_limited');
      expect(errorOf(limited).message).toMatch(/try again in \d+ s/);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.cookies).toEqual([]);
      expect(answerProblems(limited)).toEqual([]);
      expect(limited.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
      // A forged X-Forwarded-For is not a new address (no proxy is trusted).
      expect((await attempt(e, 'analyst', 'guess-11', { headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(429);
      // A colleague behind the same address who knows the password is not locked out.
      const right = await attempt(e, 'analyst', 'analyst-demo');
      expect(right.statusCode).toBe(200);
      expect(sessionOf(right)).toBeTruthy();
      expect((await attempt(e, 'leader', 'wrong', { remoteAddress: '192.0.2.44' })).statusCode).toBe(401);
    } finally {
      await e.close();
    }
  });

  it('after 5 failures an account is locked, even for the right password and from any address; other accounts are not', async () => {
    const e = await defaults();
    try {
      for (let i = 0; i < 5; i++) expect((await attempt(e, 'leader', `guess-${i}`, { remoteAddress: `198.51.100.${i + 1}` })).statusCode).toBe(401);
      // However it is spelt: full-width and capital letters name the same account.
      const locked = await attempt(e, 'ＬＥＡＤＥＲ', 'leader-demo', { remoteAddress: '192.0.2.80' });
      expect(locked.statusCode).toBe(429);
      expect(errorOf(locked).code).toBe('rate_limited');
      expect(errorOf(locked).message).toMatch(/account: try again in 15 min/);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
      expect(locked.cookies).toEqual([]);
      expect((await attempt(e, 'analyst', 'analyst-demo', { remoteAddress: '198.51.100.1' })).statusCode).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('a right password forgets the account\'s earlier failures', async () => {
    const e = await defaults();
    try {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) expect((await attempt(e, 'leader', `typo-${i}`, { remoteAddress: `198.51.100.${round * 10 + i + 1}` })).statusCode).toBe(401);
        expect((await attempt(e, 'leader', 'leader-demo', { remoteAddress: '192.0.2.90' })).statusCode).toBe(200);
      }
    } finally {
      await e.close();
    }
  });
});

describe('security headers on every kind of answer', () => {
  it('errors, attachments and unreadable URLs forbid loading, running and framing them; no CORS, even to a preflight', async () => {
    const analyst = await login(env.app, 'analyst', 'analyst-demo');
    const county = await login(env.app, 'county-450102', 'county-demo');
    const origin = { origin: 'https://evil.example' };
    const answers = {
      401: await inject('/api/overview', origin),
      403: await inject('/api/exports/rankings.csv?set=county47', { cookie: county, ...origin }),
      400: await inject('/api/insurance/claims?unit=450102&year=Infinity', { cookie: analyst, ...origin }),
      'csv export': await inject('/api/exports/mediation.csv?unit=450102', { cookie: analyst, ...origin }),
      'broken percent-encoding': await inject('/api/units/%E0%A4%A/scorecard', { cookie: analyst, ...origin }),
      preflight: await env.app.inject({ method: 'OPTIONS', url: '/api/meta', headers: { ...origin, 'access-control-request-method': 'GET' } }),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect(res.headers, what).toMatchObject({
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-') || h === 'x-powered-by'), what).toEqual([]);
      expect(answerProblems(res), what).toEqual([]);
    }
    expect(answers['csv export'].statusCode).toBe(200);
    expect(answers['broken percent-encoding'].statusCode).toBe(400);
    expect(answers.preflight.statusCode).toBe(404);
  });

  it('a path segment too long for the router (no web app to fall back to) is a 400 in the error shape, with the headers', async () => {
    const e = await testEnv({ warehouse: env.warehouse });
    try {
      const res = await e.app.inject({ url: `/api/units/${'4'.repeat(200)}/scorecard`, headers: { cookie: await login(e.app, 'analyst', 'analyst-demo') } });
      expect(res.statusCode).toBe(400);
      expect(answerProblems(res)).toEqual([]);
      expect(res.headers).toMatchObject({ 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'x-content-type-options': 'nosniff' });
    } finally {
      await e.close();
    }
  });
});
