// The indicator catalog's shapes, as TypeBox schemas: the parser checks every row against them. The
// allowed values of each field are core/catalog-vocabulary.ts, shared with the server and the web.
import Type, { type Static } from 'typebox';
import {
  AppliesToSchema,
  DirectionSchema,
  IndicatorSetSchema,
  PeriodSchema,
  SourceSchema,
  UnitSchema,
  type IndicatorSet,
  type Source,
} from '../../core/catalog-vocabulary.ts';

export const bases = ['published-practice', 'derived'] as const;

/** How many indicators each set must hold, and which units it is scored for. */
export const setRules = {
  county47: { size: 47, scoredFor: '111 counties' },
  reform88: { size: 88, scoredFor: '14 cities and the province' },
} as const satisfies Record<IndicatorSet, { size: number; scoredFor: string }>;

/**
 * The dimensions of each set, in display order, with an English label for the UI's English switch.
 * county47: the "five strengths" of the national county-union strengthening-year programme;
 * reform88: the industrial-workforce reform's five key tasks plus its organisational support.
 */
export const dimensionsBySet = {
  county47: [
    { zh: '政治引领强', en: 'Political leadership' },
    { zh: '组织功能强', en: 'Organisational strength' },
    { zh: '服务阵地强', en: 'Service facilities' },
    { zh: '制度机制强', en: 'Institutions and mechanisms' },
    { zh: '作用发挥强', en: 'Delivery and impact' },
  ],
  reform88: [
    { zh: '思想引领', en: 'Ideological guidance' },
    { zh: '建功立业', en: 'Contribution and innovation' },
    { zh: '素质提升', en: 'Skills upgrading' },
    { zh: '地位提高', en: 'Status and rights' },
    { zh: '队伍壮大', en: 'Workforce growth' },
    { zh: '组织保障', en: 'Organisational support' },
  ],
} as const satisfies Record<IndicatorSet, readonly { zh: string; en: string }[]>;

/** A source that is a record stream: its indicators are computed in SQL, never reported. */
export type StreamSource = Exclude<Source, 'reported'>;

/**
 * A parsed target rule. Values are in the indicator's unit; percentages are percent points (90 means 90%).
 * `>=prev` compares with the same period of the previous year (同比): `relative` 5 means prev x 1.05,
 * `points` 1 means prev + 1 percentage point.
 */
export const TargetRuleSchema = Type.Union([
  Type.Object({ op: Type.Union([Type.Literal('>='), Type.Literal('<=')]), value: Type.Number(), percent: Type.Boolean() }),
  Type.Object({ op: Type.Literal('='), value: Type.Boolean() }),
  Type.Object({ op: Type.Literal('>=prev'), relative: Type.Optional(Type.Number()), points: Type.Optional(Type.Number()) }),
  Type.Object({ op: Type.Literal('between'), low: Type.Number(), high: Type.Number(), percent: Type.Boolean() }),
]);
export type TargetRule = Static<typeof TargetRuleSchema>;

export const IndicatorSchema = Type.Object({
  set: IndicatorSetSchema,
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
  dimension: Type.String({ minLength: 1 }),
  nameZh: Type.String({ minLength: 1 }),
  nameEn: Type.String({ minLength: 1 }),
  unit: UnitSchema,
  direction: DirectionSchema,
  period: PeriodSchema,
  target: TargetRuleSchema,
  /** The default target rule as written in the catalog. */
  targetRule: Type.String({ minLength: 1 }),
  /** Per-year overrides (the catalog's target_YYYY columns); years without one use `target`. */
  targetsByYear: Type.Record(Type.Integer(), TargetRuleSchema),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  source: SourceSchema,
  /** The stream metric (metrics.ts) computing a stream-sourced indicator; null for reported ones. */
  metric: Type.Union([Type.String(), Type.Null()]),
  appliesTo: AppliesToSchema,
  /** Sharp-worsening alert: percent change against the previous period (a fall, or a rise for lower_better). */
  dropAlert: Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100 }), Type.Null()]),
  basis: Type.Enum(bases),
});
export type Indicator = Static<typeof IndicatorSchema>;

export interface Catalog {
  version: string;
  indicators: Indicator[];
  bySet(set: IndicatorSet): Indicator[];
  get(code: string): Indicator | undefined;
  /** The target rule in force for a year: its override if the catalog has one, else the default. */
  targetFor(code: string, year: number): TargetRule;
}

/** The required CSV columns (any order). `target_YYYY` override columns may appear anywhere; the committed file puts them after target_rule. */
export const catalogColumns = [
  'version',
  'set',
  'code',
  'dimension',
  'name_zh',
  'name_en',
  'unit',
  'direction',
  'period',
  'target_rule',
  'weight',
  'source',
  'metric',
  'applies_to',
  'drop_alert',
  'basis',
] as const;
export const targetOverrideColumn = /^target_(\d{4})$/;
