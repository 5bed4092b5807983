// Reading a real warehouse file in tests (read-only, like the server).
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
