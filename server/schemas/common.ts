// Request parameters and response pieces shared by several routes. Each parameter's description says
// what it allows: the errors plugin quotes it in the 400 message.
import type { Ajv } from 'ajv';
import { Type, type Static, type TSchema } from 'typebox';

/**
 * `schema` or null, written as `nullable: true` (OpenAPI 3.0) rather than an anyOf with null:
 * fast-json-stringify serializes it with a null check, where an anyOf costs an ajv validation per
 * field (compiled on the route's first response: about 100 ms for a scorecard).
 */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  return Type.Unsafe<Static<T> | null>({ ...schema, ...options, nullable: true });
}

export const UnitCode = Type.String({
  pattern: '^45\\d{4}$',
  description: '450000 for the province, a city code such as 450100, or a county code such as 450102',
});

/** A month parameter; `role` says what it is for, e.g. 'the first month; default: January of `to`'. */
export const Month = (role: string) =>
  Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: `a month as YYYY-MM, e.g. 2023-07 (${role})` });

/**
 * ajv keyword for numeric request parameters: `finite: true` refuses the Infinity that coercing
 * "Infinity" or "1e999" yields, which ajv's minimum/maximum let through (ajv-validator/ajv#2212).
 * Registered on Fastify's validator in server/app.ts.
 */
export function finiteKeyword(ajv: Ajv): Ajv {
  // No `type: 'number'`: ajv decides which keywords apply from the value before coercion (a string),
  // which is the very bug.
  ajv.addKeyword({
    keyword: 'finite',
    schemaType: 'boolean',
    errors: false,
    validate: (on: boolean, value: unknown) => !on || typeof value !== 'number' || Number.isFinite(value),
  });
  return ajv;
}

/** A year parameter; `role` says what it is for. */
export const Year = (role: string) =>
  Type.Integer({ minimum: 2015, maximum: 2100, finite: true, description: `a year from 2015 to 2100, e.g. 2023 (${role})` });

export const UnitRef = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    name_en: Type.String({ description: "official English name: 'Guangxi', 'Nanning', 'Xingning District'" }),
    short_name: Type.String(),
    level: Type.Enum(['province', 'city', 'county']),
    city_code: Nullable(Type.String()),
  },
  { description: 'The unit a figure belongs to' },
);
export type UnitRef = Static<typeof UnitRef>;

/** A percentage with two decimals (72.2 means 72.20%); null when the denominator is zero. */
export const Percent = Nullable(Type.Number(), { description: 'percent, two decimals; null when undefined' });
