// Login, logout, me; sessions in the application database; display tokens; the login rate limit;
// the session secret kept across restarts; the users CLI working while the server runs.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { recentAudit } from '../../server/appdb/audit.ts';
import { createToken, revokeToken } from '../../server/appdb/tokens.ts';
import { setDisabled } from '../../server/appdb/users.ts';
import { buildApp } from '../../server/app.ts';
import { buildTestApp, login, testEnv } from './helpers.ts';

const env = await buildTestApp();

const me = (headers: Record<string, string>) => env.app.inject({ url: '/api/auth/me', headers });

describe('login', () => {
  it('sets an httpOnly SameSite=Strict session cookie and me names the user', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county-450102', password: 'county-demo' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { username: 'county-450102', role: 'county', county_code: '450102', via: 'session' } });
    const cookie = res.cookies.find((c) => c.name === 'uc_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const who = await me({ cookie: `uc_session=${cookie.value}` });
    expect(who.json().user.username).toBe('county-450102');
    expect(recentAudit(env.app.appDb, 5).some((a) => a.action === 'login' && a.actor === 'county-450102')).toBe(true);
  });

  it('refuses a wrong password with 401 and records the attempt', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_credentials');
    expect(res.cookies).toEqual([]);
    expect(recentAudit(env.app.appDb, 5).find((a) => a.action === 'login_failed')?.target).toBe('leader');
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('wrong username or password, or the account is disabled');
  });

  it('names the missing body field', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'bad_request', field: 'password' });
  });
});

describe('sessions', () => {
  it('logout ends the session on the server, not just in the browser', async () => {
    const cookie = await login(env.app, 'analyst', 'analyst-demo');
    expect((await me({ cookie })).statusCode).toBe(200);
    const out = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect((await me({ cookie })).statusCode).toBe(401);
  });

  it('a tampered cookie is anonymous', async () => {
    const cookie = await login(env.app, 'leader', 'leader-demo');
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await me({ cookie: forged });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('disabling a user ends their sessions at once', async () => {
    const cookie = await login(env.app, 'county-450103', 'county-demo');
    setDisabled(env.app.appDb, 'county-450103', true);
    try {
      expect((await me({ cookie })).statusCode).toBe(401);
    } finally {
      setDisabled(env.app.appDb, 'county-450103', false);
    }
  });

  it('an expired session is anonymous', async () => {
    const cookie = await login(env.app, 'leader', 'leader-demo');
    env.app.appDb.prepare('UPDATE sessions SET expires_at = 0').run();
    expect((await me({ cookie })).statusCode).toBe(401);
  });
});

describe('display tokens', () => {
  it('work as ?token= and as a bearer header until revoked', async () => {
    const { token } = createToken(env.app.appDb, 'lobby', 'test');
    const viaQuery = await env.app.inject({ url: `/api/auth/me?token=${token}` });
    expect(viaQuery.json().user).toEqual({ username: 'display:lobby', role: 'display', county_code: null, via: 'token' });
    expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    expect(revokeToken(env.app.appDb, 'lobby')).toBe(1);
    expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 in the error shape after too many attempts from one address', async () => {
    const e = await testEnv({ warehouse: env.warehouse, loginPerMinute: 3 });
    try {
      const attempt = () => e.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: 'x' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      const res = await attempt();
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('rate_limited');
    } finally {
      await e.close();
    }
  });

  it('behind a trusted load balancer counts each client, and ignores the header from anyone else', async () => {
    const e = await testEnv({ warehouse: env.warehouse, loginPerMinute: 2, trustProxy: '10.0.0.5' });
    try {
      const attempt = (remoteAddress: string, client: string) =>
        e.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { 'x-forwarded-for': client }, payload: { username: 'leader', password: 'x' } });
      for (let i = 0; i < 2; i++) expect((await attempt('10.0.0.5', '198.51.100.1')).statusCode).toBe(401);
      expect((await attempt('10.0.0.5', '198.51.100.1')).statusCode).toBe(429);
      expect((await attempt('10.0.0.5', '198.51.100.2')).statusCode).toBe(401);
      // Not the balancer: its X-Forwarded-For is not believed, so changing it buys no attempts.
      for (let i = 0; i < 2; i++) expect((await attempt('203.0.113.9', `198.51.100.${10 + i}`)).statusCode).toBe(401);
      expect((await attempt('203.0.113.9', '198.51.100.99')).statusCode).toBe(429);
    } finally {
      await e.close();
    }
  });
});

describe('session secret', () => {
  it('is generated on first start, kept, and sessions survive a restart', async () => {
    const appDb = path.join(env.dir, 'restart.sqlite');
    const first = await buildApp({ warehouse: env.warehouse, appDb });
    const cookie = await login(first, 'leader', 'leader-demo');
    await first.close();
    const second = await buildApp({ warehouse: env.warehouse, appDb });
    try {
      const res = await second.inject({ url: '/api/auth/me', headers: { cookie } });
      expect(res.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe('users CLI', () => {
  const run = promisify(execFile);
  const cli = (appDb: string, ...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.resolve('server/cli/users.ts'), ...args], { env: { ...process.env, APP_DB: appDb } });

  it('adds a user the running server accepts at once, and refuses a bad county', async () => {
    await cli(env.appDb, 'add', '--username', 'cli-analyst', '--password', 'secret-pass', '--role', 'analyst');
    const cookie = await login(env.app, 'cli-analyst', 'secret-pass');
    expect((await me({ cookie })).json().user.role).toBe('analyst');
    await expect(cli(env.appDb, 'add', '--username', 'county-x', '--password', 'secret-pass', '--role', 'county', '--county', '459999')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not one of the 111 county codes'),
    });
  });

  it('passwd ends the sessions of the user', async () => {
    const cookie = await login(env.app, 'cli-analyst', 'secret-pass');
    await cli(env.appDb, 'passwd', '--username', 'cli-analyst', '--password', 'another-pass');
    expect((await me({ cookie })).statusCode).toBe(401);
    await login(env.app, 'cli-analyst', 'another-pass');
  });

  it('creates and revokes display tokens', async () => {
    const { stdout } = await cli(env.appDb, 'token', 'create', '--name', 'hall');
    const token = /(dt_[\w-]+)/.exec(stdout)![1];
    expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    await cli(env.appDb, 'token', 'revoke', 'hall');
    expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
  });
});
