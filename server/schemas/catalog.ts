// GET /api/catalog: the indicator catalog that scored the live snapshot (its dim_indicator copy).
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { DirectionSchema, IndicatorSetSchema, PeriodSchema, UnitSchema } from '../../core/catalog-vocabulary.ts';

const NullableString = Nullable(Type.String());
const NullableNumber = Nullable(Type.Number());

export const CatalogIndicator = Type.Object({
  set: IndicatorSetSchema,
  code: Type.String({ description: 'C01..C47, R01..R88' }),
  sort_order: Type.Integer({ description: 'position in the catalog file: the display order' }),
  dimension: Type.String({ description: 'the dimension, in Chinese as the catalog names it' }),
  dimension_en: Type.String(),
  dimension_order: Type.Integer({ description: '1.. within the set' }),
  name_zh: Type.String(),
  name_en: Type.String(),
  unit: UnitSchema,
  direction: DirectionSchema,
  period: PeriodSchema,
  target_rule: Type.String({ description: 'the default target as written, e.g. ">= 72%" or ">= prev +5%"' }),
  targets_by_year: Type.Array(Type.Object({ year: Type.Integer(), target_rule: Type.String() }), {
    description: 'years whose target differs from target_rule',
  }),
  weight: Type.Number({ description: "points in the set's 100" }),
  source: Type.String({ description: 'reported, or the record stream computing it' }),
  metric: { ...NullableString, description: 'the computed metric (null for reported indicators)' },
  applies_to: Type.String({ description: 'all, or service_complex_pilot (the 16 pilot counties)' }),
  drop_alert: { ...NullableNumber, description: 'percent worsening against the previous period that raises an alert' },
});
export type CatalogIndicator = Static<typeof CatalogIndicator>;

export const CatalogDimension = Type.Object({
  set: IndicatorSetSchema,
  order: Type.Integer(),
  name: Type.String(),
  name_en: Type.String(),
  weight: Type.Number({ description: "the dimension's share of the set's 100 points" }),
  indicators: Type.Integer(),
});
export type CatalogDimension = Static<typeof CatalogDimension>;

export const CatalogResponse = Type.Object({
  version: { ...NullableString, description: 'the catalog version that scored this snapshot (null before a catalog was loaded)' },
  dimensions: Type.Array(CatalogDimension, { description: 'per set, in display order' }),
  indicators: Type.Array(CatalogIndicator, { description: 'county47 then reform88, each in catalog order' }),
});
export type CatalogResponse = Static<typeof CatalogResponse>;
