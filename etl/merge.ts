// One checked file into the fact table. Rows repeating a key within the file or earlier in this load
// are rejected; rows identical to the warehouse are left alone (so loading the same file twice
// changes nothing, not even lineage); rows whose key exists with other values replace it; new rows
// are inserted.
//
// Earlier files of this load are found through the fact table itself: a row written by this load
// carries a batch_id of this load and its line. Rows left alone keep their old batch, so their keys
// are remembered in a small side table (hashes only) for the rest of the load.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Stream } from '../core/contract.ts';
import { ident, insertFacts, rows, run } from './duck.ts';

export interface MergeCounts {
  accepted: number;
  replaced: number;
  unchanged: number;
}

export interface LoadScope {
  /** the first batch_id of this load: facts with batch_id >= it were written by this load */
  firstBatch: number;
  /**
   * The first month (YYYYMM) any row this load wrote, or replaced, counts in (firstMonthOf: every date
   * of the row, a plan year, a reported period), and its year; undefined while nothing changed.
   * widenScope lowers both; the indicator engine remakes the years from changedFromYear on, and within
   * that year the scoring periods ending from changedFromMonth on (etl/warehouse.ts rebuildDerived).
   */
  changedFromYear?: number;
  changedFromMonth?: number;
}

/**
 * SQL: the first month (YYYYMM) a row of `stream` (alias `t`) counts in: its earliest date's month, the
 * first month of a reported period, January of a plan year. A funding row counts from January of its
 * year: one county-strengthening disbursement makes the programme run for the whole year (and the
 * next), which changes the year-to-date share of every month of it (metric_strengthening_year in
 * sql/indicators/20-metric-values.sql).
 */
export function firstMonthOf(stream: Stream, t: string): string {
  const months = stream.columns.flatMap((c) => {
    const col = `${t}.${ident(c.name)}`;
    if (c.value.kind === 'date') return [stream.table === 'fact_funding' ? `year(${col}) * 100 + 1` : `year(${col}) * 100 + month(${col})`];
    if (c.value.kind === 'period') {
      // 2023 -> 202301, 2023-Q2 -> 202304, 2023-07 -> 202307
      return [`left(${col}, 4)::INTEGER * 100 + CASE WHEN length(${col}) = 4 THEN 1
                 WHEN ${col}[6] = 'Q' THEN (${col}[7]::INTEGER - 1) * 3 + 1 ELSE right(${col}, 2)::INTEGER END`];
    }
    if (c.name === 'plan_year') return [`${col}::INTEGER * 100 + 1`]; // a SMALLINT: 2026 * 100 overflows it
    return [];
  });
  if (months.length === 0) throw new Error(`stream ${stream.name} has no date, period or plan year`);
  return months.length === 1 ? months[0] : `least(${months.join(', ')})`;
}

/** Lower `scope`'s first changed year and month to those of rows first counting in month key `m` (YYYYMM). */
export function widenScope(scope: LoadScope, m: number): void {
  scope.changedFromMonth = Math.min(scope.changedFromMonth ?? m, m);
  scope.changedFromYear = Math.floor(scope.changedFromMonth / 100);
}

/** The keys (hashes) of rows this load left alone, per stream, with their batch and line. */
export const unchangedTable = (stream: Stream) => `unchanged_keys_${stream.name}`;
export const sameFileReason = (line: string) =>
  `'编号重复：本文件第' || ${line} || '行已有 / duplicate key: already on line ' || ${line} || ' of this file'`;
export const earlierFileReason = (line: string, path: string) =>
  `'编号重复：本次导入的 ' || parse_filename(${path}) || ' 第' || ${line} || '行已有 / duplicate key: already on line ' || ${line}
   || ' of ' || parse_filename(${path}) || ' in this load'`;

