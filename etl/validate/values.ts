// Each contract value kind as SQL over one cleaned text value `v`: how it parses (NULL when it does
// not), whether the parsed value `p` is in range, and the reason (Chinese / English) when a
// non-empty value is refused. compile.ts evaluates each piece once per row.
import type { ValueKind } from '../../core/contract.ts';
import { lit } from '../duck.ts';

export interface ValueSql {
  parse: (v: string) => string;
  /** condition on the parsed value; the typed value is NULL when it fails */
  inRange?: (p: string) => string;
  /** reason for a non-empty value that fails to parse or is out of range */
  invalid: (v: string, p: string) => string;
  /** A code looked up in a dimension: parse is `CASE WHEN known(value(v)) THEN value(v) END`, in two
   * parts for a check that looks the codes up after typing the rows (compile.ts, `unjoined`). */
  lookup?: { value: (v: string) => string; known: (p: string) => string };
}

/** A lookup's ValueSql: the value as a code, known when the dimension has it. */
function lookupSql(value: (v: string) => string, known: (p: string) => string, reason: string): ValueSql {
  return { parse: (v) => `CASE WHEN ${known(value(v))} THEN ${value(v)} END`, invalid: (_v, p) => refuse(p, reason), lookup: { value, known } };
}

// 2023/7/1, 2023.7.1 and 2023年7月1日 become 2023-7-1; a time of day (Excel exports) is allowed and dropped.
// The shape is checked first because DuckDB's cast would also take trailing garbage ("2023-7-1x").
const dateText = (v: string) => `translate(${v}, '年月./日', '----')`;
const DATE_SHAPE = String.raw`\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?`;
/** 2023-07-01 as a GLOB: a case of DATE_SHAPE that needs no translating. */
const ISO_DATE = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]';
const AMOUNT = String.raw`(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?`;
const AMOUNT_ANY_DECIMALS = String.raw`(\d{1,3}(,\d{3})+|\d+)(\.\d+)?`;

// GLOBs for the usual shapes of a value, tried before its regular expression: each GLOB matches only
// values the expression matches too, and such a value is typed to what the expression's branch gives
// it, so a value's fate is the same either way (tests/etl/values.property.test.ts). The regular expressions
// were most of a clean file's check: an enrolment year with 2024/2/17 dates (2.5M rows) took 2.1-2.4 s,
// and 1.6-1.9 s with these GLOBs. GLOB compares bytes: a Chinese character is a literal, never in [...].
const D = '[0-9]';
const dd = [D, D + D];
/** GLOB (SQL) of a value that is all ASCII digits (or empty). */
const allDigits = (v: string) => `NOT (${v} GLOB '*[!0-9]*')`;
/**
 * 2023/7/1, 2023.7.1, 2023-7-1 and 2023年7月1日, cases of DATE_SHAPE once translated (dateText), each
 * read by strptime in its own format: a third of the time of translating and casting it. `lead`: a
 * GLOB of the shape's first five characters, so that a value is tried against its own shapes only.
 */
const DATE_FORMATS = [
  ['/', '/', ''],
  ['.', '.', ''],
  ['-', '-', ''],
  ['年', '月', '日'],
].map(([a, b, end]) => ({
  lead: `${D}${D}${D}${D}${a}*`,
  shapes: dd.flatMap((m) => dd.map((d) => `${D}${D}${D}${D}${a}${m}${b}${d}${end}`)),
  format: `%Y${a}%m${b}%d${end}`,
}));
/** GLOB (SQL) of a value of AMOUNT's shape without thousands separators: 12345, 12345.6, 12345.67. */
const plainAmount = (v: string) =>
  `((${v} <> '' AND ${allDigits(v)})
    OR (${v} GLOB '[0-9]*.[0-9]' AND NOT (${v} GLOB '*[!0-9]*.[0-9]'))
    OR (${v} GLOB '[0-9]*.[0-9][0-9]' AND NOT (${v} GLOB '*[!0-9]*.[0-9][0-9]')))`;

