// One writer at a time: two loads started together both land (neither rename drops the other's rows),
// a writer waits for a live holder of the lock and says who it is, and a lock left by a killed process
// is taken over.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { lockFileOf } from '../../etl/writer-lock.ts';
import { repoRoot } from '../../core/paths.ts';
import { etlLoadCommand } from '../helpers/etl.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const header = ['member_id', 'county_code', 'plan_year', 'plan', 'enrolled_date', 'contribution_yuan'];
const members = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => [`${prefix}${i}`, '450102', '2024', 'inpatient', `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`, '45']);

function startLoad(warehouse: string, file: string) {
  const [node, ...argv] = etlLoadCommand(file, '--warehouse', warehouse, '--json');
  const child = spawn(node, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = once(child, 'exit').then(([code]) => ({ code: code as number, stderr }));
  return { child, done, stderr: () => stderr };
}

const count = async (wh: string) => (await query<{ n: number }>(wh, 'SELECT count(*)::INTEGER AS n FROM fact_insurance_enrolment'))[0].n;

describe('the writer lock', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
  });

  it('two loads started at the same moment both land: no rows lost', async () => {
    const wh = path.join(dir, 'together.duckdb');
    await loadFiles({ warehouse: wh, inputs: [await writeCsv(path.join(dir, 'seed.csv'), header, members('S', 10))] });
    const a = await writeCsv(path.join(dir, 'a.csv'), header, members('A', 20_000));
    const b = await writeCsv(path.join(dir, 'b.csv'), header, members('B', 20_000));
    const [ra, rb] = await Promise.all([startLoad(wh, a).done, startLoad(wh, b).done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(await count(wh)).toBe(10 + 20_000 + 20_000);
    // The lock is released: nothing is left beside the warehouse.
    expect(existsSync(lockFileOf(wh))).toBe(false);
  }, 120_000);

  it('a load waits while a live process holds the lock, naming its pid, and runs once it is gone', async () => {
    const wh = path.join(dir, 'held.duckdb');
    const file = await writeCsv(path.join(dir, 'held.csv'), header, members('H', 5));
    const holder = spawn('sleep', ['60']);
    await writeFile(lockFileOf(wh), `${holder.pid} someone-else\n`);
    const load = startLoad(wh, file);
    await expect.poll(load.stderr, { timeout: 30_000, interval: 200 }).toContain(`waiting for pid ${holder.pid}`);
    expect(existsSync(wh)).toBe(false); // nothing written while the lock is held
    holder.kill('SIGKILL'); // the holder dies without releasing the lock: it is taken over
    const r = await load.done;
    expect(r.code, r.stderr).toBe(0);
    expect(await count(wh)).toBe(5);
    expect(existsSync(lockFileOf(wh))).toBe(false);
  }, 20_000);

  it('a lock left by a killed process is taken over at once', async () => {
    const wh = path.join(dir, 'dead.duckdb');
    const dead = spawn('true');
    await once(dead, 'exit');
    await writeFile(lockFileOf(wh), `${dead.pid} killed-load\n`);
    const summary = await loadFiles({ warehouse: wh, inputs: [await writeCsv(path.join(dir, 'dead.csv'), header, members('D', 3))] });
    expect(summary.files[0].accepted).toBe(3);
    expect(await count(wh)).toBe(3);
    expect(existsSync(lockFileOf(wh))).toBe(false);
  });
});
