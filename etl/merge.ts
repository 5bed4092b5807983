// One checked file into the fact table: reject keys given twice in this load, replace rows whose key
// exists with different values, leave identical rows alone (so loading the same file twice changes
// nothing, not even lineage), insert new rows.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Stream } from './contract/streams.ts';
import { ident, lit, rows, run } from './duck.ts';

export interface MergeCounts {
  accepted: number;
  replaced: number;
  unchanged: number;
}

/**
 * Keys accepted earlier in this load, to reject an id given twice. Only a 64-bit hash of the key is
 * kept (17 million keys at province scale fit in a few hundred MB this way); a collision between two
 * different keys in one load is about one in 10^5 at that size, and would show as a duplicate reject
 * that names the other line, for a person to see.
 */
export async function startLoad(conn: DuckDBConnection): Promise<void> {
  await run(conn, `CREATE TEMP TABLE IF NOT EXISTS seen_keys (stream VARCHAR, key_hash UBIGINT, file_name VARCHAR, line INTEGER)`);
}

/** Rows of `checked` that are ok but repeat a key: into the temp table `duplicates` with a reason. */
async function findDuplicates(conn: DuckDBConnection, stream: Stream): Promise<void> {
  const keys = stream.key.map(ident);
  const keyHash = `hash(${keys.map((k) => `c.${k}`).join(', ')})`;
  await run(
    conn,
    `CREATE OR REPLACE TEMP TABLE duplicates AS
       WITH repeated AS (
         SELECT ${keys.join(', ')}, min(__line) AS first_line FROM checked WHERE ok GROUP BY ALL HAVING count(*) > 1
       )
       SELECT c.__line, c.${keys[0]} AS key_value,
              '编号重复：本文件第' || r.first_line || '行已有 / duplicate key: already on line ' || r.first_line || ' of this file' AS reason
       FROM checked c JOIN repeated r ON ${keys.map((k) => `c.${k} = r.${k}`).join(' AND ')}
       WHERE c.ok AND c.__line <> r.first_line;
     INSERT INTO duplicates
       SELECT c.__line, c.${keys[0]},
              '编号重复：本次导入的 ' || s.file_name || ' 第' || s.line || '行已有 / duplicate key: already on line '
              || s.line || ' of ' || s.file_name || ' in this load'
       FROM checked c JOIN seen_keys s ON s.stream = ${lit(stream.name)} AND s.key_hash = ${keyHash}
       WHERE c.ok AND c.__line NOT IN (SELECT __line FROM duplicates);
     UPDATE checked SET ok = false WHERE __line IN (SELECT __line FROM duplicates);`,
  );
}

export async function mergeChecked(
  conn: DuckDBConnection,
  stream: Stream,
  factColumns: string[],
  batchId: number,
  fileName: string,
): Promise<MergeCounts> {
  await findDuplicates(conn, stream);
  const keys = stream.key.map(ident);
  const on = keys.map((k) => `a.${k} = f.${k}`).join(' AND ');
  const cols = factColumns.map(ident);
  await run(conn, `INSERT INTO seen_keys SELECT ${lit(stream.name)}, hash(${keys.join(', ')}), ${lit(fileName)}, __line FROM checked WHERE ok`);
  const [{ accepted, existing }] = await rows<{ accepted: number; existing: number }>(
    conn,
    `SELECT (SELECT count(*) FROM checked WHERE ok)::INTEGER AS accepted,
            (SELECT count(*) FROM checked a JOIN ${stream.table} f ON ${on} WHERE a.ok)::INTEGER AS existing`,
  );
  const insert = (from: string) =>
    run(conn, `INSERT INTO ${stream.table} (${cols.join(', ')}, batch_id) SELECT ${cols.join(', ')}, ${batchId} FROM ${from}`);
  if (existing === 0) {
    // New data, the usual monthly case: straight in, no second copy.
    await insert('checked WHERE ok');
    return { accepted, replaced: 0, unchanged: 0 };
  }
  await run(
    conn,
    `CREATE OR REPLACE TEMP TABLE changed AS
       SELECT a.*, f.${keys[0]} IS NOT NULL AS existed
       FROM checked a LEFT JOIN ${stream.table} f ON ${on}
       WHERE a.ok AND (f.${keys[0]} IS NULL
         OR row(${cols.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM row(${cols.map((c) => `f.${c}`).join(', ')}));`,
  );
  const [{ replaced, changed }] = await rows<{ replaced: number; changed: number }>(
    conn,
    `SELECT count(*) FILTER (WHERE existed)::INTEGER AS replaced, count(*)::INTEGER AS changed FROM changed`,
  );
  if (replaced > 0) {
    await run(conn, `DELETE FROM ${stream.table} f USING changed a WHERE a.existed AND ${on}`);
  }
  if (changed > 0) await insert('changed');
  await run(conn, `DROP TABLE changed`);
  return { accepted, replaced, unchanged: accepted - changed };
}
