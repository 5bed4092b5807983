// Proof under load (issue 6): 60 s at 50 connections across the cockpit endpoints, the wall's, an
// analyst's and a county user's requests mixed, against server/server.ts in its own process on the
// scale-1 warehouse, while two new snapshots (each built by the real ETL, one more mediation case
// each) are renamed onto the live path. Checks: zero failed requests, both snapshots picked up and
// their figure served, the replaced snapshots closed, RSS flat (see RSS_END_GROWTH).
//   PROOF_SECONDS=60
import { copyFile, mkdtemp, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon, { type Request as Req } from 'autocannon';
import { loadFiles } from '../../../etl/load.ts';
import { scale1Warehouse } from '../api.ts';
import { freePort, login, rssMiB, startServer } from '../../helpers/server-process.ts';

const SECONDS = Number(process.env.PROOF_SECONDS ?? 60);
const WARMUP_SECONDS = 5;
/**
 * Memory is flat when the RSS at the end (after the run, once the replaced snapshots are closed) is
 * within RSS_END_GROWTH of the baseline: the median RSS over the 10 s before the first publish, the
 * same state (one snapshot open, its cache and DuckDB buffer pool filled by the same traffic). RSS
 * follows the snapshot cycle: the buffer pool grows with the blocks cold queries touch (bounded by the
 * 230 MB file), a switch opens and warms the next snapshot beside the old one (the peak holds two), and
 * the old one closes 10 s after its last request. Right after warm-up is no baseline: the pool and the
 * cache are still filling (+10 to +35% over the next 20 s in trial runs). A replaced snapshot never
 * closed (its working set, 200+ MiB; also checked directly by its file descriptor) or a leak of about
 * 1.5 KB per request (10^5 requests) lands beyond this margin.
 */
const RSS_END_GROWTH = 0.25;

const rotate = <T>(values: T[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

interface Role {
  name: string;
  connections: number;
  requests: Req[];
}

/** Each user's pass through the cockpit: the wall's refresh tick, an analyst browsing, a county page. */
function roles(o: { token: string; analyst: string; county: string; year: number; month: string; counties: string[]; cities: string[] }): Role[] {
  const browser = { 'accept-encoding': 'gzip, deflate, br' };
  const get = (headers: Record<string, string>, p: string, setupRequest?: (r: Req) => Req): Req =>
    setupRequest ? { method: 'GET', path: p, headers, setupRequest } : { method: 'GET', path: p, headers };
  const wall = (p: string) => get({ ...browser, authorization: `Bearer ${o.token}` }, p);
  const analystHeaders = { ...browser, cookie: o.analyst };
  // The analyst moves through counties, cities and scoring periods: mostly cache misses, cold queries.
  // (A rotating request's path here only names it; `next` gives the one sent.)
  const analyst = (p: string, next?: () => string) => get(analystHeaders, p, next && ((r) => ({ ...r, path: next() })));
  const county = (p: string) => get({ ...browser, cookie: o.county }, p);
  const periods = rotate([`${o.year}`, `${o.year}-Q1`, `${o.year}-Q2`, `${o.year}-Q3`, `${o.year - 1}`]);
  const counties = rotate(o.counties);
  const cities = rotate(o.cities);
  const ym = `${o.year}-${o.month}`;
  return [
    {
      name: 'wall',
      connections: 20,
      requests: [
        wall('/api/meta'),
        wall('/api/overview'),
        wall(`/api/mediation/success-rate?unit=450000&from=${o.year}-01&to=${ym}&by=month`),
        wall(`/api/mediation/success-rate?unit=450000&from=${o.year - 1}-01&to=${o.year - 1}-12&by=month`),
        wall(`/api/mediation/success-rate?unit=450000&from=${o.year}-01&to=${ym}&by=county`),
        wall('/api/insurance/members?unit=450000'),
        wall('/api/rankings?set=county47'),
        wall('/api/rankings?set=reform88'),
        wall('/api/map?set=county47&level=county'),
        wall('/api/map?set=reform88&level=city'),
        wall('/api/alerts?limit=5'),
        wall('/api/briefing'),
        wall('/api/catalog'),
      ],
    },
    {
      name: 'analyst',
      connections: 15,
      requests: [
        analyst('/api/units'),
        analyst('/api/rankings?set=county47&period=<p>&city=<city>', () => `/api/rankings?set=county47&period=${periods()}&city=${cities()}`),
        analyst('/api/map?set=county47&period=<p>&level=county', () => `/api/map?set=county47&period=${periods()}&level=county`),
        analyst('/api/mediation/success-rate?unit=<city>&by=county', () => `/api/mediation/success-rate?unit=${cities()}&from=${o.year - 1}-01&to=${ym}&by=county`),
        analyst('/api/insurance/members?unit=<city>', () => `/api/insurance/members?unit=${cities()}`),
        analyst('/api/insurance/claims?unit=<county>', () => `/api/insurance/claims?unit=${counties()}&year=${o.year - 1}`),
        analyst('/api/units/<county>/scorecard?period=<p>', () => `/api/units/${counties()}/scorecard?period=${periods()}`),
        analyst('/api/alerts'),
        analyst('/api/exports/rankings.csv?set=county47'),
      ],
    },
    {
      name: 'county',
      connections: 15,
      requests: [
        county('/api/meta'),
        county('/api/overview?unit=450102'),
        county('/api/units/450102/scorecard'),
        county('/api/rankings?set=county47'),
        county(`/api/mediation/success-rate?unit=450102&from=${o.year}-01&to=${ym}&by=month`),
        county('/api/insurance/members?unit=450102'),
        county('/api/insurance/claims?unit=450102'),
        county('/api/exports/scorecard.csv?unit=450102'),
      ],
    },
  ];
}

/** Descriptors the server holds on replaced warehouse files (renamed over, so "(deleted)"): snapshots not closed. */
async function openReplaced(pid: number, warehouse: string): Promise<number> {
  const fds = await readdir(`/proc/${pid}/fd`);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.filter((l) => l === `${warehouse} (deleted)`).length;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface Load {
  role: string;
  requests: number;
  latencies: number[];
  /** Latencies per request of the role's list (same order). */
  byRequest: number[][];
  failed: number;
  detail: string;
}

/** All roles at once for `seconds`; latencies from every response (autocannon's own are per instance). */
async function runLoad(url: string, mix: Role[], seconds: number): Promise<Load[]> {
  return Promise.all(
    mix.map(async (role) => {
      const latencies: number[] = [];
      const byRequest = role.requests.map((): number[] => []);
      const instance = autocannon({ url, connections: role.connections, duration: seconds, requests: role.requests });
      instance.on('response', (client, _status, _bytes, ms) => {
        latencies.push(ms);
        // Without pipelining the client's iterator still points at the request just answered.
        byRequest[(client as { requestIterator: { currentRequestIndex: number } }).requestIterator.currentRequestIndex].push(ms);
      });
      const r = await instance;
      const codes = Object.entries(r.statusCodeStats).map(([code, { count }]) => `${code} x${count}`).join(', ');
      return {
        role: role.name,
        requests: r.requests.total,
        latencies: latencies.sort((a, b) => a - b),
        byRequest: byRequest.map((l) => l.sort((a, b) => a - b)),
        failed: r.non2xx + r.errors + r.timeouts,
        detail: `non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}; ${codes}`,
      };
    }),
  );
}

const figures = (l: number[]) =>
  `p50 ${percentile(l, 50).toFixed(1)} ms, p97.5 ${percentile(l, 97.5).toFixed(1)} ms, p99 ${percentile(l, 99).toFixed(1)} ms, max ${l[l.length - 1].toFixed(0)} ms`;

/** A new snapshot through the real ETL: `from` plus one successful mediation case in 450102. */
async function variant(dir: string, from: string, n: number, closed: string): Promise<string> {
  const out = path.join(dir, `variant-${n}.duckdb`);
  await copyFile(from, out);
  const csv = path.join(dir, `proof-${n}.csv`);
  const received = `${closed.slice(0, 8)}01`;
  await writeFile(csv, `case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nPROOF-LOAD-${n},450102,${received},${closed},wages,union,success,1,\n`);
  await loadFiles({ warehouse: out, inputs: [csv] });
  return out;
}

export default async function proofLoad(): Promise<void> {
  const source = await scale1Warehouse();
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-proof-load-'));
  const warehouse = path.join(dir, 'warehouse.duckdb');
  await copyFile(source, warehouse);
  const server = await startServer({ WAREHOUSE: warehouse, APP_DB: path.join(dir, 'app.sqlite'), PORT: await freePort() });
  const rss: { t: number; mib: number }[] = [];
  let t0 = performance.now();
  const sampler = setInterval(() => void rssMiB(server.pid).then((mib) => rss.push({ t: (performance.now() - t0) / 1000, mib })), 1000);
  try {
    const startRss = await rssMiB(server.pid);
    const analyst = await login(server.url, 'analyst', 'analyst-demo');
    const county = await login(server.url, 'county-450102', 'county-demo');
    const json = async (p: string) => {
      const res = await fetch(server.url + p, { headers: { cookie: analyst } });
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    if (!server.displayToken) throw new Error('the server printed no display token (a new APP_DB gets the demo one)');
    const meta = (await json('/api/meta')).snapshot;
    const newest: string = meta.newest_data;
    const units = await json('/api/units');
    const mix = roles({
      token: server.displayToken,
      analyst,
      county,
      year: Number(newest.slice(0, 4)),
      month: newest.slice(5, 7),
      counties: units.cities.flatMap((c: { counties: { code: string }[] }) => c.counties.map((k) => k.code)),
      cities: units.cities.map((c: { code: string }) => c.code),
    });
    // Every request of the mix answers 200 before the clock starts (a typo would count as load errors).
    for (const r of mix.flatMap((role) => role.requests)) {
      const { path: p, headers } = r.setupRequest ? r.setupRequest(r) : r;
      const res = await fetch(server.url + p, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
    }
    // The figure the new snapshots change: successful cases closed in 450102 in the newest month.
    const month = newest.slice(0, 7);
    const figureUrl = `/api/mediation/success-rate?unit=450102&from=${month}&to=${month}`;
    const figure = async () => (await json(figureUrl)).success as number;
    const before = await figure();

    console.log(`building 2 snapshots with the ETL (one more case each in 450102, ${month}) ...`);
    const closed = newest.slice(0, 10);
    const v1 = await variant(dir, warehouse, 1, closed);
    const v2 = await variant(dir, v1, 2, closed);

    await runLoad(server.url, mix, WARMUP_SECONDS);
    const warmRss = await rssMiB(server.pid);
    rss.length = 0;
    t0 = performance.now();

    // Publish as the ETL does (a complete file renamed onto the live path) at 1/3 and 2/3 of the run,
    // and watch /api/meta from here for the switch.
    const ids = [meta.id as string];
    const switches: { at: number; ms: number; replacedOpen: number }[] = [];
    const metaFailures: string[] = [];
    const publish = async () => {
      for (const [i, v] of [v1, v2].entries()) {
        await new Promise((r) => setTimeout(r, t0 + ((i + 1) * SECONDS * 1000) / 3 - performance.now()));
        const next = `${warehouse}.next-proof`;
        await copyFile(v, next);
        await rename(next, warehouse);
        const renamed = performance.now();
        for (;;) {
          const res = await fetch(`${server.url}/api/meta`, { headers: { cookie: analyst } }).catch((e: Error) => e);
          if (res instanceof Error || res.status !== 200) metaFailures.push(res instanceof Error ? res.message : String(res.status));
          else {
            const id = (await res.json()).snapshot.id as string;
            if (!ids.includes(id)) {
              ids.push(id);
              // Within the 10 s grace the probe must see the replaced file still open: so its 0 at the end means closed.
              switches.push({ at: (renamed - t0) / 1000, ms: performance.now() - renamed, replacedOpen: await openReplaced(server.pid, warehouse) });
              break;
            }
          }
          if (performance.now() - renamed > 30_000) throw new Error(`snapshot ${i + 1} not picked up within 30 s`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const publishing = publish();
    publishing.catch(() => {}); // rethrown below, after the load
    const loads = await runLoad(server.url, mix, SECONDS);
    await publishing;
    const runRss = rss.map((s) => s.mib);
    const firstPublish = SECONDS / 3;
    const preSwitch = rss.filter((s) => s.t >= firstPublish - 10 && s.t < firstPublish).map((s) => s.mib).sort((a, b) => a - b);
    const baseRss = preSwitch[Math.floor(preSwitch.length / 2)];
    const openAtEnd = await openReplaced(server.pid, warehouse);
    const closing = performance.now();
    while ((await openReplaced(server.pid, warehouse)) > 0 && performance.now() - closing < 30_000) await new Promise((r) => setTimeout(r, 250));
    const stillOpen = await openReplaced(server.pid, warehouse);
    const closedAfter = (performance.now() - closing) / 1000;
    const endRss = await rssMiB(server.pid);
    const after = await figure();

    const total = loads.reduce((n, l) => n + l.requests, 0);
    const failed = loads.reduce((n, l) => n + l.failed, 0);
    const all = loads.flatMap((l) => l.latencies).sort((a, b) => a - b);
    const maxRss = Math.max(...runRss);
    console.log(`\n${SECONDS} s at ${mix.reduce((n, r) => n + r.connections, 0)} connections (${mix.map((r) => `${r.name} ${r.connections}`).join(', ')}) on ${source}`);
    console.log(`  all      ${total.toLocaleString('en').padStart(7)} requests, ${Math.round(total / SECONDS)} req/s, ${figures(all)}, failed ${failed}`);
    for (const l of loads) {
      console.log(`  ${l.role.padEnd(8)} ${l.requests.toLocaleString('en').padStart(7)} requests, ${Math.round(l.requests / SECONDS)} req/s, ${figures(l.latencies)}; ${l.detail}`);
    }
    console.log('  slowest requests (p99):');
    const each = loads.flatMap((l, r) => l.byRequest.map((lat, i) => ({ name: `${l.role} ${mix[r].requests[i].path}`, lat })));
    for (const { name, lat } of each.sort((a, b) => percentile(b.lat, 99) - percentile(a.lat, 99)).slice(0, 8)) {
      console.log(`    ${name.padEnd(70)} ${String(lat.length).padStart(6)}  p50 ${percentile(lat, 50).toFixed(1).padStart(6)}  p99 ${percentile(lat, 99).toFixed(1).padStart(6)} ms`);
    }
    console.log(`  snapshots ${ids.join(' -> ')}; renamed at ${switches.map((s) => `${s.at.toFixed(1)} s (serving it ${Math.round(s.ms)} ms later, ${s.replacedOpen} replaced open)`).join(', ')}`);
    console.log(`  figure (450102 successes in ${month}) ${before} -> ${after}`);
    console.log(`  replaced snapshots open at the end of the run ${openAtEnd}, ${closedAfter.toFixed(1)} s later ${stillOpen}`);
    console.log(`  RSS MiB: start ${startRss.toFixed(0)}, after warm-up ${warmRss.toFixed(0)}, baseline ${baseRss.toFixed(0)}, max ${maxRss.toFixed(0)}, last second of the run ${runRss.at(-1)!.toFixed(0)}, end ${endRss.toFixed(0)} (${(((endRss - baseRss) / baseRss) * 100).toFixed(1)}% vs baseline; limit +${RSS_END_GROWTH * 100}%)`);
    console.log(`  RSS every 5 s: ${runRss.filter((_, i) => i % 5 === 0).map((m) => m.toFixed(0)).join(' ')}`);

    const problems: string[] = [];
    if (failed > 0) problems.push(`${failed} failed requests`);
    if (metaFailures.length) problems.push(`/api/meta failed while switching: ${metaFailures.slice(0, 5).join(', ')}`);
    if (new Set(ids).size !== 3) problems.push(`expected 3 snapshots, saw ${ids.join(', ')}`);
    if (after !== before + 2) problems.push(`the figure went ${before} -> ${after}, expected +2`);
    if (switches.some((s) => s.replacedOpen < 1)) problems.push('the descriptor probe did not see a replaced snapshot right after a switch');
    if (stillOpen > 0) problems.push(`${stillOpen} replaced snapshots still open`);
    if (endRss > baseRss * (1 + RSS_END_GROWTH)) problems.push(`RSS grew from ${baseRss.toFixed(0)} to ${endRss.toFixed(0)} MiB`);
    if (problems.length) throw new Error(problems.join('; '));
  } finally {
    clearInterval(sampler);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
