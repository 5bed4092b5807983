// Administrative units: lookups for parameters and the city/county tree for pickers.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { UnitRef } from '../schemas/common.ts';
import type { WarehouseDb } from './warehouse.ts';

/** Each open snapshot's units by code (gone with the snapshot's connection). */
const unitMaps = new WeakMap<WarehouseDb, Promise<Map<string, UnitRef>>>();

/**
 * A unit by its code, from the snapshot's units read once: most requests name one (requireUnit), and
 * the dimensions never change within a snapshot. Read-only, as every caller takes it.
 */
export async function findUnit(db: WarehouseDb, code: string): Promise<UnitRef | undefined> {
  let units = unitMaps.get(db);
  if (!units) {
    units = readUnits(db);
    unitMaps.set(db, units);
    units.catch(() => unitMaps.get(db) === units && unitMaps.delete(db));
  }
  return (await units).get(code);
}

async function readUnits(db: WarehouseDb): Promise<Map<string, UnitRef>> {
  const units = await db
    .selectFrom('dim_unit')
    .select(['unit_code as code', 'unit_name as name', 'short_name', 'level', 'city_code', 'unit_name_en as name_en'])
    .execute();
  return new Map(units.map((u) => [u.code, u]));
}

/** A condition keeping the county rows (dim_county aliased `c`) inside `unit`. */
export function countyInUnit(unit: UnitRef): RawBuilder<SqlBool> {
  if (unit.level === 'city') return sql<SqlBool>`c.city_code = ${unit.code}`;
  if (unit.level === 'county') return sql<SqlBool>`c.county_code = ${unit.code}`;
  return sql<SqlBool>`true`;
}

export interface CityWithCounties {
  code: string;
  name: string;
  short_name: string;
  pinyin: string;
  name_en: string;
  counties: { code: string; name: string; short_name: string; pinyin: string; kind: string; name_en: string }[];
}

/** Each open snapshot's tree (gone with the snapshot's connection). */
const trees = new WeakMap<WarehouseDb, Promise<CityWithCounties[]>>();

/**
 * The cities and their counties, read once per snapshot: the dimensions never change within one, and
 * uncached answers read the tree on every request (GET /api/reporting/totals, a wall screen's cold
 * load and every refresh: its only warehouse query, which waited for DuckDB beside everything else).
 * Read-only, as every caller takes it.
 */
export function unitTree(db: WarehouseDb): Promise<CityWithCounties[]> {
  let tree = trees.get(db);
  if (!tree) {
    tree = readUnitTree(db);
    trees.set(db, tree);
    tree.catch(() => trees.get(db) === tree && trees.delete(db));
  }
  return tree;
}

async function readUnitTree(db: WarehouseDb): Promise<CityWithCounties[]> {
  const [cities, counties] = await Promise.all([
    db.selectFrom('dim_city').select(['city_code as code', 'city_name as name', 'short_name', 'pinyin', 'name_en']).orderBy('city_code').execute(),
    db
      .selectFrom('dim_county')
      .select(['county_code as code', 'county_name as name', 'short_name', 'pinyin', 'kind', 'city_code', 'name_en'])
      .orderBy('county_code')
      .execute(),
  ]);
  return cities.map((city) => ({
    ...city,
    counties: counties.filter((c) => c.city_code === city.code).map(({ city_code: _, ...c }) => c),
  }));
}

/**
 * A unit's official English name, for English messages: 'Xingning District', 'Rongshui Miao Autonomous
 * County', 'Nanning', 'Guangxi'. The reference data keeps it (fixtures/reference); needs dim_unit as `u`.
 */
export const unitNameEn = sql<string>`u.unit_name_en`;
