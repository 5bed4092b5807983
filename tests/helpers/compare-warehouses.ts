// Comparing two warehouse files table by table, row by row (as multisets: physical row order is no
// figure). DOUBLE values are compared to 12 significant digits after rounding to 9 decimals: sums of
// DOUBLEs depend on the order rows arrive in (parallel sums from one full rebuild to the next on the
// same facts; a small publish's table holding older years' rows before the new ones), so their last
// bits are not a property of the data, and a difference of points such as weight x (1 - 0.9937) carries
// those last bits of the weight into the 13th digit of a small result. Everything else is compared as
// text.
import { DuckDBInstance } from '@duckdb/node-api';
import { ident, lit, rows } from '../../etl/duck.ts';

/** `snapshot_info.built_at` is the build's own clock, not a figure. */
const NOT_FIGURES: Record<string, string[]> = { snapshot_info: ['built_at'] };

/** Every table of `a` and `b` whose rows differ, with how many rows each side has that the other lacks.
 * `clocks`: more columns that hold when a build ran, per table (two loads' load_batch times). */
export async function warehouseDifferences(a: string, b: string, clocks: Record<string, string[]> = {}): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`ATTACH ${lit(a)} AS a (READ_ONLY); ATTACH ${lit(b)} AS b (READ_ONLY)`);
    const tables = await rows<{ t: string; side: string }>(
      conn,
      `SELECT table_name AS t, string_agg(database_name, '' ORDER BY database_name) AS side FROM duckdb_tables()
       WHERE database_name IN ('a', 'b') AND schema_name = 'main' GROUP BY 1 ORDER BY 1`,
    );
    const out: string[] = [];
    for (const { t, side } of tables) {
      if (side !== 'ab') {
        out.push(`${t}: only in ${side}`);
        continue;
      }
      const columns = await rows<{ c: string; type: string }>(
        conn,
        `SELECT column_name AS c, data_type AS type FROM duckdb_columns() WHERE database_name = 'a' AND schema_name = 'main' AND table_name = ${lit(t)} ORDER BY column_index`,
      );
      const cells = columns
        .filter(({ c }) => !NOT_FIGURES[t]?.includes(c) && !clocks[t]?.includes(c))
        .map(({ c, type }) => `coalesce(${type === 'DOUBLE' || type === 'FLOAT' ? `printf('%.12g', round(${ident(c)}, 9))` : `${ident(c)}::VARCHAR`}, '<null>')`);
      const text = (side: string) => `SELECT concat_ws('|', ${cells.join(', ')}) AS r FROM ${side}.main.${ident(t)}`;
      const [{ onlyA, onlyB, n }] = await rows<{ onlyA: number; onlyB: number; n: number }>(
        conn,
        `SELECT (SELECT count(*) FROM (${text('a')} EXCEPT ALL ${text('b')}))::INTEGER AS onlyA,
                (SELECT count(*) FROM (${text('b')} EXCEPT ALL ${text('a')}))::INTEGER AS onlyB,
                (SELECT count(*) FROM a.main.${ident(t)})::INTEGER AS n`,
      );
      if (onlyA + onlyB > 0) out.push(`${t}: of ${n} rows, ${onlyA} only in the first, ${onlyB} only in the second`);
    }
    return out;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
