// The wall's early requests (web/api/early.ts): what index.html's preload script asked for is handed to
// the app's first request for the URL, once, and only when it was asked with the app's own token.
// The browser test (tests/e2e/cockpit.test.ts) checks the whole path: each file and answer fetched once.
import { afterEach, describe, expect, it } from 'vitest';
import { EARLY_GLOBAL, takeEarly, type EarlyRequest } from '../../web/api/early.ts';
import { fitsBox } from '../../web/views/wall/firstPictures.ts';

const slot = globalThis as unknown as Record<string, Record<string, EarlyRequest> | undefined>;
const answer = (body: string) => Promise.resolve(new Response(body, { headers: { 'content-type': 'application/json' } }));

afterEach(() => {
  delete slot[EARLY_GLOBAL];
});

describe('early requests', () => {
  it('without the preload script (any page but a wall) nothing is taken', () => {
    expect(takeEarly('/api/wall', 'tok')).toBeNull();
  });

  it('the first request for a URL takes its response; the next one goes to the network', async () => {
    slot[EARLY_GLOBAL] = { '/api/wall': { bearer: 'tok', response: answer('{"month":"2026-09"}') } };
    const first = takeEarly('/api/wall', 'tok');
    expect(await (await first!).json()).toEqual({ month: '2026-09' });
    expect(takeEarly('/api/wall', 'tok')).toBeNull();
  });

  it('a response asked with another token (or none) is not handed over, and not kept', () => {
    slot[EARLY_GLOBAL] = {
      '/api/wall': { bearer: 'old', response: answer('{}') },
      '/api/auth/me': { bearer: null, response: answer('{}') },
    };
    expect(takeEarly('/api/wall', 'new')).toBeNull();
    expect(takeEarly('/api/auth/me', 'new')).toBeNull();
    expect(Object.keys(slot[EARLY_GLOBAL]!)).toEqual([]);
  });

  it('another URL (the wall bundle for ?score=final) is not the same request', () => {
    slot[EARLY_GLOBAL] = { '/api/wall': { bearer: 'tok', response: answer('{}') } };
    expect(takeEarly('/api/wall?score=final', 'tok')).toBeNull();
    expect(Object.keys(slot[EARLY_GLOBAL]!)).toEqual(['/api/wall']);
  });
});

describe("the preload script's chart pictures", () => {
  it('are kept when drawn within 2 px of the box the chart has, each way; else the app asks for its own boxes', () => {
    expect(fitsBox('433x250', '433x250')).toBe(true);
    expect(fitsBox('433x250', '431x252')).toBe(true);
    expect(fitsBox('433x250', '436x250')).toBe(false);
    expect(fitsBox('433x250', '433x247')).toBe(false);
    expect(fitsBox(undefined, '433x250')).toBe(false);
    expect(fitsBox('433x250', null)).toBe(false);
  });
});
