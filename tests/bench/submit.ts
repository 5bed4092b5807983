// County reporting benchmark (issue 11; not part of npm test), on the scale-1 warehouse, with the real
// server and its real ETL worker processes:
//   1. validating a 5,000-row county month file (XLSX and CSV) through POST /api/submissions, warm,
//      against `etl load` of the same file onto the same warehouse in this run (target < 1 s);
//   2. publishing 111 approved county-month submissions (each county's latest complete month re-sent
//      with a few outcomes changed): approval to published, and the publishing worker's peak RSS
//      (VmHWM), against `npm run etl -- load` of the same 111 files onto the same warehouse
//      (targets < 15 s, < 1 GiB);
//   3. 50 connections on the wall and county endpoints while the batch publishes: failed requests
//      (target 0), req/s and p99, next to the same load without a publish.
// Times are noisy on a shared machine: read the ratios, measured back to back in the same run.
//   npm run bench -- submit [--scale S]   (default 1; a smaller scale builds its own data and warehouse)
//   BENCH_SECONDS=5 (the quiet load's length)
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import autocannon from 'autocannon';
import ExcelJS from 'exceljs';
import { repoRoot } from '../../core/paths.ts';
import { lit, rows } from '../../etl/duck.ts';
import { enums, streams } from '../../core/contract.ts';
import { loadFiles } from '../../etl/load.ts';
import { openAppDb } from '../../server/appdb/db.ts';
import { hashPassword } from '../../server/appdb/passwords.ts';
import { findUser, insertUser } from '../../server/appdb/users.ts';
import { freePort, login, startServer } from '../helpers/server-process.ts';
import { hwmMiB, prepareEtl, runEtl } from './etl-cli.ts';
import { latestCompleteMonth, scaleOption, scaleWarehouse } from './scale1.ts';

const BIG_ROWS = 5000;
const BIG_COUNTY = '450102';
const TIMED_UPLOADS = 5;
const QUIET_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
/** What a wall screen asks for (leader) and what a county page asks for (its own county). */
const WALL = ['/api/overview', '/api/rankings?set=county47', '/api/map?set=county47', '/api/alerts', '/api/briefing'];
const COUNTY = [`/api/units/${BIG_COUNTY}/scorecard`, '/api/rankings?set=county47', `/api/mediation/success-rate?unit=${BIG_COUNTY}&by=month`, '/api/meta'];

interface Case {
  case_id: string;
  county_code: string;
  received_date: string;
  closed_date: string | null;
  dispute_type: keyof typeof enums.disputeType;
  channel: keyof typeof enums.mediationChannel;
  outcome: keyof typeof enums.mediationOutcome;
  workers: number;
  amount_yuan: string | null;
}

const COLUMNS = streams.mediation.columns;
/** A case as a county office writes it: Chinese labels for the enumerations. */
const cells = (c: Case): (string | number | Date | null)[] => [
  c.case_id,
  c.county_code,
  new Date(`${c.received_date}T00:00:00Z`),
  c.closed_date ? new Date(`${c.closed_date}T00:00:00Z`) : null,
  enums.disputeType[c.dispute_type],
  enums.mediationChannel[c.channel],
  enums.mediationOutcome[c.outcome],
  c.workers,
  c.amount_yuan === null ? null : Number(c.amount_yuan),
];

