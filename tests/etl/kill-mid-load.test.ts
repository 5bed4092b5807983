// A loader killed with SIGKILL at any moment leaves the live warehouse exactly as it was, and the
// next load succeeds (and removes the half-built snapshot).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { repoRoot } from '../../core/paths.ts';
import { etlLoadCommand, fileSha256 } from '../helpers/etl.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const counties = ['450102', '450103', '450105', '450107', '450108', '450109', '450110', '450123'];
const header = 'member_id,county_code,plan_year,plan,enrolled_date,contribution_yuan\n';

async function bigEnrolmentFile(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write(header);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `M${i},${counties[i % 8]},2024,inpatient,2024-01-${String(1 + (i % 28)).padStart(2, '0')},45\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function startLoader(warehouse: string, file: string) {
  const [node, ...argv] = etlLoadCommand(file, '--warehouse', warehouse, '--json');
  return spawn(node, argv, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('killing the loader mid-load', () => {
  let dir: string;
  let wh: string;
  let big: string;
  let liveHash: string;

  beforeAll(async () => {
    dir = await tempDir();
    wh = path.join(dir, 'live.duckdb');
    const small = await writeCsv(path.join(dir, 'small.csv'), header.trim().split(','), [['K1', '450102', '2023', 'inpatient', '2023-01-02', '40']]);
    await loadFiles({ warehouse: wh, inputs: [small] });
    liveHash = await fileSha256(wh);
    big = path.join(dir, 'big.csv');
    await bigEnrolmentFile(big, 1_500_000);
  });

  // Kill points spread over the load: reading, checking, merging, rebuilding marts, publishing.
  it.each([150, 600, 1200, 2000, 3000])('SIGKILL after %i ms leaves the live snapshot untouched', async (ms) => {
    const child = startLoader(wh, big);
    const exited = once(child, 'exit');
    await new Promise((r) => setTimeout(r, ms));
    child.kill('SIGKILL');
    const [code, signal] = await exited;
    const hash = await fileSha256(wh);
    if (signal === 'SIGKILL') {
      expect(hash).toBe(liveHash);
      expect(await query(wh, `SELECT member_id FROM fact_insurance_enrolment`)).toEqual([{ member_id: 'K1' }]);
    } else {
      // The load finished before the kill: then it must have published completely.
      expect(code).toBe(0);
      expect(await query(wh, `SELECT count(*)::INTEGER AS n FROM fact_insurance_enrolment`)).toEqual([{ n: 1_500_001 }]);
      liveHash = hash;
    }
  });

  it('the next load succeeds and removes abandoned half-built snapshots and work directories', async () => {
    // A work directory as a killed loader leaves it (named after its dead pid), and one of a live loader.
    const gone = spawn(process.execPath, ['-e', '']);
    await once(gone, 'exit');
    const abandoned = path.join(tmpdir(), `uc-stage-${gone.pid}-test`);
    const running = path.join(tmpdir(), `uc-stage-${process.pid}-test`);
    // DuckDB's spill directory beside a killed load's snapshot.
    const spill = path.join(dir, `live.duckdb.next-${gone.pid}.tmp`);
    for (const d of [abandoned, running, spill]) await mkdir(d, { recursive: true });
    await writeFile(path.join(spill, 'duckdb_temp_storage-0.tmp'), 'x');
    try {
      const child = startLoader(wh, big);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(await query(wh, `SELECT count(*)::INTEGER AS n FROM fact_insurance_enrolment`)).toEqual([{ n: 1_500_001 }]);
      expect((await readdir(dir)).filter((n) => n.includes('.next-'))).toEqual([]);
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(running)).toBe(true);
    } finally {
      await rm(running, { recursive: true, force: true });
    }
  });
});
