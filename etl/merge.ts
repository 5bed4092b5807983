// One staged and checked file into the fact table: reject rows with problems and keys already seen in
// this load, replace rows whose key exists with different values, leave identical rows alone (so
// loading the same file twice changes nothing, not even lineage), insert new rows.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Stream } from './contract/streams.ts';
import { ident, lit, rows, run } from './duck.ts';

export interface MergeCounts {
  accepted: number;
  rejectedRows: number;
  replaced: number;
  unchanged: number;
}

const seenTable = (stream: Stream) => `seen_${stream.name}`;

/** Keys accepted earlier in this load, per stream, to reject an id given twice. */
export async function startLoad(conn: DuckDBConnection, stream: Stream): Promise<void> {
  const keys = stream.key.map(ident).join(', ');
  await run(
    conn,
    `CREATE TEMP TABLE IF NOT EXISTS ${seenTable(stream)} AS
     SELECT ${keys}, ''::VARCHAR AS file_name, 0 AS line FROM ${stream.table} LIMIT 0`,
  );
}

export async function mergeChecked(
  conn: DuckDBConnection,
  stream: Stream,
  factColumns: string[],
  batchId: number,
  fileName: string,
): Promise<MergeCounts> {
  const keys = stream.key.map(ident);
  const on = (a: string, b: string) => keys.map((k) => `${a}.${k} = ${b}.${k}`).join(' AND ');
  const cols = factColumns.map(ident);
  const seen = seenTable(stream);
  await run(
    conn,
    `CREATE OR REPLACE TEMP TABLE candidates AS SELECT * EXCLUDE (problems) FROM checked WHERE len(problems) = 0;
     CREATE OR REPLACE TEMP TABLE repeated AS
       SELECT ${keys.join(', ')}, min(__line) AS first_line FROM candidates GROUP BY ALL HAVING count(*) > 1;
     CREATE OR REPLACE TEMP TABLE duplicates AS
       SELECT c.__line, c.${keys[0]} AS key_value,
              '编号重复：本文件第' || r.first_line || '行已有 / duplicate key: already on line ' || r.first_line || ' of this file' AS reason
       FROM candidates c JOIN repeated r ON ${on('c', 'r')} WHERE c.__line <> r.first_line;
     INSERT INTO duplicates
       SELECT c.__line, c.${keys[0]},
              '编号重复：本次导入的 ' || s.file_name || ' 第' || s.line || '行已有 / duplicate key: already on line '
              || s.line || ' of ' || s.file_name || ' in this load'
       FROM candidates c JOIN ${seen} s ON ${on('c', 's')} ANTI JOIN duplicates d ON d.__line = c.__line;
     CREATE OR REPLACE TEMP TABLE accepted AS SELECT c.* FROM candidates c ANTI JOIN duplicates d ON d.__line = c.__line;
     INSERT INTO ${seen} SELECT ${keys.join(', ')}, ${lit(fileName)}, __line FROM accepted;
     CREATE OR REPLACE TEMP TABLE changed AS
       SELECT a.*, f.${keys[0]} IS NOT NULL AS existed
       FROM accepted a LEFT JOIN ${stream.table} f ON ${on('a', 'f')}
       WHERE f.${keys[0]} IS NULL OR row(${cols.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM row(${cols.map((c) => `f.${c}`).join(', ')});`,
  );
  const [counts] = await rows<{ accepted: number; replaced: number; changed: number; rejected: number }>(
    conn,
    `SELECT (SELECT count(*) FROM accepted)::INTEGER AS accepted,
            (SELECT count(*) FROM changed WHERE existed)::INTEGER AS replaced,
            (SELECT count(*) FROM changed)::INTEGER AS changed,
            ((SELECT count(*) FROM checked WHERE len(problems) > 0) + (SELECT count(*) FROM duplicates))::INTEGER AS rejected`,
  );
  if (counts.replaced > 0) {
    await run(conn, `DELETE FROM ${stream.table} f USING changed c WHERE c.existed AND ${on('f', 'c')}`);
  }
  if (counts.changed > 0) {
    await run(conn, `INSERT INTO ${stream.table} (${cols.join(', ')}, batch_id) SELECT ${cols.join(', ')}, ${batchId} FROM changed`);
  }
  return {
    accepted: counts.accepted,
    rejectedRows: counts.rejected,
    replaced: counts.replaced,
    unchanged: counts.accepted - counts.changed,
  };
}
