// A load that cannot write its snapshot: the disk fills up (a file size limit, RLIMIT_FSIZE, makes
// every write past it fail with EFBIG exactly as a full disk fails with ENOSPC), or the data directory
// is read-only. The CLI exits non-zero with one line naming the directory and the cause, leaves no
// half-built copy, and the live snapshot is unchanged and still serves.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { repoRoot } from '../../core/paths.ts';
import { writeFailure } from '../../etl/write-error.ts';
import { login, testEnv } from '../server/helpers.ts';
import { etlLoadCommand, fileSha256 } from '../helpers/etl.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const HEADER = ['member_id', 'county_code', 'plan_year', 'plan', 'enrolled_date', 'contribution_yuan'];
const NOBODY = 65534;
const root = process.getuid?.() === 0;

/**
 * How root runs the loader without privileges: as the checkout's owner (who can read etl/ and
 * node_modules even when the checkout sits in a 0700 directory, where nobody cannot) with every
 * capability dropped, so file permissions bind it like any user; or the reason when this
 * machine cannot (no setpriv, or no right to drop capabilities).
 */
function unprivilegedPrefix(): { prefix: string[] } | { reason: string } {
  const { uid, gid } = statSync(repoRoot);
  const prefix = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--'];
  const probe = spawnSync(prefix[0]!, [...prefix.slice(1), 'true']);
  if (probe.error) return { reason: `setpriv (util-linux) is needed to run the loader without root's privileges: ${probe.error.message}` };
  if (probe.status !== 0) return { reason: `setpriv cannot drop root's capabilities here: ${String(probe.stderr).trim()}` };
  return { prefix };
}

/** Run `etl load` (optionally without privileges, or under `ulimit -f`); resolves with its exit code and output. */
async function etlLoad(args: string[], opts: { unprivileged?: string[]; fileBlocks?: number } = {}) {
  const cli = etlLoadCommand(...args);
  const limited = opts.fileBlocks ? ['sh', '-c', `ulimit -f ${opts.fileBlocks} && exec "$@"`, 'sh', ...cli] : cli;
  const [cmd, ...argv] = [...(opts.unprivileged ?? []), ...limited];
  const child = spawn(cmd!, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout, stderr };
}

describe('write faults during a load', () => {
  let dir: string;
  let data: string;
  let live: string;
  let liveHash: string;
  let big: string;

  beforeAll(async () => {
    dir = await tempDir();
    await chmod(dir, 0o755); // the loader may run as another user: it must reach the inputs
    data = path.join(dir, 'data');
    await mkdir(data);
    live = path.join(data, 'warehouse.duckdb');
    await loadFiles({ warehouse: live, inputs: [await writeCsv(path.join(dir, 'live.csv'), HEADER, [['K1', '450102', '2023', 'inpatient', '2023-01-02', '40']])] });
    liveHash = await fileSha256(live);
    big = await writeCsv(path.join(dir, 'month.csv'), HEADER, Array.from({ length: 100_000 }, (_, i) => [`M${i}`, '450102', '2024', 'inpatient', '2024-01-02', '45']));
  });

  async function expectLiveUntouchedAndServing(): Promise<void> {
    expect(await fileSha256(live)).toBe(liveHash);
    expect(await readdir(data)).toEqual(['warehouse.duckdb']);
    expect(await query(live, `SELECT member_id FROM fact_insurance_enrolment`)).toEqual([{ member_id: 'K1' }]);
    const env = await testEnv({ warehouse: live });
    try {
      const cookie = await login(env.app, 'analyst', 'analyst-demo');
      const res = await env.app.inject({ url: '/api/insurance/members?unit=450102', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ years: [{ year: 2023, members: 1 }] });
    } finally {
      await env.close();
    }
  }

  it('disk full (writes past a file size limit fail): exit 1, one line naming the directory and the cause', async () => {
    // Room for the copy of the live snapshot, not for the month on top of it.
    const blocks = Math.ceil((await stat(live)).size / 512) + 2_048;
    const { code, stdout, stderr } = await etlLoad([big, '--warehouse', live], { fileBlocks: blocks });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `错误 / error: 无法写入 ${data} / cannot write to ${data}: 超出文件大小限制 / the file size limit (ulimit -f) is reached; 现有数据未改动 / the live snapshot is unchanged\n`,
    );
    await expectLiveUntouchedAndServing();
  }, 60_000);

  // Only root can hand the directory to another owner; root itself would write there regardless.
  it.skipIf(!root)('read-only data directory (chmod 555, the loader not root): exit 1, one line naming it', async (ctx) => {
    const unprivileged = unprivilegedPrefix();
    if ('reason' in unprivileged) return ctx.skip(unprivileged.reason);
    await chown(data, NOBODY, NOBODY);
    await chmod(data, 0o555);
    try {
      const { code, stdout, stderr } = await etlLoad([big, '--warehouse', live], { unprivileged: unprivileged.prefix });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `错误 / error: 无法写入 ${data} / cannot write to ${data}: 没有写权限 / no permission to write there; 现有数据未改动 / the live snapshot is unchanged\n`,
      );
    } finally {
      await chmod(data, 0o755);
    }
    await expectLiveUntouchedAndServing();
  }, 60_000);
});

describe('which failures are the data directory\'s', () => {
  const denied = (file: string) => Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES', path: file });

  it('a county file the loader may not read is not reported as the data directory refusing writes', () => {
    expect(writeFailure(denied('/inbox/2026-11/a.csv'), '/srv/cockpit/data')).toBeNull();
  });

  it('a refusal in the data directory, or a full disk anywhere, is one sentence naming where', () => {
    expect(writeFailure(denied('/srv/cockpit/data/warehouse.duckdb.next-1'), '/srv/cockpit/data')?.message).toMatch(
      /^无法写入 \/srv\/cockpit\/data \/ cannot write to \/srv\/cockpit\/data: .*no permission to write there; .*the live snapshot is unchanged$/,
    );
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/tmp/uc-stage-1-x/utf8.csv' });
    expect(writeFailure(full, '/srv/cockpit/data')?.message).toMatch(/cannot write to \/tmp\/uc-stage-1-x: .*the disk is full/);
  });
});
