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

/** Quote a string as a SQL literal (for file paths and names we generate, never for user values in queries). */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quote an identifier. */
export function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
