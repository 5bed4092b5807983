// GET /api/mediation/success-rate: request and response. The web client imports the types.
import { Type, type Static } from 'typebox';
import { Month, Percent, UnitCode, UnitRef } from './common.ts';

export const SuccessRateQuery = Type.Object({
  unit: UnitCode,
  from: Type.Optional(Month('the first month; default: January of `to`')),
  to: Type.Optional(Month('the last month; default: the month of the newest data')),
  by: Type.Optional(Type.Enum(['month', 'city', 'county'], { description: 'add a series by month, city or county' })),
});
export type SuccessRateQuery = Static<typeof SuccessRateQuery>;

const SuccessRateFields = {
  success: Type.Integer({ description: 'cases closed with outcome success' }),
  failed: Type.Integer({ description: 'cases closed with outcome failed' }),
  rate: Percent,
};

export const SuccessRateResponse = Type.Object({
  unit: UnitRef,
  from: Type.String({ description: 'first month, YYYY-MM' }),
  to: Type.String({ description: 'last month, YYYY-MM' }),
  ...SuccessRateFields,
  series: Type.Optional(
    Type.Array(
      Type.Object({
        key: Type.String({ description: 'the month (YYYY-MM) or the unit code' }),
        name: Type.String({ description: 'the month or the unit name' }),
        name_en: Type.String({ description: "the month or the unit's official English name" }),
        ...SuccessRateFields,
      }),
      { description: 'present when `by` is given: every month of the range, or every city/county inside the unit' },
    ),
  ),
});
export type SuccessRateResponse = Static<typeof SuccessRateResponse>;