/** The code for a code, its label or one of its listed synonyms (last: the usual value matches first). */
function enumCase(v: string, values: Record<string, string>, synonyms: Record<string, string> = {}): string {
  const whens = [
    ...Object.entries(values).flatMap(([en, zh]) => [`WHEN ${lit(en)} THEN ${lit(en)}`, `WHEN ${lit(zh)} THEN ${lit(en)}`]),
    ...Object.entries(synonyms).map(([word, en]) => `WHEN ${lit(word)} THEN ${lit(en)}`),
  ];
  return `CASE lower(${v}) ${whens.join(' ')} END`;
}

// Full-width forms (ＡＢＣ１２３．，－／（）％, U+FF01-FF5E) and the ideographic space, as Chinese input
// methods type them, folded to ASCII.
const FULL_WIDTH = Array.from({ length: 0x5e }, (_, i) => String.fromCharCode(0xff01 + i)).join('') + '\u3000';
const HALF_WIDTH = Array.from({ length: 0x5e }, (_, i) => String.fromCharCode(0x21 + i)).join('') + ' ';

/** SQL: `v` with full-width digits, letters, punctuation and spaces folded to ASCII. */
export const halfWidth = (v: string) => `translate(${v}, ${lit(FULL_WIDTH)}, ${lit(HALF_WIDTH)})`;

const refuse = (p: string, reason: string) => `CASE WHEN ${p} IS NULL THEN ${lit(reason)} END`;

