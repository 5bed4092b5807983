// What a snapshot says about itself (snapshot_info, written by the loader on every publish).
import { sql } from 'kysely';
import type { WarehouseDb } from './warehouse.ts';

export interface SnapshotInfo {
  built_at: string | null;
  catalog_version: string | null;
  newest_data: string | null;
  /** the warehouse code version that built it (core/warehouse-code.ts); null: built before versions were recorded */
  code_version: string | null;
}

export async function snapshotInfo(db: WarehouseDb): Promise<SnapshotInfo> {
  // A snapshot from before versions were recorded has no code_version column: it reads as null.
  const { rows: [versioned] } = await sql<{ n: number }>`
    SELECT count(*)::INTEGER AS n FROM information_schema.columns
    WHERE table_catalog = current_database() AND table_name = 'snapshot_info' AND column_name = 'code_version'`.execute(db);
  const row = await db
    .selectFrom('snapshot_info')
    .select([
      sql<string>`strftime(max(built_at), '%Y-%m-%dT%H:%M:%S')`.as('built_at'),
      sql<string>`max(catalog_version)`.as('catalog_version'),
      sql<string>`strftime(max(newest_data), '%Y-%m-%d')`.as('newest_data'),
      (versioned?.n ? sql<string | null>`max(code_version)` : sql<string | null>`NULL::VARCHAR`).as('code_version'),
    ])
    .executeTakeFirst();
  return {
    built_at: row?.built_at ?? null,
    catalog_version: row?.catalog_version ?? null,
    newest_data: row?.newest_data ?? null,
    code_version: row?.code_version ?? null,
  };
}
