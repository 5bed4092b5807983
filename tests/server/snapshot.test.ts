// Publishing a new snapshot (the ETL's copy + atomic rename onto the live path) while requests run:
// no request fails, /api/meta names the new snapshot, requests in flight finish on the old one, and
// replaced snapshots are closed once drained.
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loadCsv, login, testEnv } from './helpers.ts';

const env = await buildTestApp({ snapshotPollMs: 250, snapshotGraceMs: 100 });
let base: string;
let cookie: string;

beforeAll(async () => {
  await env.app.listen({ host: '127.0.0.1', port: 0 });
  const address = env.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
  cookie = await env.login('leader');
});

async function json(url: string) {
  const res = await fetch(base + url, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

const snapshotId = async () => (await json('/api/meta')).snapshot.id as string;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One more successful case closed in February 2023 in 450102, in a new file. */
async function publishCase(n: number): Promise<void> {
  await loadCsv(env.dir, env.warehouse, {
    [`more-${n}.csv`]: `case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nX${n},450102,2023-02-01,2023-02-20,wages,union,success,1,\n`,
  });
}

describe('snapshot switching', () => {
  it('publishes three snapshots under load with zero failed requests', async () => {
    const before = await snapshotId();
    let stop = false;
    let requests = 0;
    const failures: string[] = [];
    const urls = [
      ...[1, 2, 3, 4, 5, 6].map((m) => `/api/mediation/success-rate?unit=450000&from=2023-01&to=2023-0${m}&by=county`),
      '/api/insurance/members?unit=450100',
      '/api/insurance/claims?unit=450100',
      '/api/meta',
    ];
    const worker = async (w: number) => {
      for (let i = w; !stop; i++) {
        const u = urls[i % urls.length];
        const url = `${u}${u.includes('?') ? '&' : '?'}n=${i}`; // unique: a cache miss, a DuckDB query
        try {
          const res = await fetch(base + url, { headers: { cookie } });
          await res.arrayBuffer();
          if (res.status !== 200) failures.push(`${url}: ${res.status}`);
        } catch (e) {
          failures.push(`${url}: ${(e as Error).message}`);
        }
        requests++;
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));

    const seen = [before];
    for (let n = 1; n <= 3; n++) {
      await publishCase(n);
      seen.push(await until(`snapshot ${n}`, async () => {
        const id = await snapshotId();
        return seen.includes(id) ? undefined : id;
      }));
    }
    stop = true;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(100);
    expect(new Set(seen).size).toBe(4);
    // The live snapshot holds all three new cases: 450102 Jan-Feb was 3 success / 1 failed.
    const rate = await json('/api/mediation/success-rate?unit=450102&from=2023-01&to=2023-02');
    expect(rate).toMatchObject({ success: 6, failed: 1, rate: 85.71 });
    // Replaced snapshots are closed once their requests are done and the grace period passed.
    await until('old snapshots closed', async () => (env.app.warehouse.replacedStillOpen === 0 ? true : undefined));
  }, 180_000); // three loads under a request barrage: 18 s on a quiet machine, over 60 s beside the rest of the suite on two busy cores

  it('a request holding the old snapshot finishes on it after the switch', async () => {
    const lease = env.app.warehouse.acquire();
    const old = lease.snapshot;
    await publishCase(4);
    await until('switch', async () => (env.app.warehouse.current!.id !== old.id ? true : undefined));
    // Still open and still the old data (3 added cases, not 4).
    const row = await old.db
      .selectFrom('mart_mediation_county_month')
      .select((eb) => eb.fn.sum<number>('success').as('s'))
      .where('county_code', '=', '450102')
      .executeTakeFirstOrThrow();
    expect(Number(row.s)).toBe(6);
    await new Promise((r) => setTimeout(r, 300)); // longer than the grace period: held, so still open
    expect(env.app.warehouse.replacedStillOpen).toBe(1);
    expect((await old.db.selectFrom('dim_city').select('city_code').execute()).length).toBe(14);
    lease.release();
    await until('old snapshot closed', async () => (env.app.warehouse.replacedStillOpen === 0 ? true : undefined));
  });

  it('an unreadable file on the live path is not served: the last good snapshot stays', async () => {
    const good = await snapshotId();
    const backup = path.join(env.dir, 'good.duckdb');
    await rename(env.warehouse, backup);
    const junk = path.join(env.dir, 'junk.tmp');
    await writeFile(junk, 'not a database');
    await rename(junk, env.warehouse);
    await env.app.warehouse.check();
    expect(await snapshotId()).toBe(good);
    expect((await json('/api/insurance/members?unit=450000')).years).toHaveLength(2);
    await rm(env.warehouse);
    await rename(backup, env.warehouse);
    await publishCase(5);
    await until('recovery', async () => ((await snapshotId()) !== good ? true : undefined));
  });
});

describe('no warehouse yet', () => {
  it('health and data routes say so with 503 until the first snapshot is published', async () => {
    const e = await testEnv({ warehouse: path.join(env.dir, 'later', 'warehouse.duckdb'), snapshotPollMs: 100 });
    try {
      const c = await login(e.app, 'leader', 'leader-demo');
      const health = await e.app.inject({ url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'no_warehouse', snapshot: null, message: expect.stringContaining('npm run etl -- load') });
      const res = await e.app.inject({ url: '/api/meta', headers: { cookie: c } });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('warehouse_unavailable');
      await loadCsv(env.dir, path.join(env.dir, 'later', 'warehouse.duckdb'), {
        'first.csv': `case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nF1,450102,2023-02-01,2023-02-20,wages,union,success,1,\n`,
      });
      await until('first snapshot', async () => ((await e.app.inject({ url: '/api/health' })).statusCode === 200 ? true : undefined));
      expect((await e.app.inject({ url: '/api/meta', headers: { cookie: c } })).statusCode).toBe(200);
    } finally {
      await e.close();
    }
  });
});
