// The hot path: a cached answer for a caller whose answers do not depend on a county is sent right
// after the access check, before validation and the route's other hooks (server/plugins/cache.ts).
// It must be the same answer, to the same callers, as the full path gives.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../server/appdb/tokens.ts';
import { lazyRequestLogger } from '../../server/request-log.ts';
import { buildTestApp, testEnv } from './helpers.ts';

const env = await buildTestApp();
const leader = await env.login('leader');
const computed = () => env.app.responseCache.stats().computed;

/** Headers that name the moment or the connection, not the answer. */
const withoutDate = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'));

describe('a cached answer sent before validation', () => {
  it('has every header and byte of the computed answer, and a 304 its validators and security headers', async () => {
    const url = '/api/overview?period=2023-02&unit=450100';
    const miss = await env.app.inject({ url, headers: { cookie: leader } });
    expect(miss.statusCode).toBe(200);
    const before = computed();
    const hit = await env.app.inject({ url, headers: { cookie: leader } });
    expect(computed()).toBe(before);
    expect(hit.body).toBe(miss.body);
    expect(withoutDate(hit.headers)).toEqual(withoutDate(miss.headers));
    expect(hit.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");

    const notModified = await env.app.inject({ url, headers: { cookie: leader, 'if-none-match': miss.headers.etag as string } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(miss.headers.etag);
    expect(notModified.headers['cache-control']).toBe('private, no-cache');
    expect(notModified.headers['x-content-type-options']).toBe('nosniff');
    expect(notModified.headers['x-frame-options']).toBe('DENY');
  });

  it('is refused to callers the route refuses, though it is in memory', async () => {
    const url = '/api/overview?period=2023-02';
    expect((await env.app.inject({ url, headers: { cookie: leader } })).statusCode).toBe(200);
    const anonymous = await env.app.inject({ url });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers.etag).toBeUndefined();
    for (const username of ['admin', 'reviewer']) {
      const res = await env.app.inject({ url, headers: { cookie: await env.login(username) } });
      expect(res.statusCode, username).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      expect(res.body).not.toContain('kpis');
    }
  });

  it('county users still pass the county check first: another county or the province is refused, their own is served from memory', async () => {
    const county = await env.login('county-450102');
    const other = '/api/overview?period=2023-02&unit=450103';
    const province = '/api/overview?period=2023-02';
    const own = '/api/overview?period=2023-02&unit=450102';
    for (const url of [other, province, own]) expect((await env.app.inject({ url, headers: { cookie: leader } })).statusCode).toBe(200);

    const refused = await env.app.inject({ url: other, headers: { cookie: county } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.field).toBe('unit');
    const noUnit = await env.app.inject({ url: province, headers: { cookie: county } });
    expect(noUnit.statusCode).toBe(403);
    expect(noUnit.json().error.field).toBe('unit');

    const before = computed();
    const mine = await env.app.inject({ url: own, headers: { cookie: county } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().unit.code).toBe('450102');
    expect(computed()).toBe(before);
  });

  it('a bad parameter is refused whether or not other URLs of the route are cached', async () => {
    const res = await env.app.inject({ url: '/api/overview?period=2023-13', headers: { cookie: leader } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('period');
  });
});

describe('who is calling, remembered by the Cookie header as sent', () => {
  it('a logout ends access to cached answers at the next request', async () => {
    const cookie = await env.login('analyst');
    const url = '/api/meta';
    expect((await env.app.inject({ url, headers: { cookie } })).statusCode).toBe(200);
    expect((await env.app.inject({ url, headers: { cookie } })).statusCode).toBe(200);
    expect((await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBeLessThan(300);
    const after = await env.app.inject({ url, headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('the session cookie among other cookies works; a forged one beside a good header does not', async () => {
    const cookie = await env.login('analyst');
    const value = cookie.slice('uc_session='.length);
    const among = await env.app.inject({ url: '/api/meta', headers: { cookie: `theme=dark; ${cookie}; lang=zh-CN` } });
    expect(among.statusCode).toBe(200);
    const forged = await env.app.inject({ url: '/api/meta', headers: { cookie: `theme=dark; uc_session=${value.slice(0, -2)}xx; lang=zh-CN` } });
    expect(forged.statusCode).toBe(401);
    const lookalike = await env.app.inject({ url: '/api/meta', headers: { cookie: `xuc_session=${value}` } });
    expect(lookalike.statusCode).toBe(401);
  });

  it('a display token in the URL wins over a cookie, and an empty one falls back to the cookie', async () => {
    const { token } = createToken(env.app.appDb, 'hot-path', 'test');
    const me = await env.app.inject({ url: `/api/auth/me?token=${token}`, headers: { cookie: leader } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.role).toBe('display');
    const empty = await env.app.inject({ url: '/api/auth/me?token=', headers: { cookie: leader } });
    expect(empty.json().user.role).toBe('leader');
  });
});

describe('request logs', () => {
  it('with request logs on, each line of a request names its request id', async () => {
    const lines: string[] = [];
    const e = await testEnv({ logRequests: true, logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    try {
      const cookie = (await e.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leader', password: 'leader-demo' } })).cookies
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      lines.length = 0;
      for (let i = 0; i < 2; i++) await e.app.inject({ url: '/api/meta', headers: { cookie } });
      const records = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string; req?: { url: string } });
      const incoming = records.filter((r) => r.msg === 'incoming request');
      const completed = records.filter((r) => r.msg === 'request completed');
      expect(incoming).toHaveLength(2);
      expect(completed).toHaveLength(2);
      expect(incoming[0].req?.url).toBe('/api/meta');
      expect(new Set(incoming.map((r) => r.reqId)).size).toBe(2);
      expect(completed.map((r) => r.reqId)).toEqual(incoming.map((r) => r.reqId));
    } finally {
      await e.close();
    }
  });

  it("a request's logger is made when something is logged through it, once, with the request id", async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    let children = 0;
    const parent = Object.create(app.log, { child: { value: (...args: Parameters<typeof app.log.child>) => (children++, app.log.child(...args)) } });
    const log = lazyRequestLogger(parent, { reqId: 'req-7' }, {});
    expect(children).toBe(0);
    log.warn('first');
    log.error({ detail: 1 }, 'second');
    expect(children).toBe(1);
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { reqId: 'req-7', level: 40, msg: 'first' },
      { reqId: 'req-7', level: 50, msg: 'second', detail: 1 },
    ]);
    await app.close();
  });
});
