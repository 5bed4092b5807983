// Thin helpers over @duckdb/node-api: run a script, read rows as plain JSON-safe objects.
import type { DuckDBConnection } from '@duckdb/node-api';

export async function run(conn: DuckDBConnection, sql: string): Promise<void> {
  await conn.run(sql);
}

/** Rows as plain objects; BIGINT/DECIMAL/DATE come back as JSON-safe strings or numbers. */
export async function rows<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as T[];
}

/** DuckDB's rows per row group. */
const ROW_GROUP_ROWS = 122_880;

/**
 * Runs `insert`, of `rows` rows into a fact table, with DuckDB free to store them in any order
 * (preserve_insertion_order, a setting of the database) when they fill two row groups or more; then
 * as before. No figure reads fact rows in their stored order (a row's line in its file is a column
 * of its own). Kept in order, a big insert on two threads left about every second row group part
 * full, and each later checkpoint merged them, rewriting the table on one thread (3.5 s each, twice,
 * inside a scale-1 load); in any order each thread fills row groups of its own: four enrolment years
 * (7.8M rows) were inserted and checkpointed in 2.6-2.7 s against 5.0-5.3 s, and on one thread in
 * 4.8-5.9 s. A smaller insert stays in order: in any order it became a row group of its own instead
 * of filling the table's last one, and a later month's publish, replacing rows in it, rewrote the
 * whole group at its checkpoint (0.42-0.46 s against 0.15-0.16 s, npm run bench -- publish).
 */
export async function insertFacts(conn: DuckDBConnection, rows: number, insert: () => Promise<void>): Promise<void> {
  if (rows < 2 * ROW_GROUP_ROWS) return insert();
  await run(conn, 'SET preserve_insertion_order = false');
  try {
    await insert();
  } finally {
    await run(conn, 'RESET preserve_insertion_order');
  }
}

/** Quote a string as a SQL literal (for file paths and names we generate, never for user values in queries). */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quote an identifier. */
export function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
