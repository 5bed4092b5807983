// Reading a real warehouse file in tests (read-only, like the server), and changing one as a test's setup.
import { DuckDBInstance } from '@duckdb/node-api';

export async function query<T = Record<string, unknown>>(warehouse: string, sql: string): Promise<T[]> {
  const db = await DuckDBInstance.create(warehouse, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Run `sql` on a warehouse file, writable: a test's setup (rows marked, a snapshot made to look as other code left it). */
export async function execute(warehouse: string, sql: string): Promise<void> {
  const db = await DuckDBInstance.create(warehouse);
  const conn = await db.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
