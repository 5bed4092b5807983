// A load in which every row is rejected changed nothing: it publishes no snapshot, says so, and fails
// (exit code 1), so that neither the data officer nor a script takes it for a published month. The
// rejects are reported as for any load, to fix and load again.
import { execFile as execFileCb } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { etlLoadCommand, fileSha256 } from '../helpers/etl.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

const execFile = promisify(execFileCb);

const header = ['claim_id', 'member_id', 'county_code', 'plan_year', 'submitted_date', 'paid_date', 'amount_yuan', 'status'];
const claim = (id: string, county: string, amount: string) => [id, 'P-1', county, '2023', '2023-03-01', '2023-03-08', amount, 'paid'];

/** The CLI's load as a data officer runs it: its exit code and output. */
async function etlLoad(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [node, ...argv] = etlLoadCommand(...args);
  try {
    const { stdout, stderr } = await execFile(node, argv);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
let live: string;
let rejectedOnly: string;
beforeAll(async () => {
  dir = await tempDir('uc-nothing-accepted-');
  live = path.join(dir, 'live.duckdb');
  await loadFiles({ warehouse: live, inputs: [await writeCsv(path.join(dir, 'good.csv'), header, [claim('C1', '450102', '100')])] });
  // Not a county code, not an amount: every row is rejected.
  rejectedOnly = await writeCsv(path.join(dir, 'all-bad.csv'), header, [claim('C2', '999999', '100'), claim('C3', '450102', 'lots')]);
});

describe('a load whose every row is rejected', () => {
  it('publishes nothing, says so, exits 1 and still writes the rejects to fix', { timeout: 120_000 }, async () => {
    const before = await fileSha256(live);
    const report = path.join(dir, 'report');
    const run = await etlLoad(rejectedOnly, '--warehouse', live, '--report', report);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('未发布：没有一行通过检查，现有数据未改动 / not published: no row was accepted');
    expect(run.stdout).not.toContain('已发布 / published');
    expect(await fileSha256(live)).toBe(before);
    const rejects = await readFile(path.join(report, 'all-bad.rejects.csv'), 'utf8');
    expect(rejects.trim().split('\r\n')).toHaveLength(3); // the header and both rows
  });

  it('--json says published: false, with the same exit code', { timeout: 120_000 }, async () => {
    const run = await etlLoad(rejectedOnly, '--warehouse', live, '--report', path.join(dir, 'report-json'), '--json');
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as { published: boolean; engine: unknown; files: { accepted: number; rejected: number }[] };
    expect(summary).toMatchObject({ published: false, engine: null, files: [{ accepted: 0, rejected: 2 }] });
  });

  it('makes no warehouse where there was none, and does not call it unchanged', { timeout: 120_000 }, async () => {
    const none = path.join(dir, 'none.duckdb');
    const run = await etlLoad(rejectedOnly, '--warehouse', none, '--report', path.join(dir, 'report-none'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`未发布：没有一行通过检查，未创建数据仓库 / not published: no row was accepted, no warehouse was made at ${none}`);
    expect(run.stdout).not.toContain('is unchanged');
    expect(existsSync(none)).toBe(false);
  });

  it('a load in which one file has rows accepted publishes, exit 0', { timeout: 120_000 }, async () => {
    const good = await writeCsv(path.join(dir, 'good-2.csv'), header, [claim('C4', '450102', '400')]);
    const before = await fileSha256(live);
    const run = await etlLoad(rejectedOnly, good, '--warehouse', live, '--report', path.join(dir, 'report-mixed'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('已发布 / published');
    expect(await fileSha256(live)).not.toBe(before);
  });
});
