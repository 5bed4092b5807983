// API benchmark (issue 4; not part of npm test): for each cockpit endpoint, the cold first request and
// autocannon at 50 connections on a warm snapshot, next to Fastify serving a constant JSON of the same
// size with a response schema (same run, same machine); then the same load while two snapshots are
// published onto the live path, counting failed requests. Server and baseline run in their own
// processes so autocannon does not share their event loop. The server runs as `npm start` runs it
// (LOG_LEVEL info unless BENCH_LOG_LEVEL says otherwise).
// The hot path (issue 12, target 3): the small JSON a wall polls, warm and cached, against Fastify
// serving the same bytes with the same response headers (target <= 1.2x) and bare Fastify serving
// the same bytes (target <= 1.5x).
//   npm run bench -- api [--scale S] [--only hot]   (default 1: the ETL benchmark's warehouse, built if missing)
//   BENCH_WAREHOUSE=path  (instead: this warehouse)
//   BENCH_SECONDS=10  BENCH_LOG_LEVEL=info  BENCH_ROUNDS=5 (hot path)
//   BENCH_COMPARE=dir: also run another checkout's server (e.g. the base commit, /work/wt/base) beside
//   this one in the same run, round by round, and print each figure for both with the ratio (issue 10:
//   the API no slower than before). It serves BENCH_COMPARE_WAREHOUSE, a warehouse built by its own
//   code (default: dir/bench-data/bench-warehouse/warehouse.duckdb, its API benchmark's; the server of
//   another release refuses or misreads this checkout's warehouse)
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { repoRoot } from '../../core/paths.ts';
import { freePort, login, startServer } from '../helpers/server-process.ts';
import { scaleOption, scaleWarehouse } from './scale1.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
/** Rounds of the hot-path comparison (median reported). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** The endpoints the wall and the analysts hit most (issue 4 names overview, rankings, a scorecard and the map). */
const ENDPOINTS = [
  '/api/meta',
  '/api/units',
  '/api/catalog',
  '/api/overview',
  '/api/rankings?set=county47',
  '/api/rankings?set=reform88',
  '/api/units/450102/scorecard',
  '/api/map?set=county47',
  '/api/alerts',
  '/api/briefing',
  '/api/mediation/success-rate?unit=450000&by=month',
  '/api/mediation/success-rate?unit=450000&by=county',
  '/api/insurance/members?unit=450000',
  '/api/insurance/claims?unit=450102',
];

/** Large bodies again as a browser asks for them (Accept-Encoding: br, gzip): the cached compressed variant. */
const COMPRESSED = ['/api/catalog', '/api/rankings?set=county47', '/api/units/450102/scorecard', '/api/alerts'];

/** The small JSON a wall polls every few seconds (issue 12's hot path). */
const HOT = ['/api/meta', '/api/overview', '/api/briefing'];

/** Response headers that belong to the connection, not to the response: Fastify sets its own. */
const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** The endpoint loaded while snapshots are published: a cold query on every new snapshot. */
const PUBLISH_ENDPOINT = '/api/mediation/success-rate?unit=450000&by=county';

const exists = (p: string) => stat(p).then(() => true, () => false);

export async function scale1Warehouse(): Promise<string> {
  if (process.env.BENCH_WAREHOUSE) return process.env.BENCH_WAREHOUSE;
  const built = path.join(repoRoot, 'bench-data', 'bench-warehouse', 'warehouse.duckdb');
  if (await exists(built)) return upToDate(built);
  const { ensureScale1 } = await import('./scale1.ts');
  const { loadFiles } = await import('../../etl/load.ts');
  const { dir } = await ensureScale1();
  const out = path.join(repoRoot, 'bench-data', 'api-warehouse', 'warehouse.duckdb');
  if (!(await exists(out))) await loadFiles({ warehouse: out, inputs: [dir] });
  return upToDate(out);
}

