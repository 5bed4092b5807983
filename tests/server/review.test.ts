// What the security review of the cockpit's routes found (issue 11, item 8), each as the rule that now
// holds, against the real app: PDF printing bounded and cancelled with its client, HEAD on an export
// that prints and audits nothing, one reading of query names for auth, logs and cache keys, the audit
// log keeping only declared parameters, every echo of input cut short, usernames of one spelling,
// and the error codes of 413, 415 and static-file 403 answers. (Failed logins per account and per
// address: security.test.ts, login brute force.)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fastifyStatic from '@fastify/static';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { recentAudit } from '../../server/appdb/audit.ts';
import { createToken } from '../../server/appdb/tokens.ts';
import { findUser, insertUser } from '../../server/appdb/users.ts';
import { parseQuery, queryPairs, redactToken, withoutToken } from '../../server/querystring.ts';
import { answerProblems, errorOf } from './hostile.ts';
import { login, testEnv, type TestEnv } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCORECARD_PDF = '/api/exports/scorecard.pdf?unit=450102&period=2023';

let env: TestEnv;
let analyst: string;
let county: string;
beforeAll(async () => {
  env = await testEnv();
  analyst = await login(env.app, 'analyst', 'analyst-demo');
  county = await login(env.app, 'county-450102', 'county-demo');
});
afterAll(async () => {
  await env?.close();
});

/** An app over the same warehouse with other options (a fresh PDF renderer, other limits). */
const sibling = (opts: Parameters<typeof testEnv>[0]) => testEnv({ warehouse: env.warehouse, ...opts });
const exportRows = (app: TestEnv['app']) => recentAudit(app.appDb, 1000).filter((a) => a.action === 'export');