async function writeXlsx(file: string, cases: Case[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(streams.mediation.zh);
  ws.addRow(COLUMNS.map((c) => c.zh));
  for (const c of cases) ws.addRow(cells(c));
  for (const i of [3, 4]) ws.getColumn(i).numFmt = 'yyyy-mm-dd';
  await writeFile(file, Buffer.from(await wb.xlsx.writeBuffer()));
}

async function writeCsv(file: string, cases: Case[]): Promise<void> {
  const line = (c: Case) =>
    [c.case_id, c.county_code, c.received_date, c.closed_date ?? '', enums.disputeType[c.dispute_type], enums.mediationChannel[c.channel],
      enums.mediationOutcome[c.outcome], c.workers, c.amount_yuan ?? ''].join(',');
  await writeFile(file, '\uFEFF' + [COLUMNS.map((c) => c.zh).join(','), ...cases.map(line)].join('\r\n') + '\r\n');
}

const CASE_SQL = `SELECT case_id, county_code, strftime(received_date, '%Y-%m-%d') AS received_date, strftime(closed_date, '%Y-%m-%d') AS closed_date,
  dispute_type::VARCHAR AS dispute_type, channel::VARCHAR AS channel, outcome::VARCHAR AS outcome, workers, amount_yuan::VARCHAR AS amount_yuan
  FROM fact_mediation`;

/** Every county's cases of the latest complete month, and BIG_COUNTY's whole history (newest first). */
async function readCases(warehouse: string): Promise<{ month: string; byCounty: Map<string, Case[]>; history: Case[] }> {
  const db = await DuckDBInstance.create(warehouse, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const month = await latestCompleteMonth(conn);
    const inMonth = await rows<Case>(
      conn,
      `${CASE_SQL} WHERE received_date >= ${lit(`${month}-01`)}::DATE AND received_date < ${lit(`${month}-01`)}::DATE + INTERVAL 1 MONTH ORDER BY county_code, case_id`,
    );
    const counties = await rows<{ code: string }>(conn, `SELECT county_code AS code FROM dim_county ORDER BY 1`);
    const byCounty = new Map<string, Case[]>(counties.map((c) => [c.code, []]));
    for (const c of inMonth) byCounty.get(c.county_code)!.push(c);
    const history = await rows<Case>(conn, `${CASE_SQL} WHERE county_code = ${lit(BIG_COUNTY)} ORDER BY received_date DESC, case_id`);
    return { month, byCounty, history };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** A re-sent month: every 10th closed case has its outcome turned (success <-> failed). */
function resent(cases: Case[]): Case[] {
  return cases.map((c, i) =>
    i % 10 === 0 && (c.outcome === 'success' || c.outcome === 'failed') ? { ...c, outcome: c.outcome === 'success' ? 'failed' : 'success' } : c,
  );
}

/** BIG_COUNTY's month filled up to BIG_ROWS with its earlier cases moved into the month (new ids, same
 * day of month and duration, closed by the month's end): real rows at a county-month size of 5,000. */
function bigMonth(month: string, own: Case[], history: Case[]): Case[] {
  const out = [...own];
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const monthEnd = day(`${month}-${String(last).padStart(2, '0')}`);
  for (let round = 1; out.length < BIG_ROWS; round++) {
    for (const c of history) {
      if (out.length >= BIG_ROWS) break;
      const received = day(`${month}-${String(Math.min(Number(c.received_date.slice(8)), last)).padStart(2, '0')}`);
      const closed = c.closed_date === null ? null : Math.min(received + day(c.closed_date) - day(c.received_date), monthEnd);
      out.push({ ...c, case_id: `${c.case_id}-R${round}`, received_date: iso(received), closed_date: closed === null ? null : iso(closed) });
    }
  }
  return out;
}

/** The server's ETL worker process (etl/worker.ts forked by the server), by its heap cap. */
async function workerPid(serverPid: number, heapMb: number): Promise<number | null> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== serverPid) continue;
    const cmd = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    // etl/worker.ts, run compiled (etl/compiled.mjs worker) or, for a caller's script, under tsx
    const worker = cmd.some((a) => a.endsWith('etl/worker.ts')) || (cmd.some((a) => a.endsWith('etl/compiled.mjs')) && cmd.includes('worker'));
    if (worker && cmd.includes(`--max-old-space-size=${heapMb}`)) return Number(entry);
  }
  return null;
}

