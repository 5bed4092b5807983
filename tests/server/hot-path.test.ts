// The hot path: a cached answer for a caller whose answers do not depend on a county is sent right
// after the access check, before validation and the route's other hooks (server/plugins/cache.ts).
// It must be the same answer, to the same callers, as the full path gives. On a real port, a known
// caller's hit is answered earlier still, before Fastify (server/early-answer.ts): the same bytes and
// head as Fastify's answer, and never to a caller Fastify would refuse.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A response as it came off the wire: status, raw header list (Date left out) and body bytes. */
interface Wire {
  status: number;
  head: string[];
  body: Buffer;
}

function wire(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Wire> {
  return new Promise((resolve, reject) => {
    http
      .request(base + path, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const head: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i] !== 'Date') head.push(res.rawHeaders[i], res.rawHeaders[i + 1]);
          }
          resolve({ status: res.statusCode!, head, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      })
      .on('error', reject)
      .end();
  });
}

describe('a cached answer sent before Fastify, on a real port', () => {
  const early = () => env.app.responseCache.stats().answeredEarly;
  let base = '';
  it('listens', async () => {
    await env.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    expect((await wire(base, '/api/health')).status).toBe(200);
  });

  // A county user's hit on its own county goes through Fastify (validation, the county check) and is
  // answered from the cache by the reply path: the reference for the leader's early answer.
  const url = '/api/overview?period=2023-03&unit=450102';
  const variants: [string, Record<string, string>][] = [
    ['uncompressed', { 'accept-encoding': 'identity' }],
    ['no accept-encoding', {}],
    ['brotli', { 'accept-encoding': 'br, gzip' }],
    ['gzip', { 'accept-encoding': 'gzip' }],
  ];
  for (const [name, headers] of variants) {
    it(`${name}: the same status, head and bytes as Fastify's answer, written before Fastify`, async () => {
      const county = await env.login('county-450102');
      const first = await wire(base, url, { ...headers, cookie: leader });
      expect(first.status).toBe(200);
      const before = early();
      const reference = await wire(base, url, { ...headers, cookie: county });
      expect(early()).toBe(before);
      const hit = await wire(base, url, { ...headers, cookie: leader });
      expect(early()).toBe(before + 1);
      expect(hit.status).toBe(200);
      expect(hit.head).toEqual(reference.head);
      expect(hit.body.equals(reference.body)).toBe(true);
      expect(hit.head).toContain('content-security-policy');
      expect(hit.head).toContain('x-frame-options');
      expect(hit.head).toContain('etag');
    });
  }

  it('If-None-Match: the same 304 (validators and security headers, no body)', async () => {
    const county = await env.login('county-450102');
    const got = await wire(base, url, { cookie: leader });
    const etag = got.head[got.head.indexOf('etag') + 1];
    const before = early();
    const reference = await wire(base, url, { cookie: county, 'if-none-match': etag });
    const hit = await wire(base, url, { cookie: leader, 'if-none-match': etag });
    expect(early()).toBe(before + 1);
    expect(reference.status).toBe(304);
    expect(hit.status).toBe(304);
    expect(hit.head).toEqual(reference.head);
    expect(hit.body.length).toBe(0);
    expect(hit.head).toContain('x-content-type-options');
  });

  it("HEAD: the GET's head with its content-length, and no body", async () => {
    const county = await env.login('county-450102');
    expect((await wire(base, url, { cookie: leader }, 'HEAD')).status).toBe(200);
    const before = early();
    const reference = await wire(base, url, { cookie: county }, 'HEAD');
    const hit = await wire(base, url, { cookie: leader }, 'HEAD');
    expect(early()).toBe(before + 1);
    expect(hit.head).toEqual(reference.head);
    expect(hit.body.length).toBe(0);
    const get = await wire(base, url, { cookie: leader });
    expect(hit.head[hit.head.indexOf('content-length') + 1]).toBe(String(get.body.length));
  });

  it('refusals, unknown callers, county users and display tokens in the URL are left to Fastify', async () => {
    const province = '/api/overview?period=2023-03';
    expect((await wire(base, province, { cookie: leader })).status).toBe(200);
    const before = early();
    expect((await wire(base, province)).status).toBe(401);
    for (const username of ['admin', 'reviewer']) {
      const refused = await wire(base, province, { cookie: await env.login(username) });
      expect(refused.status, username).toBe(403);
      expect(refused.body.toString()).not.toContain('kpis');
    }
    const value = leader.slice('uc_session='.length);
    expect((await wire(base, province, { cookie: `uc_session=${value.slice(0, -2)}xx` })).status).toBe(401);
    const county = await wire(base, province, { cookie: await env.login('county-450102') });
    expect(county.status).toBe(403);
    const { token } = createToken(env.app.appDb, 'early-url', 'test');
    expect((await wire(base, `${province}&token=${token}`)).status).toBe(200);
    expect((await wire(base, `${province}&token=${token}`)).status).toBe(200);
    expect(early()).toBe(before);
  });

  it('a display token in the Authorization header is answered early once known; a logout ends early answers at once', async () => {
    const { token } = createToken(env.app.appDb, 'early-header', 'test');
    const province = '/api/overview?period=2023-03';
    const bearer = { authorization: `Bearer ${token}` };
    // The first use records the token's last use: a write to the application database, which makes
    // the next request look the token up again. From then on it is known.
    for (let i = 0; i < 2; i++) expect((await wire(base, province, bearer)).status).toBe(200);
    const before = early();
    expect((await wire(base, province, bearer)).status).toBe(200);
    expect(early()).toBe(before + 1);

    const cookie = await env.login('analyst');
    expect((await wire(base, '/api/meta', { cookie })).status).toBe(200);
    expect((await wire(base, '/api/meta', { cookie })).status).toBe(200);
    expect(early()).toBe(before + 2);
    expect((await wire(base, '/api/auth/logout', { cookie }, 'POST')).status).toBeLessThan(300);
    expect((await wire(base, '/api/meta', { cookie })).status).toBe(401);
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
      // On a real port too: with request logs on, no hit is answered before Fastify (which logs it).
      await e.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(e.app.server.address() as AddressInfo).port}`;
      for (let i = 0; i < 2; i++) expect((await wire(base, '/api/meta', { cookie })).status).toBe(200);
      expect(e.app.responseCache.stats().answeredEarly).toBe(0);
      const records = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string; req?: { url: string } });
      const incoming = records.filter((r) => r.msg === 'incoming request');
      const completed = records.filter((r) => r.msg === 'request completed');
      expect(incoming).toHaveLength(4);
      expect(completed).toHaveLength(4);
      expect(incoming[0].req?.url).toBe('/api/meta');
      expect(incoming[3].req?.url).toBe('/api/meta');
      expect(new Set(incoming.map((r) => r.reqId)).size).toBe(4);
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
