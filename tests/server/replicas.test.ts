// The scale-out path: two server processes (server/server.ts, as deployed) on different ports over the
// same warehouse path and the same application database. A session made on one works on the other;
// a snapshot published by the real ETL is picked up by both, and both then answer byte-identically; a
// logout on one ends the session on the other, cached answers included.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, login, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { loadCsv, tinyWarehouse } from './helpers.ts';

let dir: string;
let warehouse: string;
let replicas: ServerProcess[] = [];
let cookie: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'uc-replicas-'));
  warehouse = await tinyWarehouse(dir);
  const appDb = path.join(dir, 'app.sqlite');
  // Both at once on a new application database, as `docs/operations.md` says to start them: they
  // take turns creating it and exactly one seeds the demo accounts (tests/server/appdb.test.ts).
  const ports = [await freePort()];
  while (ports.length < 2) ports.push(...[await freePort()].filter((p) => p !== ports[0]));
  replicas.push(...(await Promise.all(ports.map((p) => startServer({ WAREHOUSE: warehouse, APP_DB: appDb, PORT: p })))));
  cookie = await login(replicas[0].url, 'leader', 'leader-demo');
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  etag: string | null;
  type: string | null;
  body: Buffer;
}

async function ask(replica: ServerProcess, url: string): Promise<Answer> {
  const res = await fetch(replica.url + url, { headers: { cookie } });
  return { status: res.status, etag: res.headers.get('etag'), type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

const snapshotIds = () => Promise.all(replicas.map(async (r) => (JSON.parse((await ask(r, '/api/meta')).body.toString()).snapshot.id as string)));

/** Cached and uncached, small and compressed-size bodies; /api/meta differs by design (each replica's opened_at). */
const URLS = [
  '/api/units',
  '/api/catalog',
  '/api/overview?period=2023-02',
  '/api/mediation/success-rate?unit=450102&from=2023-01&to=2023-02',
  '/api/mediation/success-rate?unit=450000&from=2023-01&to=2023-03&by=county',
  '/api/insurance/members?unit=450000',
  '/api/insurance/claims?unit=450100&year=2023',
  '/api/rankings?set=county47&period=2023',
  '/api/units/450102/scorecard?period=2023',
];

async function expectIdentical(): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const url of URLS) {
    const [a, b] = await Promise.all(replicas.map((r) => ask(r, url)));
    expect(a.status, url).toBe(200);
    expect({ url, status: b.status, etag: b.etag, type: b.type }).toEqual({ url, status: a.status, etag: a.etag, type: a.type });
    expect(b.body.equals(a.body), `${url}: bodies differ`).toBe(true);
    answers.push(a);
  }
  return answers;
}

const rateOf = (a: Answer) => JSON.parse(a.body.toString()) as { success: number; failed: number; rate: number };

describe('two replicas over one snapshot path and one application database', () => {
  it('share sessions: a cookie from one is accepted by the other', async () => {
    const me = await fetch(`${replicas[1].url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).user.username).toBe('leader');
    const [a, b] = await snapshotIds();
    expect(b).toBe(a);
  });

  it('both switch to a snapshot the ETL publishes and answer byte-identically before and after', async () => {
    const before = await expectIdentical();
    const [old] = await snapshotIds();
    // 450102 closed 3 successful and 1 failed case in January-February 2023 (helpers.ts); one more success.
    expect(rateOf(before[3])).toMatchObject({ success: 3, failed: 1, rate: 75 });

    await loadCsv(dir, warehouse, {
      'more.csv': 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nR1,450102,2023-02-01,2023-02-20,wages,union,success,1,\n',
    });
    const published = performance.now();
    let ids = await snapshotIds();
    while (ids.includes(old)) {
      expect(performance.now() - published, `still serving ${old}: ${ids.join(', ')}`).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 25));
      ids = await snapshotIds();
    }
    console.log(`both replicas serve the new snapshot ${Math.round(performance.now() - published)} ms after the ETL published it`);
    expect(ids[1]).toBe(ids[0]);

    const after = await expectIdentical();
    expect(rateOf(after[3])).toMatchObject({ success: 4, failed: 1, rate: 80 });
    // Every ETag names the new snapshot: no replica answers from the old one's cache.
    for (const [i, a] of after.entries()) expect(a.etag, URLS[i]).not.toBe(before[i].etag);
  });

  it("a logout on one replica ends the other's cached answers for that cookie, which it had remembered", async () => {
    const analyst = await login(replicas[0].url, 'analyst', 'analyst-demo');
    const url = '/api/overview?period=2023-02';
    const on = (r: ServerProcess) => fetch(r.url + url, { headers: { cookie: analyst } }).then((res) => res.status);
    // Twice: the second is a remembered caller's cache hit, answered before Fastify routes it.
    for (let i = 0; i < 2; i++) expect(await on(replicas[1])).toBe(200);
    const logout = await fetch(`${replicas[0].url}/api/auth/logout`, { method: 'POST', headers: { cookie: analyst } });
    expect(logout.status).toBeLessThan(300);
    expect(await on(replicas[0])).toBe(401);
    // The other replica sees the application database change within 0.1 s (server/appdb/changes.ts).
    const end = Date.now() + 5000;
    let status = await on(replicas[1]);
    while (status !== 401 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      status = await on(replicas[1]);
    }
    expect(status).toBe(401);
    expect(await on(replicas[1])).toBe(401);
  });
});
