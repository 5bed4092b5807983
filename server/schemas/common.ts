// Request parameters and response pieces shared by several routes. Each parameter's description says
// what it allows: the errors plugin quotes it in the 400 message.
import { Type, type Static } from 'typebox';

export const UnitCode = Type.String({
  pattern: '^45\\d{4}$',
  description: '450000 for the province, a city code such as 450100, or a county code such as 450102',
});

/** A month parameter; `role` says what it is for, e.g. 'the first month; default: January of `to`'. */
export const Month = (role: string) =>
  Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: `a month as YYYY-MM, e.g. 2023-07 (${role})` });

/** A year parameter; `role` says what it is for. */
export const Year = (role: string) =>
  Type.Integer({ minimum: 2015, maximum: 2100, description: `a year from 2015 to 2100, e.g. 2023 (${role})` });

export const UnitRef = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    short_name: Type.String(),
    level: Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]),
    city_code: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'The unit a figure belongs to' },
);
export type UnitRef = Static<typeof UnitRef>;

/** A percentage with two decimals (72.2 means 72.20%); null when the denominator is zero. */
export const Percent = Type.Union([Type.Number(), Type.Null()], { description: 'percent, two decimals; null when undefined' });