/** `npm run etl -- load` as its own process: wall seconds, the load's own seconds and per-file counts, peak RSS. */
async function cliLoad(warehouse: string, files: string[], reportDir: string) {
  const run = await runEtl(['load', ...files, '--warehouse', warehouse, '--json', '--report', reportDir]);
  const summary = JSON.parse(run.stdout) as {
    seconds: number;
    stages: Record<string, number>;
    files: { rejected: number; replaced: number; unchanged: number; accepted: number }[];
  };
  return { wall: run.seconds, summary, peakMiB: run.peakMiB };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (x: number) => x.toFixed(2);

export async function benchSubmit(args: string[] = []): Promise<void> {
  const scale = scaleOption(args);
  const source = await scaleWarehouse(scale);
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-bench-submit-'));
  try {
    // The files: written from the warehouse the server serves.
    const { month, byCounty, history } = await readCases(source);
    const filesDir = path.join(dir, 'files');
    await mkdir(filesDir);
    const big = bigMonth(month, byCounty.get(BIG_COUNTY)!, history);
    const bigFiles = { xlsx: path.join(filesDir, `big-${BIG_COUNTY}.xlsx`), csv: path.join(filesDir, `big-${BIG_COUNTY}.csv`) };
    await writeXlsx(bigFiles.xlsx, big);
    await writeCsv(bigFiles.csv, big);
    const countyFiles = new Map<string, string>();
    for (const [code, cases] of byCounty) {
      if (cases.length === 0) continue;
      const file = path.join(filesDir, `${code}-${month}.xlsx`);
      await writeXlsx(file, resent(cases));
      countyFiles.set(code, file);
    }
    const monthRows = [...byCounty.values()].reduce((n, c) => n + c.length, 0);
    const { size } = await stat(source);
    console.log(`\nsubmit benchmark at scale ${scale}: ${source} (${(size / 2 ** 30).toFixed(2)} GiB)`);
    console.log(`  ${month}: ${countyFiles.size} county files, ${monthRows.toLocaleString('en')} mediation rows; ${BIG_COUNTY}'s month filled to ${big.length.toLocaleString('en')} rows`);

    const liveDir = path.join(dir, 'live');
    await mkdir(liveDir);
    const live = path.join(liveDir, 'warehouse.duckdb');
    await copyFile(source, live);
    const appDbFile = path.join(liveDir, 'app.sqlite');
    // Behind a balancer (TRUST_PROXY) each county logs in from its own address: 111 logins from one
    // address would meet the login limit of 10 a minute.
    const server = await startServer({ WAREHOUSE: live, APP_DB: appDbFile, PORT: await freePort(), TRUST_PROXY: '127.0.0.1' });
    const appDb = openAppDb(appDbFile);
    try {
      const hash = await hashPassword('bench-county-password');
      for (const code of countyFiles.keys()) {
        if (!findUser(appDb, `bench-${code}`)) insertUser(appDb, { username: `bench-${code}`, role: 'county', county_code: code }, hash);
      }
      let address = 0;
      const loginFrom = async (username: string, password: string) => {
        address++;
        const res = await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${address >> 8}.${address & 255}` },
          body: JSON.stringify({ username, password }),
        });
        if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      };
      const reviewer = await login(server.url, 'reviewer', 'reviewer-demo');
      const leader = await login(server.url, 'leader', 'leader-demo');
      const bigCounty = await login(server.url, 'county-450102', 'county-demo');
      const post = async (cookie: string, url: string, body?: FormData | object, expect = 200) => {
        const res = await fetch(server.url + url, {
          method: 'POST',
          headers: { cookie, 'x-requested-with': 'bench', ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
          body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
        });
        const json = await res.json();
        if (res.status !== expect) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
        return json;
      };
      const upload = async (cookie: string, file: string) => {
        const form = new FormData();
        form.append('file', new Blob([await readFile(file)]), path.basename(file));
        const started = performance.now();
        const json = (await post(cookie, '/api/submissions', form, 201)) as { id: number; accepted: number; rejected: number; rejects: unknown[] };
        return { ...json, seconds: (performance.now() - started) / 1000 };
      };

      // 1. The check of a 5,000-row month, warm (one upload of each format first, not counted).
      console.log(`\n1. validating ${BIG_ROWS.toLocaleString('en')} rows of ${BIG_COUNTY} through POST /api/submissions (median of ${TIMED_UPLOADS}, warm)`);
      const checks: Record<string, number> = {};
      for (const [format, file] of Object.entries(bigFiles)) {
        const first = await upload(bigCounty, file);
        if (first.rejected > 0 || first.accepted !== BIG_ROWS) {
          throw new Error(`${format}: ${first.accepted} accepted, ${first.rejected} rejected, e.g. ${JSON.stringify(first.rejects.slice(0, 3))}`);
        }
        const times = [];
        for (let i = 0; i < TIMED_UPLOADS; i++) times.push((await upload(bigCounty, file)).seconds);
        checks[format] = median(times);
        console.log(`  ${format.padEnd(5)} ${((await stat(file)).size / 1024).toFixed(0).padStart(5)} KiB  median ${s(median(times))} s, max ${s(Math.max(...times))} s (target < 1 s)`);
      }
      const checker = await workerPid(server.pid, 512);
      if (checker) console.log(`  checking worker peak RSS ${(await hwmMiB(checker)).toFixed(0)} MiB`);
      for (const [format, file] of Object.entries(bigFiles)) {
        const wh = path.join(dir, `load-${format}`, 'warehouse.duckdb');
        await mkdir(path.dirname(wh));
        await copyFile(source, wh);
        const summary = await loadFiles({ warehouse: wh, inputs: [file] });
        const own = summary.files[0];
        console.log(
          `  etl load of the same ${format}: ${s(own.seconds)} s for the file (read, check, merge), ${s(summary.seconds)} s the whole load;` +
            ` upload check / file ${s(checks[format] / own.seconds)}x, / whole load ${s(checks[format] / summary.seconds)}x`,
        );
        await rm(path.dirname(wh), { recursive: true, force: true });
      }

      // 2 and 3. 111 counties upload and submit; the reviewer approves them all at once while 50
      // connections load the wall and county endpoints.
      console.log(`\n2. ${countyFiles.size} county-month submissions: upload, submit, then all approved together`);
      const ids: number[] = [];
      const uploadStarted = performance.now();
      for (const [code, file] of countyFiles) {
        const cookie = code === BIG_COUNTY ? bigCounty : await loginFrom(`bench-${code}`, 'bench-county-password');
        const sub = await upload(cookie, file);
        if (sub.rejected > 0) throw new Error(`${code}: ${sub.rejected} rejected, e.g. ${JSON.stringify(sub.rejects.slice(0, 3))}`);
        await post(cookie, `/api/submissions/${sub.id}/submit`);
        ids.push(sub.id);
      }
      console.log(`  ${ids.length} uploaded, checked and submitted in ${s((performance.now() - uploadStarted) / 1000)} s (one after another)`);

      const loadOf = (cookie: string, paths: string[], duration: number) =>
        autocannon({
          url: server.url,
          connections: CONNECTIONS / 2,
          duration,
          headers: { cookie },
          requests: paths.map((p) => ({ method: 'GET', path: p })),
        });
      type Result = Awaited<ReturnType<typeof autocannon>>;
      const summarise = (runs: Result[]) => ({
        rps: runs.reduce((n, r) => n + r.requests.average, 0),
        p99: Math.max(...runs.map((r) => r.latency.p99)),
        failed: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
        total: runs.reduce((n, r) => n + r.requests.total, 0),
        // what the failures were: status codes other than 2xx/3xx, connection errors, timeouts
        why: [
          ...Object.entries(runs.reduce<Record<string, number>>((m, r) => {
            for (const [code, { count }] of Object.entries(r.statusCodeStats)) if (!/^[23]/.test(code)) m[code] = (m[code] ?? 0) + count;
            return m;
          }, {})).map(([code, n]) => `${n}x ${code}`),
          `${runs.reduce((n, r) => n + r.errors, 0)} errors`,
          `${runs.reduce((n, r) => n + r.timeouts, 0)} timeouts`,
        ].join(', '),
      });
      const wall = [...WALL, `/api/reporting/status?period=${month}`]; // the reporting matrix: the wall's completeness
      // Each answer computed once before the load (25 connections asking for one uncached scorecard at
      // once each compute it), then a warm-up, not counted.
      for (const [cookie, paths] of [[leader, wall], [bigCounty, COUNTY]] as const) {
        for (const p of paths) {
          const res = await fetch(server.url + p, { headers: { cookie } });
          if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${(await res.text()).slice(0, 300)}`);
        }
      }
      await Promise.all([loadOf(leader, wall, 2), loadOf(bigCounty, COUNTY, 2)]);
      const quiet = summarise(await Promise.all([loadOf(leader, wall, QUIET_SECONDS), loadOf(bigCounty, COUNTY, QUIET_SECONDS)]));

      const snapshotBefore = ((await (await fetch(`${server.url}/api/meta`, { headers: { cookie: leader } })).json()) as { snapshot: { id: string } }).snapshot.id;
      // Until stopped, once the batch is published and served.
      const busy = [loadOf(leader, wall, 600), loadOf(bigCounty, COUNTY, 600)];
      await new Promise((r) => setTimeout(r, 1000));
      const approveStarted = performance.now();
      await Promise.all(ids.map((id) => post(reviewer, `/api/submissions/${id}/approve`)));
      const approved = performance.now();
      const countPublished = appDb.prepare(`SELECT count(*) AS n, count(DISTINCT snapshot_id) AS snapshots FROM submissions WHERE status = 'published' AND id IN (${ids.join(',')})`);
      let published = { n: 0, snapshots: 0 };
      let worker: number | null = null;
      const failedAttempts = appDb.prepare(`SELECT DISTINCT last_error AS e FROM submissions WHERE last_error IS NOT NULL AND id IN (${ids.join(',')})`);
      const publishErrors = new Set<string>(); // seen while waiting (a later success may clear them)
      // Approvals spread over more than the publisher's settle pause (1 s) are published in more than one batch.
      const batches = appDb.prepare(`SELECT snapshot_id AS id, count(*) AS n FROM submissions WHERE status = 'published' AND id IN (${ids.join(',')}) GROUP BY 1`);
      const batchSeen = new Map<string, { n: number; at: number }>();
      while (published.n < ids.length) {
        if (performance.now() - approved > 600_000) throw new Error(`only ${published.n} of ${ids.length} published after 10 minutes`);
        await new Promise((r) => setTimeout(r, 100));
        worker ??= await workerPid(server.pid, 1536);
        published = countPublished.get() as { n: number; snapshots: number };
        for (const { e } of failedAttempts.all() as { e: string }[]) publishErrors.add(e);
        for (const b of batches.all() as { id: string; n: number }[]) {
          if (!batchSeen.has(b.id)) batchSeen.set(b.id, { n: b.n, at: (performance.now() - approved) / 1000 });
        }
      }
      const publishSeconds = (performance.now() - approved) / 1000;
      await new Promise((r) => setTimeout(r, 2000)); // and served from the new snapshot for a while
      for (const b of busy) (b as unknown as { stop(): void }).stop(); // autocannon's instance has stop(); our d.ts leaves it out
      const during = summarise(await Promise.all(busy));
      const snapshotAfter = ((await (await fetch(`${server.url}/api/meta`, { headers: { cookie: leader } })).json()) as { snapshot: { id: string } }).snapshot.id;
      const workerPeak = worker ? await hwmMiB(worker) : NaN;
      // attempts counts the successful one too
      const errors = appDb.prepare(`SELECT count(*) AS n FROM submissions WHERE id IN (${ids.join(',')}) AND attempts > 1`).get() as { n: number };
      console.log(
        `  approving ${ids.length} took ${s((approved - approveStarted) / 1000)} s; approval to all published ${s(publishSeconds)} s (target < 15 s),` +
          ` in ${published.snapshots} publish(es), ${errors.n} with a failed attempt`,
      );
      let previous = 0;
      for (const [i, b] of [...batchSeen.values()].entries()) {
        console.log(`  publish ${i + 1}: ${b.n} submissions, published ${s(b.at)} s after the last approval (${s(b.at - previous)} s after the one before)`);
        previous = b.at;
      }
      for (const e of publishErrors) console.log(`  a failed publish attempt: ${e.slice(0, 300)}`);
      for (const b of batchSeen.keys()) {
        const row = appDb.prepare(`SELECT detail FROM audit_log WHERE action = 'submission_publish' AND json_extract(detail, '$.snapshot') = ? LIMIT 1`).get(b) as { detail: string } | undefined;
        type Gap = { settle: number | null; worker: number; switch: number; open: number | null; warm: number | null; opened: number | null; mark: number };
        const publish = row ? (JSON.parse(row.detail) as { publish?: { seconds: number; stages: Record<string, number>; gap?: Gap } }).publish : undefined;
        if (!publish) continue;
        console.log(`  publish to ${b}: ${s(publish.seconds)} s in the worker's load; stages (s): ${Object.entries(publish.stages).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`);
        const g = publish.gap;
        const opt = (x: number | null) => (x === null ? '?' : s(x));
        if (g) {
          console.log(
            `  around the load (s): settle after the last approval ${opt(g.settle)}, worker start and messages ${s(g.worker)},` +
              ` switch after the worker's answer ${s(g.switch)} (the new snapshot's opening began ${opt(g.opened)} from the answer: open ${opt(g.open)}, warm ${opt(g.warm)}),` +
              ` marking published ${s(g.mark)}`,
          );
        }
      }
      console.log(`  publishing worker (pid ${worker ?? '?'}) peak RSS ${workerPeak.toFixed(0)} MiB (target < 1024)`);

      const cliWarehouse = path.join(dir, 'cli', 'warehouse.duckdb');
      await mkdir(path.dirname(cliWarehouse));
      const copyStarted = performance.now();
      await copyFile(source, cliWarehouse);
      const copySeconds = (performance.now() - copyStarted) / 1000;
      await prepareEtl();
      const cli = await cliLoad(cliWarehouse, [...countyFiles.values()], path.join(dir, 'cli', 'reports'));
      const sum = (k: 'accepted' | 'replaced' | 'unchanged' | 'rejected') => cli.summary.files.reduce((n, f) => n + f[k], 0);
      console.log(
        `  npm run etl -- load of the same ${countyFiles.size} files: ${s(cli.wall)} s wall (${s(cli.summary.seconds)} s in the load), peak RSS ${cli.peakMiB.toFixed(0)} MiB;` +
          ` ${sum('accepted')} accepted, ${sum('replaced')} replaced, ${sum('unchanged')} unchanged, ${sum('rejected')} rejected`,
      );
      console.log(`  the load's stages (s): ${Object.entries(cli.summary.stages).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`);
      console.log(`  publish / etl load: time ${s(publishSeconds / cli.wall)}x, peak RSS ${s(workerPeak / cli.peakMiB)}x; copying the snapshot alone takes ${s(copySeconds)} s`);

      console.log(`\n3. ${CONNECTIONS} connections (${CONNECTIONS / 2} wall as leader: ${wall.length} endpoints; ${CONNECTIONS / 2} county ${BIG_COUNTY}: ${COUNTY.length})`);
      console.log(`  quiet (${QUIET_SECONDS} s):      ${Math.round(quiet.rps)} req/s, p99 ${quiet.p99} ms, ${quiet.failed} failed of ${quiet.total} (${quiet.why})`);
      console.log(
        `  while publishing:   ${Math.round(during.rps)} req/s, p99 ${during.p99} ms, ${during.failed} failed of ${during.total} (target 0: ${during.why});` +
          ` snapshot ${snapshotBefore} -> ${snapshotAfter}; req/s ${s(during.rps / quiet.rps)}x quiet`,
      );
    } finally {
      appDb.close();
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSubmit(process.argv.slice(2));
