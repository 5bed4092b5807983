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

/**
 * The inserts that go in any order: from two row groups (DuckDB's are 122,880 rows) on. A smaller file
 * in any order became a row group of its own instead of filling the table's last one, and a later
 * month's publish, replacing rows in it, then rewrote the whole group at its checkpoint (0.42-0.46 s
 * against 0.15-0.16 s for the scale-1 month of npm run bench -- publish).
 */
export const ANY_ORDER_FROM_ROWS = 2 * 122_880;

/**
 * Runs `work` with DuckDB free to store inserted rows in any order (preserve_insertion_order, a
 * setting of the database), then as before. For a file's rows going into its fact table, which no
 * figure reads in their stored order (a row's line in its file is a column of its own): kept in
 * order, an insert on two threads left about every second row group part full, and each later
 * checkpoint merged them, rewriting the table on one thread (3.5 s each, twice, inside a scale-1
 * load). In any order, each thread fills row groups of its own: four enrolment years (7.8M rows)
 * were inserted and checkpointed in 2.6-2.7 s against 5.0-5.3 s, and on one thread in 4.8-5.9 s.
 */
export async function inAnyOrder<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await run(conn, 'SET preserve_insertion_order = false');
  try {
    return await work();
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
