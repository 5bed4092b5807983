// A big file's rows go into their fact table in full row groups (etl/merge.ts, etl/duck.ts insertFacts):
// inserted in the order they were read, on two threads, about every second row group was left part
// full, and the next checkpoint merged them, rewriting the table on one thread. Below, a file's checked
// rows, read as checkAsRead reads them (etl/load.ts), are merged on two threads into an empty
// warehouse and looked at before any checkpoint: each thread leaves at most one row group part full.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { streams } from '../../core/contract.ts';
import { lit, rows } from '../../etl/duck.ts';
import { mergeChecked } from '../../etl/merge.ts';
import { createWarehouse } from '../../etl/warehouse.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';

/** DuckDB's rows per row group. */
const ROW_GROUP = 122_880;
const THREADS = 2;
const ROWS = 1_000_000;
const enrolment = streams.insurance_enrolment;
const columns = enrolment.columns.map((c) => c.name);
const COUNTIES = ['450102', '450103', '450105', '450107', '450108'];

describe('merging a big file on two threads', () => {
  it('fills every row group but at most one per thread', { timeout: 180_000 }, async () => {
    const dir = await tempDir('uc-row-groups-');
    const warehouse = path.join(dir, 'warehouse.duckdb');
    await createWarehouse(warehouse);
    const csv = await writeCsv(
      path.join(dir, 'enrolment.csv'),
      columns,
      Array.from({ length: ROWS }, (_, i) => [`M${i}`, COUNTIES[i % 5], 2025, 'inpatient', `2025-0${1 + (i % 9)}-1${i % 10}`, 60 + (i % 3) * 10]),
    );
    const db = await DuckDBInstance.create(warehouse, { threads: String(THREADS) });
    const conn = await db.connect();
    try {
      await conn.run(`SET checkpoint_threshold = '1GB'`); // nothing merges row groups before they are counted
      await conn.run(
        `CREATE TEMP TABLE checked AS
         SELECT *, true AS ok, 0 AS __line
         FROM read_csv(${lit(csv)}, header = true, auto_detect = false,
           columns = {'member_id': 'VARCHAR', 'county_code': 'VARCHAR', 'plan_year': 'INTEGER', 'plan': 'VARCHAR',
                      'enrolled_date': 'DATE', 'contribution_yuan': 'DECIMAL(12, 2)'});
         UPDATE checked SET __line = (rowid + 2)::INTEGER;`,
      );
      const counts = await mergeChecked(conn, enrolment, columns, 1, { firstBatch: 1 });
      expect(counts.accepted).toBe(ROWS);
      const [groups] = await rows<{ groups: number; partial: number; rows: number }>(
        conn,
        `SELECT count(*)::INTEGER AS groups, count(*) FILTER (WHERE n < ${ROW_GROUP})::INTEGER AS partial, sum(n)::INTEGER AS rows
         FROM (SELECT row_group_id, max(count) AS n FROM pragma_storage_info('fact_insurance_enrolment') GROUP BY ALL)`,
      );
      expect(groups.rows).toBe(ROWS);
      expect(groups.partial).toBeLessThanOrEqual(THREADS);
      expect(groups.groups).toBeLessThanOrEqual(Math.floor(ROWS / ROW_GROUP) + THREADS);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
