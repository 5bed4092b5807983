// What a snapshot says about itself (snapshot_info, written by the loader on every publish).
import { sql } from 'kysely';
import type { WarehouseDb } from './warehouse.ts';

export interface SnapshotInfo {
  built_at: string | null;
  catalog_version: string | null;
  newest_data: string | null;
}

export async function snapshotInfo(db: WarehouseDb): Promise<SnapshotInfo> {
  const row = await db
    .selectFrom('snapshot_info')
    .select([
      sql<string>`strftime(max(built_at), '%Y-%m-%dT%H:%M:%S')`.as('built_at'),
      sql<string>`max(catalog_version)`.as('catalog_version'),
      sql<string>`strftime(max(newest_data), '%Y-%m-%d')`.as('newest_data'),
    ])
    .executeTakeFirst();
  return { built_at: row?.built_at ?? null, catalog_version: row?.catalog_version ?? null, newest_data: row?.newest_data ?? null };
}
