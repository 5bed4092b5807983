// npm start's first-start progress (etl/first-load.ts, shown by server/preparing.ts) never goes back:
// both generator processes' rows are expected from the first report on, not added when the second
// one first reports (which took the page from 60% back to 50%).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FirstLoadProgress } from '../../core/first-load-progress.ts';
import { generateAndLoad } from '../../etl/first-load.ts';
import { expectedRows } from '../../etl/generate/index.ts';
import { percentDone } from '../../server/preparing.ts';
import { tempDir } from '../helpers/tmp.ts';

const JOB = { scale: 0.004, seed: 1, until: '2026-10', today: '2026-11-20' };

describe('first-start progress', () => {
  const reports: FirstLoadProgress[] = [];
  beforeAll(async () => {
    const dir = await tempDir('uc-first-progress-');
    await generateAndLoad({ ...JOB, out: path.join(dir, 'generated'), warehouse: path.join(dir, 'first.duckdb'), onProgress: (p) => reports.push(p) });
  }, 600_000);

  it('expects both parts\' rows from the first report', () => {
    const both = expectedRows({ ...JOB, part: 'insurance' }) + expectedRows({ ...JOB, part: 'others' });
    expect(expectedRows(JOB)).toBe(both); // the parts are the whole generation
    expect(reports[0]).toMatchObject({ phase: 'generate', rowsGenerated: 0, rowsExpected: both });
    // A total changes only at a part's end, growing to the rows it wrote (the estimate is an estimate).
    for (const r of reports) expect(r.rowsExpected).toBeGreaterThanOrEqual(both);
  });

  it('never goes back: rows, their share, the phase and the page\'s percentage', () => {
    expect(reports.length).toBeGreaterThan(3);
    const phases = ['generate', 'load', 'scores'];
    for (const [i, r] of reports.entries()) {
      if (i === 0) continue;
      const before = reports[i - 1];
      expect(r.rowsGenerated, `report ${i}`).toBeGreaterThanOrEqual(before.rowsGenerated);
      expect(r.rowsGenerated / r.rowsExpected, `report ${i}`).toBeGreaterThanOrEqual(before.rowsGenerated / before.rowsExpected);
      expect(phases.indexOf(r.phase), `report ${i}`).toBeGreaterThanOrEqual(phases.indexOf(before.phase));
      const at = (data: FirstLoadProgress) => percentDone({ data, web: 'building', startedAt: 0 });
      expect(at(r), `report ${i}`).toBeGreaterThanOrEqual(at(before));
    }
    const last = reports.at(-1)!;
    expect(last.phase).toBe('scores');
    expect(last.rowsGenerated).toBe(last.rowsExpected); // all generated
  });
});
