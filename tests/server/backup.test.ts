// Backups of the live snapshot and the application database, taken and restored while the server
// runs: a restored snapshot is published like a load (the server switches back to the old figures),
// the application database comes back only when asked, and a damaged backup restores nothing.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { addUser, findUser } from '../../server/appdb/users.ts';
import { buildApp } from '../../server/app.ts';
import { restoreBackup } from '../../server/cli/backup.ts';
import { buildTestApp, loadCsv, login } from './helpers.ts';

const env = await buildTestApp({ snapshotPollMs: 100, snapshotGraceMs: 50 });
const cookie = await env.login('analyst');
const backupDir = () => path.join(env.dir, 'backup');

async function get(url: string) {
  const res = await env.app.inject({ url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const rate = async () => (await get('/api/mediation/success-rate?unit=450102&from=2023-01&to=2023-12')).success as number;

async function switched(from: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const id = (await get('/api/meta')).snapshot.id as string;
    if (id !== from) return id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the server did not switch snapshots');
}

describe('backup and restore', () => {
  it('create copies both databases with a manifest of checksums, through the CLI', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server', 'cli', 'backup.ts'), 'create', backupDir()], {
      env: { ...process.env, WAREHOUSE: env.warehouse, APP_DB: env.appDb },
    });
    expect(stdout).toMatch(/^backup in .*backup: snapshot built \d{4}-\d\d-\d\dT/);
    const manifest = JSON.parse(await readFile(path.join(backupDir(), 'manifest.json'), 'utf8'));
    expect(manifest.files['warehouse.duckdb'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.files['app.sqlite'].bytes).toBeGreaterThan(0);
  });

  it('restoring the snapshot brings the old figures back on the running server, users untouched', async () => {
    const before = await rate();
    const id = (await get('/api/meta')).snapshot.id as string;
    await loadCsv(env.dir, env.warehouse, {
      'later.csv': 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nL1,450102,2023-05-01,2023-05-20,wages,union,success,1,\n',
    });
    const later = await switched(id);
    expect(await rate()).toBe(before + 1);
    await addUser(env.app.appDb, { username: 'after-backup', password: 'after-backup-1', role: 'leader' });

    await restoreBackup({ warehouse: env.warehouse, appDb: env.appDb }, backupDir());
    await switched(later);
    expect(await rate()).toBe(before);
    expect(findUser(env.app.appDb, 'after-backup')).toBeDefined();
  });

  it('--app-db refuses while a server has the application database open', async () => {
    const live = await readFile(env.warehouse);
    await expect(restoreBackup({ warehouse: env.warehouse, appDb: env.appDb }, backupDir(), { appDb: true })).rejects.toThrow(
      /is in use: stop the servers .* nothing was restored/,
    );
    expect((await readFile(env.warehouse)).equals(live)).toBe(true);
    expect(findUser(env.app.appDb, 'after-backup')).toBeDefined();
  });

  it('--app-db puts users back too (servers stopped)', async () => {
    await env.app.close();
    await restoreBackup({ warehouse: env.warehouse, appDb: env.appDb }, backupDir(), { appDb: true });
    const app = await buildApp({ warehouse: env.warehouse, appDb: env.appDb, logger: false });
    try {
      expect(findUser(app.appDb, 'after-backup')).toBeUndefined();
      expect(findUser(app.appDb, 'analyst')).toBeDefined();
      const res = await app.inject({ url: '/api/meta', headers: { cookie: await login(app, 'analyst', 'analyst-demo') } });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a damaged backup restores nothing', async () => {
    const file = path.join(backupDir(), 'warehouse.duckdb');
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(file, bytes);
    const live = await readFile(env.warehouse);
    await expect(restoreBackup({ warehouse: env.warehouse, appDb: env.appDb }, backupDir())).rejects.toThrow(/damaged, nothing was restored/);
    expect((await readFile(env.warehouse)).equals(live)).toBe(true);
  });
});
