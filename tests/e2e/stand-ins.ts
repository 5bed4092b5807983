// Stand-ins for endpoints the server does not have yet: a page.route that answers them in their
// documented shapes (documented-shapes.ts) and lets every other request through to the real server.
// Used by the browser tests and the web benchmark; a stand-in disappears once the endpoint exists.
import type { Page } from 'playwright-core';
import type { UnitTree } from '../../web/api/types.ts';
import * as documented from './documented-shapes.ts';

/** Whether the server has an endpoint (a 404 "no such endpoint" says it has not). */
export async function endpointExists(base: string, token: string, url: string): Promise<boolean> {
  const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 404) return true;
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return !body?.error?.message?.startsWith('no such endpoint');
}

export interface StandIns {
  /** what is stood in for: '/api/rankings', '/api/map', '/api/alerts', 'scorecard' */
  missing: string[];
  serve(page: Page): Promise<void>;
}

const PROBES: Record<string, string> = {
  '/api/rankings': '/api/rankings?set=county47',
  '/api/map': '/api/map?set=county47',
  '/api/alerts': '/api/alerts',
  scorecard: '/api/units/450102/scorecard',
};

export async function standInsFor(base: string, token: string): Promise<StandIns> {
  const missing: string[] = [];
  for (const [name, url] of Object.entries(PROBES)) if (!(await endpointExists(base, token, url))) missing.push(name);
  const units = (await (await fetch(`${base}/api/units`, { headers: { authorization: `Bearer ${token}` } })).json()) as UnitTree;
  return {
    missing,
    async serve(page) {
      if (!missing.length) return;
      await page.route(
        (u) => u.pathname.startsWith('/api/'),
        async (route) => {
          const u = new URL(route.request().url());
          const q = (k: string) => u.searchParams.get(k);
          const period = q('period') ?? '2026';
          const set = q('set') === 'reform88' ? 'reform88' : 'county47';
          const card = /^\/api\/units\/(\d{6})\/scorecard$/.exec(u.pathname);
          const has = (name: string) => missing.includes(name);
          const body =
            u.pathname === '/api/rankings' && has('/api/rankings') ? documented.rankings(units, set, period, q('city'))
            : u.pathname === '/api/map' && has('/api/map') ? documented.mapValues(units, set, period, q('level') === 'city' ? 'city' : 'county')
            : u.pathname === '/api/alerts' && has('/api/alerts') ? documented.alerts(units, period)
            : card && has('scorecard') ? documented.scorecard(units, card[1], period)
            : null;
          if (body) await route.fulfill({ json: body, headers: { etag: '"stand-in"' } });
          else await route.continue();
        },
      );
    },
  };
}