export async function mergeChecked(
  conn: DuckDBConnection,
  stream: Stream,
  factColumns: string[],
  batchId: number,
  scope: LoadScope,
): Promise<MergeCounts> {
  const keys = stream.key.map(ident);
  const on = (a: string, b: string) => keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const keyHash = (t: string) => `hash(${keys.map((k) => `${t}.${k}`).join(', ')})`;
  const cols = factColumns.map(ident);
  const seen = unchangedTable(stream);
  await run(
    conn,
    `CREATE TEMP TABLE IF NOT EXISTS ${seen} (key_hash UBIGINT, batch_id INTEGER, line INTEGER);
     -- Twice in this file: the later lines. The keys' hashes (one integer, not the key texts) are sorted
     -- and a hash equal to the one before it repeats: half the CPU of grouping millions of distinct
     -- hashes. Only rows whose hash repeats are grouped by the keys themselves, so a hash collision
     -- costs a look, never a false duplicate.
     CREATE OR REPLACE TEMP TABLE duplicates AS
       WITH repeated_hash AS (
         SELECT key_hash FROM (
           SELECT key_hash, key_hash = lag(key_hash) OVER (ORDER BY key_hash) AS repeats
           FROM (SELECT ${keyHash('checked')} AS key_hash FROM checked WHERE ok))
         WHERE repeats
       ),
       repeated AS (
         SELECT ${keys.join(', ')}, min(__line) AS first_line FROM checked
         WHERE ok AND ${keyHash('checked')} IN (SELECT key_hash FROM repeated_hash) GROUP BY ALL HAVING count(*) > 1
       )
       SELECT c.__line, c.${keys[0]} AS key_value, ${sameFileReason('r.first_line')} AS reason
       FROM checked c JOIN repeated r ON ${on('c', 'r')} WHERE c.ok AND c.__line <> r.first_line;
     UPDATE checked SET ok = false WHERE __line IN (SELECT __line FROM duplicates);
     -- The rows of the warehouse with the same keys: where they are (rowid, for the delete below, so
     -- the fact table is scanned once per file, here) and the first year they count in.
     CREATE OR REPLACE TEMP TABLE matched AS
       SELECT a.__line, f.batch_id, f.line, f.rowid AS fact_row, ${firstMonthOf(stream, 'f')} AS fact_month,
              row(${cols.map((c) => `a.${c}`).join(', ')}) IS NOT DISTINCT FROM row(${cols.map((c) => `f.${c}`).join(', ')}) AS same
       FROM checked a JOIN ${stream.table} f ON ${on('a', 'f')} WHERE a.ok;
     -- Given earlier in this load: written by it, or left alone by it.
     INSERT INTO duplicates
       SELECT c.__line, c.${keys[0]}, ${earlierFileReason('m.line', 'b.file_name')}
       FROM checked c JOIN matched m USING (__line) JOIN load_batch b USING (batch_id)
       WHERE m.batch_id >= ${scope.firstBatch};
     INSERT INTO duplicates
       SELECT c.__line, c.${keys[0]}, ${earlierFileReason('s.line', 'b.file_name')}
       FROM checked c JOIN ${seen} s ON s.key_hash = ${keyHash('c')} JOIN load_batch b ON b.batch_id = s.batch_id
       WHERE c.ok AND (SELECT count(*) FROM ${seen}) > 0 AND c.__line NOT IN (SELECT __line FROM duplicates);
     UPDATE checked SET ok = false WHERE __line IN (SELECT __line FROM duplicates);
     DELETE FROM matched WHERE __line IN (SELECT __line FROM duplicates);
     INSERT INTO ${seen} SELECT ${keyHash('c')}, ${batchId}, c.__line FROM checked c JOIN matched m USING (__line) WHERE m.same;`,
  );
  const [counts] = await rows<{ accepted: number; replaced: number; unchanged: number }>(
    conn,
    `SELECT (SELECT count(*) FROM checked WHERE ok)::INTEGER AS accepted,
            (SELECT count(*) FROM matched WHERE NOT same)::INTEGER AS replaced,
            (SELECT count(*) FROM matched WHERE same)::INTEGER AS unchanged`,
  );
  if (counts.accepted > counts.unchanged) {
    // Before the replaced rows go: the first month of the rows written and of the rows they replace (a
    // correction moving a case from 2024 to 2026 changes 2024 too).
    const [{ m }] = await rows<{ m: number | null }>(
      conn,
      `SELECT min(m)::INTEGER AS m FROM (
         SELECT ${firstMonthOf(stream, 'a')} AS m FROM checked a
         WHERE a.ok AND a.__line NOT IN (SELECT __line FROM matched WHERE same)
         UNION ALL
         SELECT fact_month FROM matched WHERE NOT same)`,
    );
    if (m !== null) widenScope(scope, m);
  }
  if (counts.replaced > 0) {
    // Nothing has written the fact table since matched was made, so its rowids still name those rows.
    await run(conn, `DELETE FROM ${stream.table} WHERE rowid IN (SELECT fact_row FROM matched WHERE NOT same)`);
  }
  const skip = counts.unchanged > 0 ? `AND __line NOT IN (SELECT __line FROM matched WHERE same)` : '';
  await insertFacts(conn, counts.accepted - counts.unchanged, () =>
    run(
      conn,
      `INSERT INTO ${stream.table} (${cols.join(', ')}, batch_id, line)
       SELECT ${cols.join(', ')}, ${batchId}, __line FROM checked WHERE ok ${skip};`,
    ),
  );
  await run(conn, 'DROP TABLE matched');
  return counts;
}
