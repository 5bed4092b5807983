// Upgrading: a warehouse built by the previous release (commit 56afe9e, its own etl/ and sql/ run from
// a git archive on a few of its sample files) is refused by this server with the command to run; after
// `npm run etl -- rebuild` the server switches to the rebuilt snapshot and its key endpoints answer with
// the same facts; a snapshot built by other code published later does not replace a good one; a load
// onto an old snapshot rebuilds it first.
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { copyFile, mkdir, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { warehouseCodeVersion } from '../../core/warehouse-code.ts';
import { loadFiles } from '../../etl/load.ts';
import { tempDir } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';
import { buildTestApp, type TestApp } from '../server/helpers.ts';

const execFile = promisify(execFileCb);
const BASE = '56afe9e'; // the release before snapshots recorded their code version
const hasBase = (() => {
  try {
    execFileSync('git', ['-C', repoRoot, 'cat-file', '-e', `${BASE}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasBase) console.warn(`upgrade.test.ts skipped: commit ${BASE} is not in this clone (shallow?)`);

const SAMPLE_FILES = [
  'mediation/mediation_2025.csv',
  'insurance_enrolment/insurance_enrolment_2025.csv',
  'insurance_claim/insurance_claim_2025.csv',
  'training/training_2025.csv',
  'funding/funding_2025.csv',
  'indicator_value/indicator_value_county47_2025.csv',
  'indicator_value/indicator_value_reform88_2025.csv',
];

/** Rows per fact table, and the number of load batches, of the warehouse at `file`. */
async function factCounts(file: string): Promise<Record<string, number>> {
  const tables = await query<{ t: string }>(file, `SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE 'fact_%' ORDER BY 1`);
  const counts = await query<{ t: string; n: number }>(
    file,
    [...tables.map(({ t }) => `SELECT '${t}' AS t, count(*)::INTEGER AS n FROM ${t}`), `SELECT 'load_batch', count(*)::INTEGER FROM load_batch`].join(' UNION ALL '),
  );
  return Object.fromEntries(counts.map((c) => [c.t, c.n]));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasBase)(`a warehouse built by the previous release (${BASE})`, { timeout: 240_000 }, () => {
  let dir: string;
  let oldWarehouse: string; // kept as the previous release built it
  let live: string;
  let before: Record<string, number>;
  let env: TestApp;

  beforeAll(async () => {
    dir = await tempDir('uc-upgrade-');
    const base = path.join(dir, 'base');
    await mkdir(base);
    await execFile('sh', ['-c', `git -C "${repoRoot}" archive ${BASE} etl sql fixtures/reference fixtures/sample package.json | tar -x -C "${base}"`]);
    await symlink(path.join(repoRoot, 'node_modules'), path.join(base, 'node_modules'));
    oldWarehouse = path.join(dir, 'old.duckdb');
    await execFile(process.execPath, ['--import', 'tsx', 'etl/cli.ts', 'load', ...SAMPLE_FILES.map((f) => `fixtures/sample/${f}`), '--warehouse', oldWarehouse, '--json'], { cwd: base });
    before = await factCounts(oldWarehouse);
    live = path.join(dir, 'warehouse.duckdb');
    await copyFile(oldWarehouse, live);
    env = await buildTestApp({ warehouse: live, snapshotPollMs: 200, snapshotGraceMs: 50 });
  }, 240_000);

  it('was built from the sample files and records no code version', async () => {
    expect(before.fact_mediation).toBeGreaterThan(100);
    expect(before.fact_indicator_value).toBeGreaterThan(100);
    expect(before.load_batch).toBe(SAMPLE_FILES.length);
    const columns = await query(oldWarehouse, `SELECT 1 FROM information_schema.columns WHERE table_name = 'snapshot_info' AND column_name = 'code_version'`);
    expect(columns).toEqual([]);
  });

  it('is refused by this server: /api/health and every data route say to run the rebuild', async () => {
    expect(env.app.warehouse.current).toBeNull();
    const health = await env.app.inject({ url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'warehouse_outdated', snapshot: null });
    expect(health.json().message).toContain('npm run etl -- rebuild');
    const cookie = await env.login('leader');
    const overview = await env.app.inject({ url: '/api/overview', headers: { cookie } });
    expect(overview.statusCode).toBe(503);
    expect(overview.json().error).toMatchObject({ code: 'warehouse_unavailable' });
    expect(overview.json().error.message).toContain('npm run etl -- rebuild');
  });

  it('`etl rebuild` rebuilds it with this code from the same facts, in one line, and the server switches to it', async () => {
    const { stdout } = await execFile(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'etl', 'cli.ts'), 'rebuild', '--warehouse', live]);
    const facts = Object.entries(before).filter(([t]) => t.startsWith('fact_')).reduce((s, [, n]) => s + n, 0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toContain(`unversioned -> ${await warehouseCodeVersion()}`);
    expect(stdout).toContain(`${facts} fact rows kept`);

    expect(await factCounts(live)).toEqual(before);
    const [info] = await query<{ code_version: string }>(live, `SELECT code_version FROM snapshot_info`);
    expect(info.code_version).toBe(await warehouseCodeVersion());
    // What this release added is there: English names, first arrivals, arrival times of old batches.
    const [added] = await query<{ named: number; arrivals: number; undated: number }>(
      live,
      `SELECT (SELECT count(*) FROM dim_county WHERE name_en <> '')::INTEGER AS named,
              (SELECT count(*) FROM report_arrival)::INTEGER AS arrivals,
              (SELECT count(*) FROM load_batch WHERE arrived_at IS NULL OR source IS NULL)::INTEGER AS undated`,
    );
    expect(added).toEqual({ named: 111, arrivals: before.fact_indicator_value, undated: 0 });

    const snapshot = await until('the switch', async () => env.app.warehouse.current ?? undefined);
    expect(snapshot.info.code_version).toBe(await warehouseCodeVersion());
    const cookie = await env.login('leader');
    for (const url of ['/api/health', '/api/meta', '/api/overview', '/api/overview?unit=450102', '/api/rankings?set=county47', '/api/rankings?set=reform88', '/api/units/450102/scorecard']) {
      const res = await env.app.inject({ url, headers: { cookie } });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
    }
    const rankings = (await env.app.inject({ url: '/api/rankings?set=county47', headers: { cookie } })).json();
    expect(JSON.stringify(rankings)).toContain('450102');
  });

  it('a snapshot built by other code published later is refused; the server keeps serving the one it has', async () => {
    const serving = env.app.warehouse.current!.id;
    const stale = path.join(dir, 'stale.duckdb');
    await copyFile(oldWarehouse, stale);
    await rename(stale, live);
    await until('the refusal', async () => env.app.warehouse.refused ?? undefined);
    expect(env.app.warehouse.current!.id).toBe(serving);
    const health = await env.app.inject({ url: '/api/health' });
    expect(health.json()).toEqual({ status: 'ok', snapshot: serving });
  });

  it('a load onto a snapshot built by other code rebuilds it first, then loads', async () => {
    const target = path.join(dir, 'load-onto-old.duckdb');
    await copyFile(oldWarehouse, target);
    const summary = await loadFiles({ warehouse: target, inputs: [path.join(dir, 'base', 'fixtures', 'sample', 'mediation', 'mediation_2026.csv')] });
    const after = await factCounts(target);
    expect(after.fact_mediation).toBe(before.fact_mediation + summary.files[0].accepted - summary.files[0].replaced - summary.files[0].unchanged);
    expect(after.load_batch).toBe(before.load_batch + 1);
    const [info] = await query<{ code_version: string; named: number }>(
      target,
      `SELECT code_version, (SELECT count(*) FROM dim_county WHERE name_en <> '')::INTEGER AS named FROM snapshot_info`,
    );
    expect(info).toEqual({ code_version: await warehouseCodeVersion(), named: 111 });
  });
});
