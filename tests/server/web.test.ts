// The built web app is served beside the API: pages and assets public, page paths get index.html,
// unknown API paths and missing files stay JSON 404s, the data behind the pages stays guarded.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.ts';

const dist = await mkdtemp(path.join(tmpdir(), 'uc-web-'));
await mkdir(path.join(dist, 'assets'));
await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>工会驾驶舱</title><script type="module" src="/assets/app-1.js"></script>');
await writeFile(path.join(dist, 'assets', 'app-1.js'), 'console.log(1)');
afterAll(() => rm(dist, { recursive: true, force: true }));
const env = await buildTestApp({ webDist: dist });

describe('web app', () => {
  it.each(['/', '/login', '/wall?token=dt_x', '/analyst?unit=450100', '/county?county=450103'])('page %s is the app, for anybody', async (url) => {
    const res = await env.app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('工会驾驶舱');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves the built assets', async () => {
    const res = await env.app.inject({ url: '/assets/app-1.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('a missing file or API path is a JSON 404, not the app', async () => {
    for (const url of ['/assets/app-2.js', '/api/no-such-thing', '/favicon.ico']) {
      const res = await env.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('the pages are public, the data is not', async () => {
    const rules = env.app.accessRules().filter((r) => r.roles === 'public').map((r) => r.url);
    expect(rules.filter((u) => u.startsWith('/api/')).sort()).toEqual(['/api/auth/login', '/api/health']);
    expect((await env.app.inject({ url: '/api/meta' })).statusCode).toBe(401);
  });
});

describe('security headers', () => {
  const apiSet = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };

  it('API answers, errors included, forbid loading, running and framing them', async () => {
    for (const url of ['/api/health', '/api/meta', '/api/no-such-thing', '/api/rankings?set=nope']) {
      const res = await env.app.inject({ url });
      expect(res.headers, url).toMatchObject(apiSet);
    }
  });

  it('pages carry the document policy, and no CORS header is sent anywhere', async () => {
    const page = await env.app.inject({ url: '/', headers: { origin: 'https://evil.example' } });
    expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' });
    expect(page.headers['content-security-policy']).toContain("object-src 'none'");
    const api = await env.app.inject({ url: '/api/health', headers: { origin: 'https://evil.example' } });
    expect(Object.keys({ ...page.headers, ...api.headers }).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});
