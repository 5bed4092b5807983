// Stores: the filters in the URL, the session, and the data store's conditional requests and stale
// state (fetch is replaced by a scripted server).
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { setDisplayToken } from '../../web/api/client.ts';
import { DEFAULT_FILTERS, filtersFromQuery, filtersToQuery, selectedUnit, useFiltersStore } from '../../web/stores/filters.ts';
import { useDataStore } from '../../web/stores/data.ts';
import { useResource } from '../../web/stores/useResource.ts';
import { useSessionStore } from '../../web/stores/session.ts';
import { allowedViews, homePath, mayOpenCounty } from '../../web/router/access.ts';

beforeEach(() => setActivePinia(createPinia()));

describe('filters in the URL', () => {
  it('a shared URL gives the same filters back', () => {
    const f = { period: '2023-07', city: '450100', county: '450102', set: 'reform88' as const, dimension: '思想引领' };
    expect(filtersFromQuery(filtersToQuery(f))).toEqual(f);
  });
  it('defaults stay out of the URL', () => {
    expect(filtersToQuery(DEFAULT_FILTERS)).toEqual({});
  });
  it('malformed values are dropped, not guessed', () => {
    expect(filtersFromQuery({ period: '2023-13', city: 'abc', set: 'x', county: '4501' })).toEqual(DEFAULT_FILTERS);
  });
  it('a county implies its city', () => {
    expect(filtersFromQuery({ county: '450102' }).city).toBe('450100');
  });
  it('a county outside the chosen city is dropped', () => {
    expect(filtersFromQuery({ city: '450200', county: '450102' }).county).toBeNull();
  });
  it('the selected unit is the county, else the city, else the province', () => {
    expect(selectedUnit(filtersFromQuery({ county: '450102' }))).toEqual({ code: '450102', level: 'county' });
    expect(selectedUnit(filtersFromQuery({ city: '450100' }))).toEqual({ code: '450100', level: 'city' });
    expect(selectedUnit(DEFAULT_FILTERS)).toEqual({ code: '450000', level: 'province' });
  });
  it('drilling goes province -> city -> county and back up', () => {
    const s = useFiltersStore();
    s.drill('450100');
    expect(s.filters).toMatchObject({ city: '450100', county: null });
    s.drill('450102');
    expect(s.filters).toMatchObject({ city: '450100', county: '450102' });
    s.drillUp();
    expect(s.filters).toMatchObject({ city: '450100', county: null });
    s.drillUp();
    expect(s.filters).toMatchObject({ city: null, county: null });
  });
  it('changing the indicator set clears the dimension (each set has its own)', () => {
    const s = useFiltersStore();
    s.update({ dimension: '政治引领强' });
    s.update({ set: 'reform88' });
    expect(s.filters).toMatchObject({ set: 'reform88', dimension: null });
  });
  it('changing the city clears a county of another city', () => {
    const s = useFiltersStore();
    s.drill('450102');
    s.update({ city: '450200' });
    expect(s.filters).toMatchObject({ city: '450200', county: null });
  });
});

describe('role-aware navigation', () => {
  it('a county union lands on its own county and sees its county view and the reporting page', () => {
    expect(homePath({ role: 'county', county_code: '450102' })).toBe('/county?county=450102');
    expect(allowedViews('county')).toEqual(['county', 'submit']);
  });
  it('a reviewer lands on the review matrix and sees only it', () => {
    expect(homePath({ role: 'reviewer', county_code: null })).toBe('/review');
    expect(allowedViews('reviewer')).toEqual(['review']);
  });
  it('every role lands on a view it may open', () => {
    for (const role of ['leader', 'analyst', 'county', 'display', 'admin', 'reviewer'] as const) {
      const home = homePath({ role, county_code: role === 'county' ? '450102' : null });
      expect(allowedViews(role).map((v) => `/${v}`)).toContain(home.split('?')[0]);
    }
  });
  it('a wall screen sees only the wall', () => {
    expect(homePath({ role: 'display', county_code: null })).toBe('/wall');
    expect(allowedViews('display')).toEqual(['wall']);
  });
  it('a county user may not open another county; a leader may open any', () => {
    expect(mayOpenCounty({ role: 'county', county_code: '450102' }, '450103')).toBe(false);
    expect(mayOpenCounty({ role: 'county', county_code: '450102' }, '450102')).toBe(true);
    expect(mayOpenCounty({ role: 'leader', county_code: null }, '450103')).toBe(true);
  });
});

