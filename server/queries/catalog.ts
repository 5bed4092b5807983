// The indicator catalog as the snapshot holds it (dim_indicator, dim_indicator_target): the copy that
// scored this snapshot, which may differ from the file in the repo when the file was edited since.
import { sql } from 'kysely';
import type { CatalogDimension, CatalogIndicator } from '../schemas/catalog.ts';
import type { WarehouseDb } from './warehouse.ts';

export async function catalogIndicators(db: WarehouseDb): Promise<{ version: string | null; indicators: CatalogIndicator[] }> {
  const overrides = db
    .selectFrom('dim_indicator_target')
    .select([
      'code',
      sql<{ year: number; target_rule: string }[]>`list({'year': year, 'target_rule': target_rule} ORDER BY year)`.as('targets_by_year'),
    ])
    .groupBy('code');
  const rows = await db
    .selectFrom('dim_indicator as i')
    .leftJoin(overrides.as('o'), 'o.code', 'i.code')
    .select([
      'i.catalog_version',
      'i.indicator_set as set',
      'i.code',
      'i.sort_order',
      'i.dimension',
      'i.dimension_en',
      'i.dimension_order',
      'i.name_zh',
      'i.name_en',
      'i.unit',
      'i.direction',
      'i.period',
      'i.target_rule',
      sql<{ year: number; target_rule: string }[]>`coalesce(o.targets_by_year, [])`.as('targets_by_year'),
      'i.weight',
      'i.source',
      'i.metric',
      'i.applies_to',
      'i.drop_alert',
    ])
    .orderBy('i.indicator_set')
    .orderBy('i.sort_order')
    .execute();
  const version = rows[0]?.catalog_version ?? null;
  return { version, indicators: rows.map(({ catalog_version: _, ...r }) => r) };
}

export async function catalogDimensions(db: WarehouseDb): Promise<CatalogDimension[]> {
  return db
    .selectFrom('dim_indicator')
    .groupBy(['indicator_set', 'dimension_order', 'dimension', 'dimension_en'])
    .select([
      'indicator_set as set',
      'dimension_order as order',
      'dimension as name',
      'dimension_en as name_en',
      sql<number>`round(sum(weight), 3)::DOUBLE`.as('weight'),
      sql<number>`count(*)::INTEGER`.as('indicators'),
    ])
    .orderBy('indicator_set')
    .orderBy('dimension_order')
    .execute();
}
