// Many files of one stream merged into the fact table together: the rows of a publish of 111 county
// months are held as each file is read and checked together (etl/load.ts), then the fact table is
// scanned once for all of them instead of once per file. The outcome is, row for row, that of merging the files one after another
// in load order (mergeChecked): a key repeated within a file rejects its later lines; a key given by an
// earlier file of this load (an earlier batch here, or a file merged before them) rejects the later
// file's row, naming the earlier file and line; rows equal to the warehouse are left alone; other
// matches replace the warehouse's row; new keys are inserted. Each file keeps its own batch id, counts
// and rejects.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Stream } from '../core/contract.ts';
import { ident, lit, rows, run } from './duck.ts';
import { earlierFileReason, firstMonthOf, sameFileReason, unchangedTable, widenScope, type LoadScope, type MergeCounts } from './merge.ts';

/** A held file: its batch (in load order) and the header naming its first key column. */
export interface MergedFile {
  batchId: number;
  file: string;
  keyHeader: string;
}

/** A duplicate found by the merge, with the file's values as sent (for the fix-and-resend rows). */
export interface HeldDuplicate {
  batchId: number;
  line: number;
  reason: string;
  /** contract column -> value as sent */
  sent: Record<string, string | null>;
}

export interface HeldOutcome {
  counts: Map<number, MergeCounts & { duplicates: number }>;
  duplicates: HeldDuplicate[];
}

/** The staged rows (the view `stg`) of the held files of a stream, with their batch. */
export const heldStagedTable = (stream: Stream) => `held_stg_${stream.name}`;
const sent = (column: string) => ident(`sent:${column}`);

/** Appends the staging view `stg` (a file's rows as sent) to the stream's held rows under `batchId`. */
export async function holdStaged(conn: DuckDBConnection, stream: Stream, batchId: number): Promise<void> {
  const held = heldStagedTable(stream);
  const select = `SELECT ${batchId}::INTEGER AS __batch, * FROM stg`;
  await run(conn, `CREATE TEMP TABLE IF NOT EXISTS ${held} AS ${select} LIMIT 0; INSERT INTO ${held} ${select};`);
}

/** Appends the files staged together (the view `stg_many`, etl/read/stage.ts) to the stream's held rows,
 * the n-th file's under `batchIds[n]`, each file's rows in their order as holdStaged appends them. */
export async function holdStagedTogether(conn: DuckDBConnection, stream: Stream, batchIds: number[]): Promise<void> {
  const held = heldStagedTable(stream);
  const select = `SELECT ([${batchIds.join(', ')}])[__file + 1]::INTEGER AS __batch, * EXCLUDE (__file, __row) FROM stg_many`;
  await run(conn, `CREATE TEMP TABLE IF NOT EXISTS ${held} AS ${select} LIMIT 0; INSERT INTO ${held} ${select} ORDER BY __file, __row;`);
}

/**
 * Merges the ok rows of `checked_held` (the held files' rows checked, with their batch; etl/load.ts) of
 * `files` (in load order, all of `stream`) into the fact table, and drops them and the held rows. The
 * duplicates it finds are written to load_reject under their file's batch.
 */
