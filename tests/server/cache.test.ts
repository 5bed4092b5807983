// ETags name the snapshot and the request: a wall screen polling an unchanged snapshot gets 304s.
import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createToken } from '../../server/appdb/tokens.ts';
import { pickEncoding } from '../../server/plugins/cache.ts';
import { buildTestApp } from './helpers.ts';

const env = await buildTestApp();
const cookie = await env.login('leader');

const URL = '/api/mediation/success-rate?unit=450000&from=2023-01&to=2023-02';

describe('ETag and 304', () => {
  it('a repeated request with If-None-Match gets 304 and no body', async () => {
    const first = await env.app.inject({ url: URL, headers: { cookie } });
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(new RegExp(`^"${env.app.warehouse.current!.id}-`));
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await env.app.inject({ url: URL, headers: { cookie, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
  });

  it('a different request has a different ETag; the same request the same body from memory', async () => {
    const a = await env.app.inject({ url: URL, headers: { cookie } });
    const b = await env.app.inject({ url: `${URL}&by=month`, headers: { cookie } });
    expect(a.headers.etag).not.toBe(b.headers.etag);
    const a2 = await env.app.inject({ url: URL, headers: { cookie } });
    expect(a2.body).toBe(a.body);
    expect(a2.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('the display token in the URL does not change the ETag', async () => {
    const { token } = createToken(env.app.appDb, 'etag', 'test');
    const withCookie = await env.app.inject({ url: '/api/meta', headers: { cookie } });
    const withToken = await env.app.inject({ url: `/api/meta?token=${token}` });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.headers.etag).toBe(withCookie.headers.etag);
  });

  it('responses about the caller are not cacheable', async () => {
    const res = await env.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('errors carry no ETag', async () => {
    const res = await env.app.inject({ url: '/api/insurance/members?unit=459999', headers: { cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.headers.etag).toBeUndefined();
  });
});

describe('compression of large bodies', () => {
  const BIG = '/api/catalog'; // about 60 KB of JSON

  it('sends brotli or gzip to clients that accept it, the same JSON as uncompressed, made once', async () => {
    const plain = await env.app.inject({ url: BIG, headers: { cookie } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      for (let i = 0; i < 2; i++) {
        // First from the handler (or cache), second from the cached compressed variant.
        const res = await env.app.inject({ url: BIG, headers: { cookie, 'accept-encoding': accept } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers.etag).toBe(plain.headers.etag);
        expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
        expect(decode(res.rawPayload).toString('utf8')).toBe(plain.body);
      }
    }
  });

  it('leaves small bodies alone, and respects q=0', async () => {
    const small = await env.app.inject({ url: '/api/meta', headers: { cookie, 'accept-encoding': 'gzip, br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(pickEncoding('gzip, br;q=0')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding('identity')).toBeNull();
  });

  it('the first response of a URL is compressed too', async () => {
    const res = await env.app.inject({ url: '/api/units', headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.rawPayload).toString('utf8')).cities).toHaveLength(14);
  });
});
