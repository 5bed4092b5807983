// The indicator catalog's allowed values, as TypeBox enums. The catalog parser (etl/catalog) checks
// every field against them, the API serialises indicators with them, and the web client takes its
// types from them, so an allowed value is listed here and nowhere else.
import Type, { type Static } from 'typebox';

export const indicatorSets = ['county47', 'reform88'] as const;
export const units = ['count', 'percent', 'yuan', 'days', 'boolean', 'ratio'] as const;
export const directions = ['higher_better', 'lower_better', 'target_band'] as const;
export const periods = ['annual', 'quarterly', 'monthly'] as const;
export const sources = ['reported', 'mediation', 'insurance', 'assistance', 'training', 'funding'] as const;
export const appliesTo = ['all', 'service_complex_pilot'] as const;
/** The comparison of a target rule (sql/schema/indicator.sql checks target_op against the same list). */
export const targetOps = ['>=', '<=', '=', '>=prev', 'between'] as const;

export const IndicatorSetSchema = Type.Enum(indicatorSets);
export const UnitSchema = Type.Enum(units);
export const DirectionSchema = Type.Enum(directions);
export const PeriodSchema = Type.Enum(periods);
export const SourceSchema = Type.Enum(sources);
export const AppliesToSchema = Type.Enum(appliesTo);

export type IndicatorSet = Static<typeof IndicatorSetSchema>;
export type Unit = Static<typeof UnitSchema>;
export type Direction = Static<typeof DirectionSchema>;
export type Period = Static<typeof PeriodSchema>;
export type Source = Static<typeof SourceSchema>;
export type AppliesTo = Static<typeof AppliesToSchema>;
export type TargetOp = (typeof targetOps)[number];
