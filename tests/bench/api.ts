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
//   BENCH_SERVER_ROOT=dir: serve with another checkout's server (e.g. an older commit, with BENCH_WAREHOUSE
//   built by its code), measured by this harness
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

/** The hot path: each endpoint warm and cached, then the same bytes from Fastify with its headers, then bare. */
async function hotPath(api: { url: string; pid: number }, base: { url: string; pid: number }, headers: Record<string, string>): Promise<void> {
  const [apiUrl, baseUrl] = [api.url, base.url];
  console.log(`\nhot path (issue 12): warm cached small JSON against Fastify serving the same bytes, median of ${ROUNDS} interleaved rounds`);
  console.log('(req/s ratios: baseline / server; CPU µs per request of the serving process, ratio server / baseline: steadier on a shared machine)');
  console.log('endpoint'.padEnd(24) + 'bytes   req/s   p99  cpu µs | same headers req/s ratio  cpu µs ratio | bare req/s ratio  cpu µs ratio');
  for (const endpoint of HOT) {
    // As autocannon asks: no Accept-Encoding (fetch would ask for br and gzip).
    const first = await fetch(apiUrl + endpoint, { headers: { ...headers, 'accept-encoding': 'identity' } });
    const body = await first.text();
    if (first.status !== 200) throw new Error(`${endpoint}: ${first.status} ${body}`);
    const same = Object.fromEntries([...first.headers].filter(([name]) => !CONNECTION_HEADERS.has(name)));
    await fetch(`${baseUrl}/raw`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body, headers: same }) });
    const check = await fetch(`${baseUrl}/same`, { headers: { 'accept-encoding': 'identity' } });
    if ((await check.text()) !== body || check.headers.get('etag') !== first.headers.get('etag')) throw new Error(`${endpoint}: the baseline does not serve the same response`);
    // Interleaved rounds, each ratio from one round's neighbouring runs: other load on the machine
    // shifts all three alike. The median round is reported.
    const rounds: { warm: Run; same: Run; bare: Run }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const warm = await load(apiUrl + endpoint, headers, undefined, api.pid);
      rounds.push({ warm, same: await load(`${baseUrl}/same`, headers, undefined, base.pid), bare: await load(`${baseUrl}/bare`, headers, undefined, base.pid) });
    }
    const cpu = (r: Run) => r.cpuUs!;
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const warmRps = median(rounds.map((r) => r.warm.rps));
    const failed = rounds.reduce((n, r) => n + r.warm.failed, 0);
    const med = (f: (r: (typeof rounds)[number]) => number, digits = 0) => median(rounds.map(f)).toFixed(digits);
    console.log(
      endpoint.padEnd(24) +
        `${String(body.length).padStart(5)} ${Math.round(warmRps).toString().padStart(7)} ${med((r) => r.warm.p99).padStart(5)} ${med((r) => cpu(r.warm), 1).padStart(7)} |` +
        ` ${med((r) => r.same.rps).padStart(18)} ${med((r) => r.same.rps / r.warm.rps, 2).padStart(5)}x ${med((r) => cpu(r.same), 1).padStart(7)} ${med((r) => cpu(r.warm) / cpu(r.same), 2).padStart(5)}x |` +
        ` ${med((r) => r.bare.rps).padStart(10)} ${med((r) => r.bare.rps / r.warm.rps, 2).padStart(5)}x ${med((r) => cpu(r.bare), 1).padStart(7)} ${med((r) => cpu(r.warm) / cpu(r.bare), 2).padStart(5)}x` +
        (failed ? `  ${failed} FAILED` : ''),
    );
  }
  console.log('targets: <= 1.2x Fastify with the same headers, <= 1.5x bare Fastify');
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
  const root = process.env.BENCH_SERVER_ROOT;
  const server = await startServer({ WAREHOUSE: warehouse, APP_DB: path.join(dir, 'app.sqlite'), PORT: await freePort(), LOG_LEVEL: logLevel }, root);
  const basePort = await freePort();
  const baseline = spawn(process.execPath, ['--input-type=module', '-e', BASELINE], {
    env: { ...process.env, PORT: String(basePort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const apiUrl = server.url;
    const baseUrl = `http://127.0.0.1:${basePort}`;
    await waitFor(`${baseUrl}/const`);
    const cookie = await login(apiUrl, 'analyst', 'analyst-demo');
    const headers = { cookie };

    console.log(`\nAPI on ${path.basename(source)} (${source}), server ${root ?? 'of this checkout'} LOG_LEVEL=${logLevel}, autocannon ${CONNECTIONS} connections x ${SECONDS} s`);
    await hotPath({ url: apiUrl, pid: server.pid }, { url: baseUrl, pid: baseline.pid! }, headers);
    if (values.only === 'hot') return;

    console.log(`\nAPI on ${path.basename(source)} (${source}), autocannon ${CONNECTIONS} connections x ${SECONDS} s`);
    console.log('endpoint'.padEnd(54) + 'bytes  cold ms   req/s   p50  p99 | const req/s  p99  ratio');
    for (const endpoint of ENDPOINTS) {
      const started = performance.now();
      const first = await fetch(apiUrl + endpoint, { headers });
      const body = await first.text();
      const cold = performance.now() - started;
      if (first.status !== 200) throw new Error(`${endpoint}: ${first.status} ${body}`);
      await fetch(`${baseUrl}/body`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const warm = await load(apiUrl + endpoint, headers);
      const constant = await load(`${baseUrl}/const`, {});
      console.log(
        endpoint.padEnd(54) +
          `${String(body.length).padStart(5)} ${cold.toFixed(1).padStart(8)} ${Math.round(warm.rps).toString().padStart(7)} ${String(warm.p50).padStart(5)} ${String(warm.p99).padStart(4)} |` +
          ` ${Math.round(constant.rps).toString().padStart(11)} ${String(constant.p99).padStart(4)} ${(constant.rps / warm.rps).toFixed(2).padStart(6)}x` +
          (warm.failed ? `  ${warm.failed} FAILED` : ''),
      );
    }

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
    baseline.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchApi();