export async function mergeHeld(
  conn: DuckDBConnection,
  stream: Stream,
  factColumns: string[],
  files: MergedFile[],
  scope: LoadScope,
): Promise<HeldOutcome> {
  const keys = stream.key.map(ident);
  const keyList = (t: string) => keys.map((k) => `${t}.${k}`).join(', ');
  const on = (a: string, b: string) => keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const keyHash = (t: string) => `hash(${keyList(t)})`;
  const cols = factColumns.map(ident);
  const seen = unchangedTable(stream);
  const isDup = (t: string) => `EXISTS (SELECT 1 FROM held_dups d WHERE d.__batch = ${t}.__batch AND d.__line = ${t}.__line)`;
  const fileOf = files.map((f) => `(${f.batchId}, ${lit(f.file)}, ${lit(f.keyHeader)})`).join(', ');
  await run(
    conn,
    `CREATE TEMP TABLE IF NOT EXISTS ${seen} (key_hash UBIGINT, batch_id INTEGER, line INTEGER);
     -- Each row with its file's first line of the same key: a later line is a duplicate within its file.
     CREATE OR REPLACE TEMP TABLE merging AS
       SELECT c.__batch, c.__line, ${cols.map((c) => `c.${c}`).join(', ')}, ${stream.columns.map((c) => `s.${ident(c.name)} AS ${sent(c.name)}`).join(', ')},
              min(c.__line) OVER (PARTITION BY c.__batch, ${keyList('c')}) AS __own_first
       FROM checked_held c JOIN ${heldStagedTable(stream)} s USING (__batch, __line) WHERE c.ok;
     DROP TABLE checked_held; DROP TABLE ${heldStagedTable(stream)};
     CREATE OR REPLACE TEMP TABLE held_dups AS
       SELECT __batch, __line, ${keys[0]} AS key_value, ${sameFileReason('__own_first')} AS reason
       FROM merging WHERE __line <> __own_first;
     -- The warehouse's rows with the same keys as the files' first lines: where they are (rowid, for the
     -- delete below: the fact table is scanned once for all the files, here) and the month they count in.
     CREATE OR REPLACE TEMP TABLE matched AS
       SELECT a.__batch, a.__line, f.batch_id, f.line, f.rowid AS fact_row, ${firstMonthOf(stream, 'f')} AS fact_month,
              row(${cols.map((c) => `a.${c}`).join(', ')}) IS NOT DISTINCT FROM row(${cols.map((c) => `f.${c}`).join(', ')}) AS same
       FROM merging a JOIN ${stream.table} f ON ${on('a', 'f')} WHERE a.__line = a.__own_first;
     -- Given earlier in this load, before these files: written by it, or left alone by it.
     INSERT INTO held_dups
       SELECT a.__batch, a.__line, a.${keys[0]}, ${earlierFileReason('m.line', 'b.file_name')}
       FROM merging a JOIN matched m USING (__batch, __line) JOIN load_batch b ON b.batch_id = m.batch_id
       WHERE m.batch_id >= ${scope.firstBatch};
     INSERT INTO held_dups
       SELECT a.__batch, a.__line, a.${keys[0]}, ${earlierFileReason('s.line', 'b.file_name')}
       FROM merging a JOIN ${seen} s ON s.key_hash = ${keyHash('a')} JOIN load_batch b ON b.batch_id = s.batch_id
       WHERE a.__line = a.__own_first AND (SELECT count(*) FROM ${seen}) > 0 AND NOT ${isDup('a')};
     -- Given by an earlier one of these files: its first line of the key stands, the later files' are duplicates.
     INSERT INTO held_dups
       WITH open AS (SELECT * FROM merging a WHERE a.__line = a.__own_first AND NOT ${isDup('a')}),
       ranked AS (
         SELECT __batch, __line, ${keys.join(', ')},
                first_value(__batch) OVER by_key AS win_batch, first_value(__line) OVER by_key AS win_line
         FROM open WINDOW by_key AS (PARTITION BY ${keys.join(', ')} ORDER BY __batch)
       )
       SELECT r.__batch, r.__line, r.${keys[0]}, ${earlierFileReason('r.win_line', 'b.file_name')}
       FROM ranked r JOIN load_batch b ON b.batch_id = r.win_batch WHERE r.__batch <> r.win_batch;
     DELETE FROM matched m WHERE ${isDup('m')};
     INSERT INTO ${seen} SELECT ${keyHash('a')}, a.__batch, a.__line FROM merging a JOIN matched m USING (__batch, __line) WHERE m.same;
     INSERT INTO load_reject
       SELECT d.__batch, k.file, d.__line, k.key_header, d.key_value, d.reason
       FROM held_dups d JOIN (VALUES ${fileOf}) k(batch_id, file, key_header) ON k.batch_id = d.__batch;`,
  );
  const perBatch = await rows<{ b: number; rows: number; duplicates: number; replaced: number; unchanged: number }>(
    conn,
    `SELECT b, coalesce(n.rows, 0)::INTEGER AS rows, coalesce(d.n, 0)::INTEGER AS duplicates,
            coalesce(m.replaced, 0)::INTEGER AS replaced, coalesce(m.unchanged, 0)::INTEGER AS unchanged
     FROM (SELECT unnest([${files.map((f) => f.batchId).join(', ')}]) AS b) f
     LEFT JOIN (SELECT __batch, count(*) AS rows FROM merging GROUP BY 1) n ON n.__batch = b
     LEFT JOIN (SELECT __batch, count(*) AS n FROM held_dups GROUP BY 1) d ON d.__batch = b
     LEFT JOIN (SELECT __batch, count(*) FILTER (NOT same) AS replaced, count(*) FILTER (same) AS unchanged FROM matched GROUP BY 1) m ON m.__batch = b`,
  );
  const counts = new Map(perBatch.map((c) => [c.b, { accepted: c.rows - c.duplicates, replaced: c.replaced, unchanged: c.unchanged, duplicates: c.duplicates }]));
  const written = (t: string) => `${t}.__line = ${t}.__own_first AND NOT ${isDup(t)}
    AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.__batch = ${t}.__batch AND m.__line = ${t}.__line AND m.same)`;
  const total = (k: 'accepted' | 'replaced' | 'unchanged') => perBatch.reduce((n, c) => n + (k === 'accepted' ? c.rows - c.duplicates : c[k]), 0);
  if (total('accepted') > total('unchanged')) {
    // Before the replaced rows go: the first month of the rows written and of the rows they replace.
    const [{ m }] = await rows<{ m: number | null }>(
      conn,
      `SELECT min(m)::INTEGER AS m FROM (
         SELECT ${firstMonthOf(stream, 'a')} AS m FROM merging a WHERE ${written('a')}
         UNION ALL
         SELECT fact_month FROM matched WHERE NOT same)`,
    );
    if (m !== null) widenScope(scope, m);
  }
  // Nothing has written the fact table since matched was made, so its rowids still name those rows.
  if (total('replaced') > 0) await run(conn, `DELETE FROM ${stream.table} WHERE rowid IN (SELECT fact_row FROM matched WHERE NOT same)`);
  await run(
    conn,
    `INSERT INTO ${stream.table} (${cols.join(', ')}, batch_id, line)
     SELECT ${cols.map((c) => `a.${c}`).join(', ')}, a.__batch, a.__line FROM merging a WHERE ${written('a')} ORDER BY a.__batch, a.__line`,
  );
  const dupRows = perBatch.some((c) => c.duplicates > 0)
    ? await rows<Record<string, string | null> & { __batch: number; __line: number; reason: string }>(
        conn,
        `SELECT d.__batch, d.__line, d.reason, ${stream.columns.map((c) => `a.${sent(c.name)}`).join(', ')}
         FROM held_dups d JOIN merging a USING (__batch, __line) ORDER BY d.__batch, d.__line`,
      )
    : [];
  await run(conn, `DROP TABLE merging; DROP TABLE matched; DROP TABLE held_dups;`);
  return {
    counts,
    duplicates: dupRows.map((r) => ({
      batchId: r.__batch,
      line: r.__line,
      reason: r.reason,
      sent: Object.fromEntries(stream.columns.map((c) => [c.name, r[`sent:${c.name}`] as string | null])),
    })),
  };
}