describe.runIf(existsSync(CHROMIUM))('PDF printing is bounded', () => {
  it('a full queue answers 503 pdf_busy with Retry-After instead of waiting; the PDFs it took are printed', async () => {
    const e = await sibling({ pdfLimits: { concurrency: 1, maxQueued: 1, perAccount: 10 } });
    try {
      const cookie = await login(e.app, 'analyst', 'analyst-demo');
      const answers = await Promise.all(Array.from({ length: 5 }, () => e.app.inject({ url: SCORECARD_PDF, headers: { cookie } })));
      const busy = answers.filter((r) => r.statusCode === 503);
      const printed = answers.filter((r) => r.statusCode === 200);
      expect(busy.length).toBeGreaterThan(0);
      expect(printed.length).toBeGreaterThanOrEqual(2);
      expect(busy.length + printed.length).toBe(5);
      for (const r of busy) {
        expect(errorOf(r).code).toBe('pdf_busy');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      for (const r of printed) expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(e.app.pdf.load).toMatchObject({ active: 0, queued: 0 });
    } finally {
      await e.close();
    }
  });

  it('one account holds at most perAccount renders (429 with Retry-After); another account is not held up', async () => {
    const e = await sibling({ pdfLimits: { concurrency: 2, maxQueued: 4, perAccount: 1 } });
    try {
      const [a, c] = [await login(e.app, 'analyst', 'analyst-demo'), await login(e.app, 'county-450102', 'county-demo')];
      const [first, second, other] = await Promise.all([
        e.app.inject({ url: SCORECARD_PDF, headers: { cookie: c } }),
        e.app.inject({ url: SCORECARD_PDF, headers: { cookie: c } }),
        e.app.inject({ url: SCORECARD_PDF, headers: { cookie: a } }),
      ]);
      expect([first.statusCode, second.statusCode].sort()).toEqual([200, 429]);
      const refused = first.statusCode === 429 ? first : second;
      expect(errorOf(refused).code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(other.statusCode).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('a render over its time limit is stopped: 503 pdf_timeout, nothing audited', async () => {
    const e = await sibling({ pdfLimits: { timeoutMs: 1 } });
    try {
      const res = await e.app.inject({ url: SCORECARD_PDF, headers: { cookie: await login(e.app, 'analyst', 'analyst-demo') } });
      expect(res.statusCode).toBe(503);
      expect(errorOf(res).code).toBe('pdf_timeout');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(exportRows(e.app)).toEqual([]);
    } finally {
      await e.close();
    }
  });

  it('renders whose client has gone leave the queue or stop printing; the next PDF does not wait for them', async () => {
    const e = await sibling({ pdfLimits: { concurrency: 1, maxQueued: 10, perAccount: 10, timeoutMs: 60_000 } });
    try {
      await e.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = e.app.server.address() as AddressInfo;
      const c = await login(e.app, 'county-450102', 'county-demo');
      const abandoned: ClientRequest[] = [];
      for (let i = 0; i < 4; i++) {
        const req = httpRequest({ host: '127.0.0.1', port, path: SCORECARD_PDF, headers: { cookie: c } });
        req.on('error', () => {}); // destroyed below
        req.end();
        abandoned.push(req);
      }
      // All four taken: one printing (its browser still starting), three waiting.
      await until(() => e.app.pdf.load.active === 1 && e.app.pdf.load.queued === 3);
      for (const req of abandoned) req.destroy();
      await until(() => e.app.pdf.load.active === 0 && e.app.pdf.load.queued === 0);
      expect(exportRows(e.app)).toEqual([]);
      const res = await e.app.inject({ url: SCORECARD_PDF, headers: { cookie: await login(e.app, 'analyst', 'analyst-demo') } });
      expect(res.statusCode).toBe(200);
      expect(exportRows(e.app).map((r) => r.actor)).toEqual(['analyst']);
    } finally {
      await e.close();
    }
  });
});

describe('exports are rate-limited per account', () => {
  it('past the limit an account gets 429 with Retry-After, across reports and formats; another account from the same address does not', async () => {
    const e = await sibling({ exportsPerMinute: 3 });
    try {
      const [a, c] = [await login(e.app, 'analyst', 'analyst-demo'), await login(e.app, 'county-450102', 'county-demo')];
      const urls = ['/api/exports/mediation.csv?unit=450000', '/api/exports/rankings.xlsx?set=county47', '/api/exports/scorecard.csv?unit=450102&period=2023'];
      for (const url of urls) expect((await e.app.inject({ url, headers: { cookie: a } })).statusCode, url).toBe(200);
      const limited = await e.app.inject({ url: urls[0], headers: { cookie: a } });
      expect(limited.statusCode).toBe(429);
      expect(errorOf(limited).code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(answerProblems(limited)).toEqual([]);
      expect((await e.app.inject({ url: urls[2], headers: { cookie: c } })).statusCode).toBe(200);
      expect(exportRows(e.app)).toHaveLength(4);
    } finally {
      await e.close();
    }
  });
});

describe('HEAD on an export', () => {
  it('answers the headers of the file without printing it or writing an audit row', async () => {
    const e = await sibling({});
    try {
      const cookie = await login(e.app, 'analyst', 'analyst-demo');
      const res = await e.app.inject({ method: 'HEAD', url: SCORECARD_PDF, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="scorecard-450102-2023.pdf"',
        'cache-control': 'no-store',
      });
      expect(res.headers['content-length']).toBeUndefined(); // the size is known only by printing
      expect(res.body).toBe('');
      expect(e.app.pdf.load.launched).toBe(false);
      expect(exportRows(e.app)).toEqual([]);
    } finally {
      await e.close();
    }
  });

  it('is refused or not found exactly as the GET would be', async () => {
    const head = (url: string, cookie: string) => env.app.inject({ method: 'HEAD', url, headers: { cookie } });
    expect((await head('/api/exports/scorecard.pdf?unit=450103&period=2023', county)).statusCode).toBe(403);
    expect((await head('/api/exports/scorecard.pdf?unit=450199&period=2023', analyst)).statusCode).toBe(404);
    expect((await head('/api/exports/rankings.csv?set=county47', county)).statusCode).toBe(403);
  });
});

describe('query names are read once, decoded, for auth, logs and cache keys', () => {
  it('the parser decodes names and values as Fastify did: + is a space, bad escapes stay as sent, repeats are arrays', () => {
    expect(queryPairs('%74oken=dt_x&a+b=c+d&%zz=1&x').map(({ name, value }) => [name, value])).toEqual([
      ['token', 'dt_x'],
      ['a b', 'c d'],
      ['%zz', '1'],
      ['x', ''],
    ]);
    const q = parseQuery('unit=1&unit=2&__proto__=x');
    expect(q.unit).toEqual(['1', '2']);
    // Nothing inherited: its prototype chain holds no properties and ends at once.
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(q))).toEqual([]);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(q))).toBeNull();
    expect('toString' in q || 'hasOwnProperty' in q || 'constructor' in q).toBe(false);
    expect(q.__proto__).toBe('x');
    expect(redactToken('/wall?%74oken=dt_secret&period=2023-05')).toBe('/wall?token=***&period=2023-05');
    expect(withoutToken('/api/meta?%74ok%65n=dt_secret&period=2023-05')).toBe('/api/meta?period=2023-05');
    expect(withoutToken('/api/meta?tokens=1')).toBe('/api/meta?tokens=1');
  });

  it('a display token sent as ?%74oken= authenticates, is redacted from the log and is not part of the cache key', async () => {
    const lines: string[] = [];
    const e = await sibling({ logRequests: true, logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    try {
      const { token } = createToken(e.app.appDb, 'hall', 'test');
      const byHeader = await e.app.inject({ url: '/api/overview?period=2023-05', headers: { authorization: `Bearer ${token}` } });
      const spelt = await e.app.inject({ url: `/api/overview?period=2023-05&%74oken=${token}` });
      const plain = await e.app.inject({ url: `/api/overview?period=2023-05&token=${token}` });
      for (const res of [byHeader, spelt, plain]) expect(res.statusCode).toBe(200);
      expect(spelt.headers.etag).toBe(byHeader.headers.etag);
      expect(plain.headers.etag).toBe(byHeader.headers.etag);
      const logged = lines.join('');
      expect(logged).toContain('token=***');
      expect(logged).not.toContain(token);
      expect(logged).not.toContain(token.slice(3));
    } finally {
      await e.close();
    }
  });
});

describe('the audit log keeps only the parameters a route declares', () => {
  it('an export with undeclared, oversized and direction-overriding parameters records its declared filters only', async () => {
    const hostile = `unit=450000&from=2023-01&to=2023-03&note=${'x'.repeat(6000)}&%E2%80%AE=1&evil=%E2%80%AEfdp.exe&lang=en`;
    const res = await env.app.inject({ url: `/api/exports/mediation.csv?${hostile}`, headers: { cookie: analyst } });
    expect(res.statusCode).toBe(200);
    const entry = recentAudit(env.app.appDb, 10).find((a) => a.action === 'export')!;
    const detail = JSON.parse(entry.detail!);
    expect(detail.filters).toEqual({ unit: '450000', from: '2023-01', to: '2023-03' });
    expect(entry.detail!.length).toBeLessThan(300);
    expect(entry.detail).not.toMatch(/\u202e/);
  });
});

describe('errors echo input at most 80 characters', () => {
  it('an unknown map indicator of 5,000 characters is named, cut short', async () => {
    const code = `C${'9'.repeat(5000)}`;
    const res = await env.app.inject({ url: `/api/map?set=county47&indicator=${code}`, headers: { cookie: analyst } });
    expect(res.statusCode).toBe(404);
    const { message, field } = errorOf(res);
    expect(field).toBe('indicator');
    expect(message).toContain('C999');
    expect(message.length).toBeLessThan(200);
  });

  it('an unknown endpoint of many long segments is named, cut short', async () => {
    const url = `/api/${Array.from({ length: 60 }, () => 'a'.repeat(90)).join('/')}`;
    const res = await env.app.inject({ url, headers: { cookie: analyst } });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).message.length).toBeLessThan(200);
  });

  it('control and direction characters in an echo are shown escaped', async () => {
    const res = await env.app.inject({ url: '/api/overview?period=%E2%80%AE2023', headers: { cookie: analyst } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).message).not.toMatch(/\u202e/);
    expect(errorOf(res).message).toContain('\\u202e');
  });
});

describe('client errors carry the code their status means', () => {
  it('413 payload_too_large, 415 unsupported_media_type', async () => {
    const big = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: `{"username":"${'x'.repeat(2_000_000)}"}`, headers: { 'content-type': 'application/json' } });
    expect(big.statusCode).toBe(413);
    expect(errorOf(big).code).toBe('payload_too_large');
    const xml = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: '<login/>', headers: { 'content-type': 'text/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(errorOf(xml).code).toBe('unsupported_media_type');
    for (const res of [big, xml]) expect(answerProblems(res)).toEqual([]);
  });

  it("403 forbidden when the static-file server refuses a path, as it would for the web app's or the docs' files", async () => {
    const dist = await mkdtemp(path.join(tmpdir(), 'uc-review-web-'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html>');
    const app = await buildApp({ warehouse: env.warehouse, appDb: path.join(dist, 'app.sqlite'), logger: false });
    try {
      // The static plugin as server/routes/web.ts registers it, handed a path that climbs out: its own
      // refusal, shaped by nothing but the app's error handler.
      await app.register(async (files) => {
        files.addHook('onRoute', (route) => {
          route.config = { ...route.config, roles: 'public' };
        });
        await files.register(fastifyStatic, { root: dist, serve: false });
        files.get('/climb', (_request, reply) => reply.sendFile('../app.sqlite'));
      });
      const res = await app.inject({ url: '/climb' });
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('forbidden');
      expect(answerProblems(res)).toEqual([]);
    } finally {
      await app.close();
      await rm(dist, { recursive: true, force: true });
    }
  });
});

describe('usernames have one spelling', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.resolve('server/cli/users.ts'), ...args], { env: { ...process.env, APP_DB: env.appDb } });

  it('the users CLI refuses a look-alike of an existing name and names outside a-z 0-9 . _ -, and stores a new name folded (NFKC, lower case)', async () => {
    for (const name of ['l\u0435ader', 'анна', 'ana lyst', 'x', '.lead', 'a'.repeat(33), 'boss\u202e']) {
      await expect(cli('add', '--username', name, '--password', 'long-enough-1', '--role', 'leader')).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('a username is 2 to 32 characters'),
      });
    }
    await expect(cli('add', '--username', 'Leader', '--password', 'long-enough-1', '--role', 'leader')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('user leader already exists'),
    });
    const { stdout } = await cli('add', '--username', 'Ｃｈｅｎ.Ｗｅｉ', '--password', 'long-enough-1', '--role', 'analyst');
    expect(stdout).toContain('added analyst chen.wei');
    expect(findUser(env.app.appDb, 'chen.wei')?.username).toBe('chen.wei');
    expect(() => insertUser(env.app.appDb, { username: 'l\u0435ader', role: 'leader' }, 'hash')).toThrow(/a username is/);
  });

  it('login folds the name the same way, and a look-alike is only a wrong name', async () => {
    const as = (username: string) => env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'analyst-demo' } });
    for (const spelt of ['analyst', 'ANALYST', 'ａｎａｌｙｓｔ']) {
      const res = await as(spelt);
      expect(res.statusCode, spelt).toBe(200);
      expect(res.json().user.username).toBe('analyst');
    }
    for (const lookalike of ['\u0430nalyst', 'analyst\u200b', ' analyst']) {
      const res = await as(lookalike);
      expect(res.statusCode, JSON.stringify(lookalike)).toBe(401);
      expect(errorOf(res).code).toBe('invalid_credentials');
    }
  });
});

async function until(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