/** A kept warehouse built by other warehouse code is rebuilt first: the server would refuse it. */
async function upToDate(file: string): Promise<string> {
  const { codeVersionOf, rebuildLine, rebuildWarehouse } = await import('../../etl/rebuild.ts');
  const { warehouseCodeVersion } = await import('../../core/warehouse-code.ts');
  if ((await codeVersionOf(file)) !== (await warehouseCodeVersion())) console.log(rebuildLine(await rebuildWarehouse(file)));
  return file;
}

async function waitFor(url: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

// /const: a constant JSON object through a response schema (the per-endpoint table's comparison).
// /bare: the same bytes as a string, nothing else set. /same: the same bytes with the same headers.
const BASELINE = `
import Fastify from 'fastify';
const app = Fastify();
let body = '{}';
let raw = { body: '{}', headers: {} };
app.post('/body', async (req) => { body = req.body; return { ok: true }; });
app.post('/raw', async (req) => { raw = req.body; return { ok: true }; });
const schema = { response: { 200: { type: 'object', additionalProperties: true } } };
app.get('/const', { schema }, async () => body);
app.get('/bare', (req, reply) => { reply.type('application/json; charset=utf-8').send(raw.body); });
app.get('/same', (req, reply) => { reply.headers(raw.headers).send(raw.body); });
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
`;

interface Run {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU time the serving process spent per request (µs), when its pid is given. */
  cpuUs?: number;
}

/** CPU time (user + system) a process has used, in µs, from /proc/<pid>/stat (clock ticks of 10 ms). */
async function cpuUs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function load(url: string, headers: Record<string, string>, during?: () => Promise<void>, pid?: number): Promise<Run> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers }); // warm-up, not counted
  const cpuBefore = pid ? await cpuUs(pid) : 0;
  const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  const side = during?.();
  const r = await instance;
  await side;
  const cpu = pid ? ((await cpuUs(pid)) - cpuBefore) / r.requests.total : undefined;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, failed: r.non2xx + r.errors + r.timeouts, cpuUs: cpu };
}

