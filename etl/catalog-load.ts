// Copying the indicator catalog into the warehouse (dim_indicator, dim_indicator_target). Done on
// every load, so a snapshot is always scored with the catalog file it was built with.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { catalogRows, catalogTargetRows, loadCatalog } from './catalog/catalog.ts';

async function insertRows(conn: DuckDBConnection, table: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  const prepared = await conn.prepare(sql);
  for (const row of rows) {
    prepared.bind(Object.values(row) as DuckDBValue[]);
    await prepared.run();
  }
}

export async function refreshCatalog(conn: DuckDBConnection, catalogPath?: string): Promise<string> {
  const catalog = loadCatalog(catalogPath);
  await conn.run('DELETE FROM dim_indicator_target; DELETE FROM dim_indicator;');
  await insertRows(conn, 'dim_indicator', catalogRows(catalog));
  await insertRows(conn, 'dim_indicator_target', catalogTargetRows(catalog));
  return catalog.version;
}