/** A scripted server: each call takes the next answer (a Response or 'down' for a network error). */
function scripted(answers: (Response | 'down')[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const impl = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, headers: (init?.headers ?? {}) as Record<string, string> });
    const next = answers.shift();
    if (!next || next === 'down') throw new TypeError('Failed to fetch');
    return next;
  });
  vi.stubGlobal('fetch', impl);
  return calls;
}
const json = (body: unknown, etag = '"v1"') => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', etag } });

describe('data store', () => {
  const ep = { path: '/api/meta' };

  it('revalidates with If-None-Match and keeps the body on 304', async () => {
    const calls = scripted([json({ a: 1 }), new Response(null, { status: 304 })]);
    const s = useDataStore();
    await s.load(ep);
    const first = s.resources[ep.path].data;
    await s.load(ep);
    expect(calls[1].headers['if-none-match']).toBe('"v1"');
    expect(s.resources[ep.path].data).toBe(first);
    expect(s.counters).toMatchObject({ ok: 1, notModified: 1 });
  });

  it('keeps the last good data and turns stale when the API is unreachable, then recovers', async () => {
    scripted([json({ a: 1 }), 'down', json({ a: 2 }, '"v2"')]);
    const s = useDataStore();
    await s.load(ep);
    await s.load(ep);
    expect(s.stale).toBe(true);
    expect(s.resources[ep.path].data).toEqual({ a: 1 });
    expect(s.resources[ep.path].status).toBe('ready');
    await s.load(ep);
    expect(s.stale).toBe(false);
    expect(s.resources[ep.path].data).toEqual({ a: 2 });
  });

  it('a 5xx also turns the wall stale; a 403 does not (the server is up)', async () => {
    scripted([
      new Response(JSON.stringify({ error: { code: 'internal', message: 'x' } }), { status: 500, headers: { 'content-type': 'application/json' } }),
      new Response(JSON.stringify({ error: { code: 'forbidden', message: 'no' } }), { status: 403, headers: { 'content-type': 'application/json' } }),
    ]);
    const s = useDataStore();
    await s.load(ep);
    expect(s.stale).toBe(true);
    await s.load({ path: '/api/units/450103/scorecard' });
    expect(s.stale).toBe(false);
    expect(s.resources['/api/units/450103/scorecard'].failure).toBe('forbidden');
  });

  it('an endpoint the server does not have is "unavailable", not an error', async () => {
    scripted([new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such endpoint: GET /api/overview' } }), { status: 404, headers: { 'content-type': 'application/json' } })]);
    const s = useDataStore();
    await s.load({ path: '/api/overview' });
    expect(s.resources['/api/overview'].failure).toBe('unavailable');
  });

  it('the refresh tick revalidates only what views show now', async () => {
    const calls = scripted([json({ a: 1 }), json({ b: 1 }), new Response(null, { status: 304 })]);
    const s = useDataStore();
    await s.load({ path: '/api/x?period=2023-06' });
    await s.load({ path: '/api/x?period=2023-07' });
    s.retain('/api/x?period=2023-07');
    await s.revalidateAll();
    expect(calls.map((c) => c.url)).toEqual(['/api/x?period=2023-06', '/api/x?period=2023-07', '/api/x?period=2023-07']);
  });

  it('an endpoint that is not there stays "unavailable" through an outage', async () => {
    scripted([new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such endpoint: GET /api/alerts' } }), { status: 404, headers: { 'content-type': 'application/json' } }), 'down']);
    const s = useDataStore();
    await s.load({ path: '/api/alerts' });
    await s.load({ path: '/api/alerts' });
    expect(s.stale).toBe(true);
    expect(s.resources['/api/alerts'].failure).toBe('unavailable');
  });

  it('concurrent loads of one URL share one request', async () => {
    const calls = scripted([json({ a: 1 })]);
    const s = useDataStore();
    await Promise.all([s.load(ep), s.load(ep), s.load(ep)]);
    expect(calls).toHaveLength(1);
  });

  it('a view starting to read a URL the router prefetched asks nothing more; the next view revalidates', async () => {
    const calls = scripted([json({ a: 1 }), new Response(null, { status: 304 })]);
    const s = useDataStore();
    // The answer is in before the view's code has arrived and mounted.
    await s.prefetch(ep);
    const scope = effectScope();
    const first = scope.run(() => useResource(() => ep))!;
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toHaveLength(1);
    expect(first.data.value).toEqual({ a: 1 });
    // A prefetch serves one first read: a view opened later asks (conditionally) as before.
    const second = scope.run(() => useResource(() => ep))!;
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].headers['if-none-match']).toBe('"v1"');
    expect(second.phase.value).toBe('ready');
    scope.stop();
  });

  it('a failed prefetch does not stand for the view\'s read: the view asks again', async () => {
    const calls = scripted(['down', json({ a: 1 })]);
    const s = useDataStore();
    await s.prefetch(ep);
    const scope = effectScope();
    const r = scope.run(() => useResource(() => ep))!;
    await vi.waitFor(() => expect(r.data.value).toEqual({ a: 1 }));
    expect(calls).toHaveLength(2);
    scope.stop();
  });

  it('a prefetched answer older than a few seconds does not stand for a view\'s first read (a playlist page read later)', async () => {
    const calls = scripted([json({ a: 1 }), new Response(null, { status: 304 })]);
    const s = useDataStore();
    await s.prefetch(ep);
    s.resources[ep.path].confirmedAt = Date.now() - 60_000;
    const scope = effectScope();
    scope.run(() => useResource(() => ep));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    scope.stop();
  });

  it('a display token is sent as a bearer header', async () => {
    const calls = scripted([json({ a: 1 })]);
    setDisplayToken('dt_abc');
    try {
      await useDataStore().load(ep);
    } finally {
      setDisplayToken(null);
    }
    expect(calls[0].headers.authorization).toBe('Bearer dt_abc');
  });
});

describe('session store', () => {
  const me = (role: string, county_code: string | null = null) =>
    json({ user: { username: role, role, county_code, via: 'session' } });

  it('login sets the user and where they land; logout forgets them', async () => {
    const calls = scripted([me('county', '450102'), json({ ok: true })]);
    const s = useSessionStore();
    await s.login('county-450102', 'pw');
    expect(calls[0].url).toBe('/api/auth/login');
    expect(s.user?.role).toBe('county');
    expect(s.home).toBe('/county?county=450102');
    expect(s.views).toEqual(['county', 'submit']);
    await s.logout();
    expect(calls[1].url).toBe('/api/auth/logout');
    expect(s.user).toBeNull();
    expect(s.home).toBe('/login');
  });

  it('a wrong password is refused with the server\'s reason and no user', async () => {
    scripted([new Response(JSON.stringify({ error: { code: 'invalid_credentials', message: 'wrong username or password' } }), { status: 401, headers: { 'content-type': 'application/json' } })]);
    const s = useSessionStore();
    await expect(s.login('x', 'y')).rejects.toMatchObject({ kind: 'unauthenticated', status: 401 });
    expect(s.user).toBeNull();
  });

  it('restore asks who we are; a 401 means nobody', async () => {
    scripted([new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'log in' } }), { status: 401, headers: { 'content-type': 'application/json' } })]);
    const s = useSessionStore();
    expect(await s.restore()).toBeNull();
    expect(s.checked).toBe(true);
  });
});