/** A server under test: its address, its process (for CPU readings), the headers a signed-in analyst sends. */
interface Target {
  name: string;
  url: string;
  pid: number;
  headers: Record<string, string>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = (r: Run) => r.cpuUs!;

/** A first request's status and body, or why there is none (another release may lack an endpoint). */
async function first(target: Target, endpoint: string, extra: Record<string, string> = {}): Promise<{ res: Response; body: string } | string> {
  const res = await fetch(target.url + endpoint, { headers: { ...target.headers, ...extra } }).catch((e: Error) => e);
  if (res instanceof Error) return `${target.name}: ${res.message}`;
  const body = await res.text();
  return res.status === 200 ? { res, body } : `${target.name}: ${res.status} ${body.slice(0, 120)}`;
}

/**
 * The hot path: each endpoint warm and cached, then the same bytes from Fastify with its headers, then
 * bare; with `other`, the other checkout's server on the same endpoint in each round too.
 */
async function hotPath(api: Target, base: { url: string; pid: number }, other?: Target): Promise<void> {
  console.log(`\nhot path (issue 12): warm cached small JSON against Fastify serving the same bytes, median of ${ROUNDS} interleaved rounds`);
  console.log('(req/s ratios: baseline / server; CPU µs per request of the serving process, ratio server / baseline: steadier on a shared machine)');
  console.log('endpoint'.padEnd(24) + 'bytes   req/s   p99  cpu µs | same headers req/s ratio  cpu µs ratio | bare req/s ratio  cpu µs ratio');
  const compared: string[] = [];
  for (const endpoint of HOT) {
    // As autocannon asks: no Accept-Encoding (fetch would ask for br and gzip).
    const mine = await first(api, endpoint, { 'accept-encoding': 'identity' });
    if (typeof mine === 'string') throw new Error(`${endpoint}: ${mine}`);
    const { res, body } = mine;
    const same = Object.fromEntries([...res.headers].filter(([name]) => !CONNECTION_HEADERS.has(name)));
    await fetch(`${base.url}/raw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body, headers: same }) });
    const check = await fetch(`${base.url}/same`, { headers: { 'accept-encoding': 'identity' } });
    // Every header, the connection's included (only the date may differ): a baseline that sent fewer
    // header bytes would flatter itself.
    const headerSet = (r: Response) => [...r.headers].filter(([name]) => name !== 'date').map(([n, v]) => `${n}: ${v}`).sort().join('\n');
    if ((await check.text()) !== body) throw new Error(`${endpoint}: the baseline does not serve the same body`);
    if (headerSet(check) !== headerSet(res)) throw new Error(`${endpoint}: the baseline's headers differ:\n${headerSet(check)}\nours:\n${headerSet(res)}`);
    const theirs = other && (await first(other, endpoint, { 'accept-encoding': 'identity' }));
    if (typeof theirs === 'string') compared.push(`${endpoint.padEnd(24)}not compared (${theirs})`);
    // Interleaved rounds, each ratio from one round's neighbouring runs: other load on the machine
    // shifts all of them alike. The median round is reported.
    const rounds: { warm: Run; same: Run; bare: Run; other?: Run }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const warm = await load(api.url + endpoint, api.headers, undefined, api.pid);
      const round = { warm, same: await load(`${base.url}/same`, api.headers, undefined, base.pid), bare: await load(`${base.url}/bare`, api.headers, undefined, base.pid) };
      rounds.push(other && theirs && typeof theirs !== 'string' ? { ...round, other: await load(other.url + endpoint, other.headers, undefined, other.pid) } : round);
    }
    const failed = rounds.reduce((n, r) => n + r.warm.failed, 0);
    const med = (f: (r: (typeof rounds)[number]) => number, digits = 0) => median(rounds.map(f)).toFixed(digits);
    console.log(
      endpoint.padEnd(24) +
        `${String(body.length).padStart(5)} ${med((r) => r.warm.rps).padStart(7)} ${med((r) => r.warm.p99).padStart(5)} ${med((r) => cpu(r.warm), 1).padStart(7)} |` +
        ` ${med((r) => r.same.rps).padStart(18)} ${med((r) => r.same.rps / r.warm.rps, 2).padStart(5)}x ${med((r) => cpu(r.same), 1).padStart(7)} ${med((r) => cpu(r.warm) / cpu(r.same), 2).padStart(5)}x |` +
        ` ${med((r) => r.bare.rps).padStart(10)} ${med((r) => r.bare.rps / r.warm.rps, 2).padStart(5)}x ${med((r) => cpu(r.bare), 1).padStart(7)} ${med((r) => cpu(r.warm) / cpu(r.bare), 2).padStart(5)}x` +
        (failed ? `  ${failed} FAILED` : ''),
    );
    if (other && rounds[0].other && typeof theirs !== 'string') {
      const o = (f: (r: Run) => number, digits = 0) => med((r) => f(r.other!), digits);
      const otherFailed = rounds.reduce((n, r) => n + r.other!.failed, 0);
      compared.push(
        endpoint.padEnd(24) +
          `${String(theirs!.body.length).padStart(5)} ${o((r) => r.rps).padStart(7)} ${o((r) => r.p99).padStart(5)} ${o(cpu, 1).padStart(7)} |` +
          ` ${med((r) => r.warm.rps / r.other!.rps, 2).padStart(11)}x ${med((r) => cpu(r.other!) / cpu(r.warm), 2).padStart(11)}x` +
          (otherFailed ? `  ${otherFailed} FAILED` : ''),
      );
    }
  }
  console.log('targets: <= 1.2x Fastify with the same headers, <= 1.5x bare Fastify');
  if (other) {
    console.log(`\nthe same rounds, ${other.name} (${other.url}):`);
    console.log('endpoint'.padEnd(24) + 'bytes   req/s   p99  cpu µs | speed-up of this checkout (above 1: this is faster): req/s  cpu µs');
    for (const line of compared) console.log(line);
  }
}

export async function benchApi(args: string[] = []): Promise<void> {
  const { values } = parseArgs({ args, options: { scale: { type: 'string', default: '1' }, only: { type: 'string' } } });
  if (values.only !== undefined && values.only !== 'hot') throw new Error(`--only takes hot, not ${values.only}`);
  const scale = scaleOption(['--scale', values.scale]);
  const source = process.env.BENCH_WAREHOUSE ?? (scale === 1 ? await scale1Warehouse() : await scaleWarehouse(scale));
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-bench-api-'));
  const warehouse = path.join(dir, 'warehouse.duckdb');
  await copyFile(source, warehouse);
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  const server = await startServer({ WAREHOUSE: warehouse, APP_DB: path.join(dir, 'app.sqlite'), PORT: await freePort(), LOG_LEVEL: logLevel });
  const compareRoot = process.env.BENCH_COMPARE;
  let compare: Awaited<ReturnType<typeof startServer>> | undefined;
  const basePort = await freePort();
  const baseline = spawn(process.execPath, ['--input-type=module', '-e', BASELINE], {
    env: { ...process.env, PORT: String(basePort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const baseUrl = `http://127.0.0.1:${basePort}`;
    await waitFor(`${baseUrl}/const`);
    const api: Target = { name: 'this checkout', url: server.url, pid: server.pid, headers: { cookie: await login(server.url, 'analyst', 'analyst-demo') } };
    let other: Target | undefined;
    console.log(`\nAPI on ${path.basename(source)} (${source}), the server of this checkout, LOG_LEVEL=${logLevel}, autocannon ${CONNECTIONS} connections x ${SECONDS} s`);
    if (compareRoot) {
      const theirSource = process.env.BENCH_COMPARE_WAREHOUSE ?? path.join(compareRoot, 'bench-data', 'bench-warehouse', 'warehouse.duckdb');
      if (!(await exists(theirSource))) throw new Error(`BENCH_COMPARE: no warehouse at ${theirSource}; build one with that checkout's code and name it in BENCH_COMPARE_WAREHOUSE`);
      const theirs = path.join(dir, 'compare-warehouse.duckdb');
      await copyFile(theirSource, theirs);
      compare = await startServer({ WAREHOUSE: theirs, APP_DB: path.join(dir, 'compare-app.sqlite'), PORT: await freePort(), LOG_LEVEL: logLevel }, compareRoot);
      const commit = await new Promise<string>((resolve) => {
        const git = spawn('git', ['-C', compareRoot, 'log', '-1', '--format=%h'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        git.stdout.on('data', (d: Buffer) => (out += d));
        git.on('close', () => resolve(out.trim() || 'unknown commit'));
      });
      other = { name: `${compareRoot} (${commit})`, url: compare.url, pid: compare.pid, headers: { cookie: await login(compare.url, 'analyst', 'analyst-demo') } };
      console.log(`compared with the server of ${other.name} on ${theirSource}, same run, same rounds`);
    }
    await hotPath(api, { url: baseUrl, pid: baseline.pid! }, other);
    if (values.only === 'hot') return;

    const apiUrl = api.url;
    const headers = api.headers;
    console.log(`\nAPI on ${path.basename(source)} (${source}), autocannon ${CONNECTIONS} connections x ${SECONDS} s`);
    console.log(
      'endpoint'.padEnd(54) + 'bytes  cold ms   req/s   p50  p99 | const req/s  p99  ratio' +
        (other ? ` | theirs: cold ms   req/s  p99  cpu µs, speed-up: req/s  cpu µs` : ''),
    );
    for (const endpoint of ENDPOINTS) {
      const started = performance.now();
      const mine = await first(api, endpoint);
      const cold = performance.now() - started;
      if (typeof mine === 'string') throw new Error(`${endpoint}: ${mine}`);
      await fetch(`${baseUrl}/body`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: mine.body });
      const warm = await load(apiUrl + endpoint, headers, undefined, api.pid);
      const constant = await load(`${baseUrl}/const`, {});
      let theirs = '';
      if (other) {
        const t0 = performance.now();
        const answer = await first(other, endpoint);
        const theirCold = performance.now() - t0;
        if (typeof answer === 'string') theirs = ` | not compared (${answer})`;
        else {
          const run = await load(other.url + endpoint, other.headers, undefined, other.pid);
          theirs =
            ` | ${theirCold.toFixed(1).padStart(8)} ${Math.round(run.rps).toString().padStart(7)} ${String(run.p99).padStart(4)} ${cpu(run).toFixed(1).padStart(7)}` +
            ` ${(warm.rps / run.rps).toFixed(2).padStart(6)}x ${(cpu(run) / cpu(warm)).toFixed(2).padStart(6)}x` +
            (run.failed ? `  ${run.failed} FAILED` : '');
        }
      }
      console.log(
        endpoint.padEnd(54) +
          `${String(mine.body.length).padStart(5)} ${cold.toFixed(1).padStart(8)} ${Math.round(warm.rps).toString().padStart(7)} ${String(warm.p50).padStart(5)} ${String(warm.p99).padStart(4)} |` +
          ` ${Math.round(constant.rps).toString().padStart(11)} ${String(constant.p99).padStart(4)} ${(constant.rps / warm.rps).toFixed(2).padStart(6)}x` +
          (warm.failed ? `  ${warm.failed} FAILED` : '') +
          theirs,
      );
    }
    if (other) console.log(`theirs: ${other.name}; speed-up = this req/s / theirs, theirs CPU µs per request / this (above 1: this checkout is faster)`);

    console.log(`\nas browsers ask (accept-encoding: br, gzip), against the same uncompressed constant JSON`);
    console.log('endpoint'.padEnd(54) + 'wire B  req/s   p50  p99 | const req/s  p99  ratio');
    for (const endpoint of COMPRESSED) {
      const br = { ...headers, 'accept-encoding': 'br, gzip' };
      const first = await fetch(apiUrl + endpoint, { headers: { ...headers } });
      const body = await first.text();
      const wire = await new Promise<number>((resolve, reject) => {
        // fetch decodes bodies; count the bytes on the wire with a raw request
        const url = new URL(apiUrl + endpoint);
        http.get({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: br }, (r) => {
          let n = 0;
          r.on('data', (c: Buffer) => (n += c.length)).on('end', () => resolve(n)).on('error', reject);
        }).on('error', reject);
      });
      await fetch(`${baseUrl}/body`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const warm = await load(apiUrl + endpoint, br);
      const constant = await load(`${baseUrl}/const`, {});
      console.log(
        endpoint.padEnd(54) +
          `${String(wire).padStart(6)} ${Math.round(warm.rps).toString().padStart(6)} ${String(warm.p50).padStart(5)} ${String(warm.p99).padStart(4)} |` +
          ` ${Math.round(constant.rps).toString().padStart(11)} ${String(constant.p99).padStart(4)} ${(constant.rps / warm.rps).toFixed(2).padStart(6)}x` +
          (warm.failed ? `  ${warm.failed} FAILED` : ''),
      );
    }

    // Publishing under load: the ETL's way (a complete file renamed onto the live path), twice.
    const before = (await (await fetch(`${apiUrl}/api/meta`, { headers })).json()).snapshot.id;
    const publish = async () => {
      for (const delay of [1000 + SECONDS * 300, SECONDS * 300]) {
        await new Promise((r) => setTimeout(r, delay));
        const next = `${warehouse}.next-bench`;
        await copyFile(source, next);
        await rename(next, warehouse);
      }
    };
    const during = await load(`${apiUrl}${PUBLISH_ENDPOINT}`, headers, publish);
    const after = (await (await fetch(`${apiUrl}/api/meta`, { headers })).json()).snapshot.id;
    console.log(
      `\npublishing 2 snapshots during ${SECONDS} s of load: ${Math.round(during.rps)} req/s, p99 ${during.p99} ms, ` +
        `${during.failed} failed requests (target 0); snapshot ${before} -> ${after}`,
    );
    console.log('targets: warm p99 < 20 ms, warm req/s within 1.5x of the constant JSON, cold < 200 ms');
  } finally {
    await server.stop();
    await compare?.stop();
    baseline.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchApi();
