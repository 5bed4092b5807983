// GET /api/overview: the headline KPI tiles of a unit (the province by default) for a month, each with
// its target, the previous period's and last year's figure, as the engine's overview_tile holds them
// (sql/indicators/22-overview-tile.sql). Field names are plain: the wall reads them.
import { Type, type Static } from 'typebox';
import { Month, Nullable, UnitCode, UnitRef } from './common.ts';

const NullableNumber = Nullable(Type.Number());
const NullableString = Nullable(Type.String());

export const OverviewQuery = Type.Object({
  period: Type.Optional(Month('the month the figures run to; default: the month of the newest data')),
  unit: Type.Optional({
    ...UnitCode,
    description: '450000 for the province (the default), a city code such as 450100, or a county code such as 450102 (a county account must give its own)',
  }),
});
export type OverviewQuery = Static<typeof OverviewQuery>;

export const KPI_KEYS = [
  'members',
  'member_growth',
  'mediation_rate',
  'mediation_success',
  'claims_paid_amount',
  'claims_beneficiaries',
  'hardship_resolved',
  'subsidies_disbursed',
  'skilled_trained',
  'skilled_certified',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export const Kpi = Type.Object({
  key: Type.Enum(KPI_KEYS),
  name_zh: Type.String(),
  name_en: Type.String(),
  unit: Type.Enum(['people', 'cases', 'yuan', 'percent', 'count'], { description: 'how to format value, target, previous and last_year' }),
  basis: Type.Enum(['year_to_date', 'quarters_to_date', 'plan_year'], {
    description:
      'year_to_date: January to the period month; quarters_to_date: January to the end of the last complete quarter (the source is quarterly); plan_year: the plan year of the period',
  }),
  from: { ...NullableString, description: 'first month the value covers, YYYY-MM (null: no complete quarter yet)' },
  to: { ...NullableString, description: 'last month the value covers, YYYY-MM' },
  value: { ...NullableNumber, description: 'null when undefined (a rate without cases, no complete quarter yet)' },
  previous: { ...NullableNumber, description: 'the same figure for the previous month (its own year to date; January: the whole previous year); null for plan-year figures' },
  last_year: { ...NullableNumber, description: 'the same window one year earlier (同比)' },
  change: { ...NullableNumber, description: 'value against last_year: in points for percent tiles, else in percent (change_kind); null without both' },
  change_kind: Type.Enum(['points', 'percent']),
  target: {
    ...NullableNumber,
    description: 'the target of the catalog indicator computing this very metric, for the year, in the same unit; null when no indicator has the identical definition',
  },
  target_rule: { ...NullableString, description: 'the target as the catalog writes it, e.g. ">= 72%" or ">= prev +5%"' },
  target_indicator: { ...NullableString, description: 'the catalog indicator the target comes from, e.g. C40 (county) or R62 (city, province)' },
  met: Nullable(Type.Boolean(), { description: 'the target holds (at or above it; at or below for a lower-better indicator); null without both' }),
});
export type Kpi = Static<typeof Kpi>;

export const OverviewResponse = Type.Object({
  unit: UnitRef,
  period: Type.String({ description: 'YYYY-MM' }),
  year: Type.Integer(),
  kpis: Type.Array(Kpi, { description: 'every key in the order of KPI_KEYS; empty for a month before the first data year or after the newest data' }),
});
export type OverviewResponse = Static<typeof OverviewResponse>;
