// The response cache keeps what it counts and counts what it keeps. Several wall screens asking for
// the same URLs at once after a publish must not make the cache believe it is full: concurrent misses
// on one URL compute the body once, and compressed variants count only when their body is stored.
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.ts';

const MAX_BYTES = 256 * 1024;
const env = await buildTestApp({ responseCache: { maxBytes: MAX_BYTES } });
const cookie = await env.login('analyst');
const stats = () => env.app.responseCache.stats();

const get = (url: string, encoding?: string) =>
  env.app.inject({ url, headers: { cookie, ...(encoding ? { 'accept-encoding': encoding } : {}) } });

/** Small JSON the wall polls, and one body too large to keep (over maxBytes / 8: about 60 KB). */
const KEPT = ['/api/meta', '/api/overview', '/api/briefing', '/api/units', '/api/overview?unit=450100'];
const TOO_LARGE = '/api/catalog';
const ENCODINGS = [undefined, 'gzip', 'br, gzip'];

describe('response cache size accounting', () => {
  it('computes a URL once when 16 requests miss on it at the same time, and all get the same body', async () => {
    const url = '/api/mediation/success-rate?unit=450000&from=2023-01&to=2023-02&by=county';
    const before = stats().computed;
    const replies = await Promise.all(Array.from({ length: 16 }, () => get(url)));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(16).fill(200));
    expect(new Set(replies.map((r) => r.body)).size).toBe(1);
    expect(new Set(replies.map((r) => r.headers.etag)).size).toBe(1);
    expect(stats().computed - before).toBe(1);
  });

  it('requests waiting on a miss that fails get the same error, and nothing is kept', async () => {
    const url = '/api/insurance/members?unit=459999';
    const before = stats();
    const replies = await Promise.all(Array.from({ length: 16 }, () => get(url)));
    expect(replies.map((r) => r.statusCode)).toEqual(Array(16).fill(404));
    expect(replies.every((r) => r.headers.etag === undefined)).toBe(true);
    expect(stats().entries).toBe(before.entries);
    expect(stats().bytes).toBe(before.bytes);
  });

  it('after 300 requests in bursts of 16 over a few URLs, counts only what it holds and still answers from memory', async () => {
    const urls = [...KEPT, TOO_LARGE];
    for (let burst = 0; burst < 19; burst++) {
      const replies = await Promise.all(
        Array.from({ length: 16 }, (_, i) => get(urls[(burst + i) % urls.length], ENCODINGS[(burst + i) % ENCODINGS.length])),
      );
      expect(replies.every((r) => r.statusCode === 200)).toBe(true);
    }
    const after = stats();
    expect(after.bytes).toBe(after.heldBytes);
    expect(after.heldBytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(after.entries).toBeGreaterThanOrEqual(KEPT.length);

    // Every small URL is a hit now: no handler runs, in any encoding.
    for (const url of KEPT) {
      for (const encoding of ENCODINGS) {
        const before = stats().computed;
        const res = await get(url, encoding);
        expect(res.statusCode).toBe(200);
        expect(stats().computed, `${url} (${encoding ?? 'identity'}) from memory`).toBe(before);
      }
    }
    // The body too large to keep is computed each time, and its compressed copies are not counted.
    const before = stats();
    await get(TOO_LARGE, 'br, gzip');
    expect(stats().computed).toBe(before.computed + 1);
    expect(stats().bytes).toBe(before.bytes);
  });
});
