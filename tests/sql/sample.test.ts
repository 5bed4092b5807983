// The whole default sample (fixtures/sample) loaded the way `npm run etl -- load` loads it, scored with
// the real catalog: every SQL check in tests/sql/checks/ returns no rows, composites stay within 0-100
// and every county has a rank in every period.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDir } from '../../core/paths.ts';
import { query } from '../helpers/warehouse.ts';
import { warehouseOf } from '../helpers/warehouse-cache.ts';

const checksDir = path.join(import.meta.dirname, 'checks');
const checks = (await readdir(checksDir)).filter((f) => f.endsWith('.sql')).sort();

let wh: string; // read only: the run's shared sample warehouse, built by etl/load.ts loadFiles
beforeAll(async () => {
  wh = await warehouseOf([sampleDir]);
});

describe('the default sample', () => {
  it.each(checks)('check %s returns no rows', async (file) => {
    const sql = await readFile(path.join(checksDir, file), 'utf8');
    expect(await query(wh, `SELECT * FROM (${sql}) LIMIT 10`)).toEqual([]);
  });

  it('scores every year from 2020 and every ended quarter; 2026 is the year to date', async () => {
    const periods = await query<{ period: string; is_year_end: boolean; is_latest: boolean }>(
      wh,
      `SELECT period, is_year_end, is_latest FROM score_period WHERE period_kind = 'year' ORDER BY period`,
    );
    expect(periods.map((p) => p.period)).toEqual(['2020', '2021', '2022', '2023', '2024', '2025', '2026']);
    expect(periods.at(-1)).toEqual({ period: '2026', is_year_end: false, is_latest: true });
    const [q] = await query(wh, `SELECT count(*)::INTEGER AS n, max(period) AS last FROM score_period WHERE period_kind = 'quarter'`);
    expect(q).toEqual({ n: 27, last: '2026-Q3' });
  });

  it('compares each period with the previous one on the same footing (full year with full year, in-year with in-year)', async () => {
    const prev = await query<{ period: string; prev_period: string }>(
      wh,
      `SELECT period, prev_period FROM score_period WHERE period IN ('2026', '2026-Q3', '2026-Q1', '2025', '2025-Q4', '2020') ORDER BY period`,
    );
    expect(Object.fromEntries(prev.map((p) => [p.period, p.prev_period]))).toEqual({
      '2020': null,
      '2025': '2024',
      '2025-Q4': '2024-Q4',
      '2026': '2026-Q3',
      '2026-Q1': '2025-Q1',
      '2026-Q3': '2026-Q2',
    });
  });

  it('every composite is within 0-100 and every county and city has a rank in every period', async () => {
    const [c] = await query(
      wh,
      `SELECT min(composite) >= 0 AND max(composite) <= 100 AS in_range, count(*) FILTER (WHERE composite IS NULL)::INTEGER AS without
       FROM unit_score`,
    );
    expect(c).toEqual({ in_range: true, without: 0 });
    const ranked = await query<{ unit_level: string; periods: number; units: number; rows: number }>(
      wh,
      `SELECT unit_level, count(DISTINCT period)::INTEGER AS periods, count(DISTINCT unit_code)::INTEGER AS units,
              count(rank_province)::INTEGER AS rows
       FROM unit_rank GROUP BY ALL ORDER BY unit_level`,
    );
    expect(ranked).toEqual([
      { unit_level: 'city', periods: 34, units: 14, rows: 14 * 34 },
      { unit_level: 'county', periods: 34, units: 111, rows: 111 * 34 },
    ]);
  });

  it('the scores are spread enough to rank: counties differ in the latest full year', async () => {
    const [s] = await query<{ lo: number; hi: number; distinct_ranks: number }>(
      wh,
      `SELECT min(composite) AS lo, max(composite) AS hi, count(DISTINCT rank_province)::INTEGER AS distinct_ranks
       FROM unit_rank WHERE period = '2025' AND unit_level = 'county'`,
    );
    expect(s.hi - s.lo).toBeGreaterThan(10);
    expect(s.distinct_ranks).toBeGreaterThan(100);
  });

  it('every score names the catalog version that produced it', async () => {
    const versions = await query(wh, `SELECT DISTINCT catalog_version FROM indicator_score UNION SELECT DISTINCT catalog_version FROM unit_score`);
    const [catalog] = await query<{ v: string }>(wh, `SELECT max(catalog_version) AS v FROM dim_indicator`);
    expect(versions).toEqual([{ catalog_version: catalog.v }]);
  });
});