export function valueSql(kind: ValueKind): ValueSql {
  switch (kind.kind) {
    case 'text':
      return {
        parse: (v) => v,
        inRange: (p) => `length(${p}) <= ${kind.maxLength}`,
        invalid: (v) => `CASE WHEN length(${v}) > ${kind.maxLength} THEN '超过${kind.maxLength}个字符 / longer than ${kind.maxLength} characters' END`,
      };
    case 'county':
      return lookupSql(
        (v) => v,
        (p) => `${p} IN (SELECT county_code FROM dim_county)`,
        '县区代码不存在 / not one of the 111 county codes (6 digits, e.g. 450102)',
      );
    case 'unit':
      return lookupSql(
        (v) => v,
        (p) => `${p} IN (SELECT county_code FROM dim_county UNION ALL SELECT city_code FROM dim_city)`,
        '单位代码不存在 / not a county or city code (6 digits, e.g. 450102 or 450100)',
      );
    case 'date':
      return {
        // An ISO date (the shape's usual case) is cast as it is: translate() was most of a date's cost.
        parse: (v) => `CASE WHEN ${v} GLOB '${ISO_DATE}' THEN try_cast(${v} AS DATE)
                            ${DATE_FORMATS.map(
                              (f) => `WHEN ${v} GLOB '${f.lead}' AND (${f.shapes.map((g) => `${v} GLOB '${g}'`).join(' OR ')})
                                      THEN try_strptime(${v}, '${f.format}')::DATE`,
                            ).join('\n')}
                            WHEN regexp_full_match(${dateText(v)}, '${DATE_SHAPE}') THEN try_cast(${dateText(v)} AS DATE) END`,
        inRange: (p) => `${p} BETWEEN DATE '2000-01-01' AND current_date`,
        // A date of the right shape that fails the cast is a day the calendar lacks (2023-02-30).
        invalid: (v, p) => `CASE WHEN ${p} IS NULL AND regexp_full_match(${dateText(v)}, '${DATE_SHAPE}') THEN '日期不存在 / no such day in the calendar (e.g. 2月30日)'
                                  WHEN ${p} IS NULL THEN '日期无法识别 / not a date: use 2023-07-01, 2023/7/1, 2023.7.1 or 2023年7月1日'
                                  WHEN ${p} NOT BETWEEN DATE '2000-01-01' AND current_date THEN '日期超出范围 / date before 2000 or in the future' END`,
      };
    case 'amount':
      return {
        parse: (v) => `CASE WHEN ${plainAmount(v)} OR regexp_full_match(${v}, '${AMOUNT}') THEN replace(${v}, ',', '')::DECIMAL(14, 2) END`,
        inRange: kind.positive ? (p) => `${p} > 0` : undefined,
        invalid: (v, p) => `CASE WHEN ${p} IS NULL THEN
                                    CASE WHEN regexp_full_match(${v}, '-\\s*${AMOUNT_ANY_DECIMALS}') THEN '金额不能为负 / negative amount'
                                         WHEN regexp_full_match(${v}, '${AMOUNT_ANY_DECIMALS}') THEN '金额最多两位小数 / more than 2 decimals'
                                         ELSE '金额格式错误 / not an amount in yuan (e.g. 12345.6 or 12,345.60)' END
                                  ${kind.positive ? `WHEN ${p} = 0 THEN '金额必须大于0 / amount must be greater than 0'` : ''} END`,
      };
    case 'integer':
      return {
        // \d{1,9}, without a regular expression
        parse: (v) => `CASE WHEN ${v} <> '' AND length(${v}) <= 9 AND ${allDigits(v)} THEN ${v}::INTEGER END`,
        inRange: (p) => `${p} BETWEEN ${kind.min} AND ${kind.max}`,
        invalid: (_v, p) => `CASE WHEN ${p} IS NULL OR ${p} NOT BETWEEN ${kind.min} AND ${kind.max}
                                  THEN '应为${kind.min}至${kind.max}的整数 / not a whole number from ${kind.min} to ${kind.max}' END`,
      };
    case 'enum': {
      const allowed = Object.entries(kind.values).map(([en, zh]) => `${zh} ${en}`).join(', ');
      return { parse: (v) => enumCase(v, kind.values, kind.synonyms), invalid: (_v, p) => refuse(p, `不是有效选项 / not one of: ${allowed}`) };
    }
    case 'boolean':
      return {
        parse: (v) => `CASE WHEN lower(${v}) IN ('是', 'yes', 'true', '1', 'y') THEN true WHEN lower(${v}) IN ('否', 'no', 'false', '0', 'n') THEN false END`,
        invalid: (_v, p) => refuse(p, '应为是/否 / not yes or no (是/否, yes/no, true/false, 1/0)'),
      };
    case 'period':
      // Normalised: 2023-7 becomes 2023-07, 2023q2 becomes 2023-Q2.
      return {
        parse: (v) => `CASE WHEN regexp_full_match(${v}, '\\d{4}') THEN ${v}
                            WHEN regexp_full_match(${v}, '\\d{4}-?[qQ][1-4]') THEN left(${v}, 4) || '-Q' || right(${v}, 1)
                            WHEN regexp_full_match(${v}, '\\d{4}-(0?[1-9]|1[0-2])') THEN left(${v}, 4) || '-' || lpad(split_part(${v}, '-', 2), 2, '0') END`,
        invalid: (_v, p) => refuse(p, '期间格式错误 / not a period: use 2023, 2023-Q2 or 2023-07'),
      };
    case 'number':
      return {
        parse: (v) => `CASE WHEN lower(${v}) IN ('是', 'true', 'yes') THEN 1.0 WHEN lower(${v}) IN ('否', 'false', 'no') THEN 0.0
                            ELSE try_cast(replace(regexp_replace(${v}, '%$', ''), ',', '') AS DOUBLE) END`,
        inRange: (p) => `isfinite(${p})`,
        invalid: (_v, p) => `CASE WHEN NOT coalesce(isfinite(${p}), false) THEN '不是数值 / not a number (95% means 95)' END`,
      };
    case 'indicator':
      return lookupSql((v) => `upper(${v})`, (p) => `${p} IN (SELECT code FROM dim_indicator)`, '指标编码不存在 / not an indicator code of the catalog');
  }
}
