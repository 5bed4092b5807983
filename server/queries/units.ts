// Administrative units: lookups for parameters and the city/county tree for pickers.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { UnitRef } from '../schemas/common.ts';
import type { WarehouseDb } from './warehouse.ts';

export async function findUnit(db: WarehouseDb, code: string): Promise<UnitRef | undefined> {
  return db
    .selectFrom('dim_unit')
    .select(['unit_code as code', 'unit_name as name', 'short_name', 'level', 'city_code'])
    .where('unit_code', '=', code)
    .executeTakeFirst();
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
  counties: { code: string; name: string; short_name: string; pinyin: string; kind: string }[];
}

export async function unitTree(db: WarehouseDb): Promise<CityWithCounties[]> {
  const [cities, counties] = await Promise.all([
    db.selectFrom('dim_city').select(['city_code as code', 'city_name as name', 'short_name', 'pinyin']).orderBy('city_code').execute(),
    db
      .selectFrom('dim_county')
      .select(['county_code as code', 'county_name as name', 'short_name', 'pinyin', 'kind', 'city_code'])
      .orderBy('county_code')
      .execute(),
  ]);
  return cities.map((city) => ({
    ...city,
    counties: counties.filter((c) => c.city_code === city.code).map(({ city_code: _, ...c }) => c),
  }));
}

/**
 * A unit's English name from the pinyin of its short name, for English messages: 'Xingning District',
 * 'Rongshui Autonomous County', 'Nanning', 'Guangxi'. Needs dim_unit as `u`, dim_county as `ue_c` and
 * dim_city as `ue_ci` left-joined on the unit code.
 */
export const unitNameEn = sql<string>`CASE u.level
  WHEN 'province' THEN 'Guangxi'
  WHEN 'city' THEN upper(left(ue_ci.pinyin, 1)) || replace(substr(ue_ci.pinyin, 2), ' ', '')
  ELSE upper(left(ue_c.pinyin, 1)) || replace(substr(ue_c.pinyin, 2), ' ', '') ||
    CASE ue_c.kind WHEN 'district' THEN ' District' WHEN 'county' THEN ' County' WHEN 'city' THEN ' City' ELSE ' Autonomous County' END
END`;
