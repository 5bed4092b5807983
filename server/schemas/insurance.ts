// GET /api/insurance/members and GET /api/insurance/claims: requests and responses.
import { Type, type Static } from 'typebox';
import { Nullable, Percent, UnitCode, UnitRef, Year } from './common.ts';

const NullableNumber = Nullable(Type.Number());

export const MembersQuery = Type.Object({ unit: UnitCode });
export type MembersQuery = Static<typeof MembersQuery>;

export const MembersResponse = Type.Object({
  unit: UnitRef,
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      members: Type.Integer({ description: 'distinct members enrolled in the plan year' }),
      growth: { ...Percent, description: 'members / previous year - 1, percent, two decimals (computed by the mart); null for the first year' },
    }),
  ),
});
export type MembersResponse = Static<typeof MembersResponse>;

export const ClaimsQuery = Type.Object({
  unit: UnitCode,
  year: Type.Optional(Year('default: the newest year with paid claims')),
});
export type ClaimsQuery = Static<typeof ClaimsQuery>;

export const ClaimsResponse = Type.Object({
  unit: UnitRef,
  year: Nullable(Type.Integer(), { description: 'null when the warehouse has no paid claims' }),
  paid_count: Type.Integer(),
  paid_amount: Type.Number({ description: 'yuan, two decimals' }),
  beneficiaries: Type.Integer({ description: 'distinct members paid' }),
  days_to_pay_mean: { ...NullableNumber, description: 'days from submission to payment, one decimal' },
  days_to_pay_median: NullableNumber,
  months: Type.Array(Type.Object({ month: Type.String(), paid_count: Type.Integer(), paid_amount: Type.Number() }), {
    description: 'all twelve months of the year, by month of payment',
  }),
});
export type ClaimsResponse = Static<typeof ClaimsResponse>;
