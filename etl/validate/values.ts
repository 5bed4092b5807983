// Each contract value kind as SQL over one cleaned text value: the typed expression, and the reason
// (Chinese / English) when a non-empty value does not parse or breaks the kind's range.
import type { ValueKind } from '../contract/streams.ts';
import { lit } from '../duck.ts';

export interface ValueSql {
  typed: string; // SQL producing the typed value, NULL when empty or invalid
  invalid: string; // SQL producing a reason string, or NULL when the (non-empty) value is fine
}

const dateFormats = ['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d日', '%Y-%m-%d %H:%M:%S', '%Y/%m/%d %H:%M:%S'];
const AMOUNT = String.raw`(\d{1,3}(,\d{3})+|\d+)(\.\d+)?`;

function enumCase(v: string, values: Record<string, string>): string {
  const whens = Object.entries(values).flatMap(([en, zh]) => [`WHEN ${lit(en)} THEN ${lit(en)}`, `WHEN ${lit(zh)} THEN ${lit(en)}`]);
  return `CASE lower(${v}) ${whens.join(' ')} END`;
}

export function valueSql(kind: ValueKind, v: string): ValueSql {
  switch (kind.kind) {
    case 'text':
      return {
        typed: v,
        invalid: `CASE WHEN length(${v}) > ${kind.maxLength} THEN '超过${kind.maxLength}个字符 / longer than ${kind.maxLength} characters' END`,
      };
    case 'county':
      return {
        typed: v,
        invalid: `CASE WHEN ${v} NOT IN (SELECT county_code FROM dim_county) THEN '县区代码不存在 / not one of the 111 county codes (6 digits, e.g. 450102)' END`,
      };
    case 'unit':
      return {
        typed: v,
        invalid: `CASE WHEN ${v} NOT IN (SELECT county_code FROM dim_county UNION ALL SELECT city_code FROM dim_city)
                  THEN '单位代码不存在 / not a county or city code (6 digits, e.g. 450102 or 450100)' END`,
      };
    case 'date': {
      const typed = `coalesce(${dateFormats.map((f) => `try_strptime(${v}, ${lit(f)})`).join(', ')})::DATE`;
      return {
        typed: `CASE WHEN ${typed} BETWEEN DATE '2000-01-01' AND current_date THEN ${typed} END`,
        invalid: `CASE WHEN ${typed} IS NULL THEN '日期无法识别 / not a date: use 2023-07-01, 2023/7/1, 2023.7.1 or 2023年7月1日'
                       WHEN ${typed} NOT BETWEEN DATE '2000-01-01' AND current_date THEN '日期超出范围 / date before 2000 or in the future' END`,
      };
    }
    case 'amount': {
      const ok = `regexp_full_match(${v}, '${AMOUNT}')`;
      const typed = `CASE WHEN ${ok} AND NOT regexp_matches(${v}, '\\.\\d{3}') THEN replace(${v}, ',', '')::DECIMAL(14, 2) END`;
      return {
        typed: kind.positive ? `CASE WHEN ${typed} > 0 THEN ${typed} END` : typed,
        invalid: `CASE WHEN regexp_full_match(${v}, '-\\s*${AMOUNT}') THEN '金额不能为负 / negative amount'
                       WHEN NOT ${ok} THEN '金额格式错误 / not an amount in yuan (e.g. 12345.6 or 12,345.60)'
                       WHEN regexp_matches(${v}, '\\.\\d{3}') THEN '金额最多两位小数 / more than 2 decimals'
                       ${kind.positive ? `WHEN replace(${v}, ',', '')::DOUBLE = 0 THEN '金额必须大于0 / amount must be greater than 0'` : ''} END`,
      };
    }
    case 'integer': {
      const typed = `CASE WHEN regexp_full_match(${v}, '\\d{1,9}') THEN ${v}::INTEGER END`;
      return {
        typed: `CASE WHEN ${typed} BETWEEN ${kind.min} AND ${kind.max} THEN ${typed} END`,
        invalid: `CASE WHEN ${typed} IS NULL OR ${typed} NOT BETWEEN ${kind.min} AND ${kind.max}
                       THEN '应为${kind.min}至${kind.max}的整数 / not a whole number from ${kind.min} to ${kind.max}' END`,
      };
    }
    case 'enum': {
      const typed = enumCase(v, kind.values);
      const allowed = Object.entries(kind.values).map(([en, zh]) => `${zh} ${en}`).join(', ');
      return { typed, invalid: `CASE WHEN ${typed} IS NULL THEN ${lit(`不是有效选项 / not one of: ${allowed}`)} END` };
    }
    case 'boolean': {
      const typed = `CASE WHEN lower(${v}) IN ('是', 'yes', 'true', '1', 'y') THEN true WHEN lower(${v}) IN ('否', 'no', 'false', '0', 'n') THEN false END`;
      return { typed, invalid: `CASE WHEN ${typed} IS NULL THEN '应为是/否 / not yes or no (是/否, yes/no, true/false, 1/0)' END` };
    }
    case 'period': {
      // Normalise 2023-7 to 2023-07 and 2023q2 to 2023-Q2.
      const norm = `CASE WHEN regexp_full_match(${v}, '\\d{4}') THEN ${v}
                         WHEN regexp_full_match(${v}, '\\d{4}-?[qQ][1-4]') THEN left(${v}, 4) || '-Q' || right(${v}, 1)
                         WHEN regexp_full_match(${v}, '\\d{4}-(0?[1-9]|1[0-2])') THEN left(${v}, 4) || '-' || lpad(split_part(${v}, '-', 2), 2, '0') END`;
      return { typed: norm, invalid: `CASE WHEN (${norm}) IS NULL THEN '期间格式错误 / not a period: use 2023, 2023-Q2 or 2023-07' END` };
    }
    case 'number': {
      const typed = `CASE WHEN lower(${v}) IN ('是', 'true', 'yes') THEN 1.0 WHEN lower(${v}) IN ('否', 'false', 'no') THEN 0.0
                          ELSE try_cast(replace(regexp_replace(${v}, '%$', ''), ',', '') AS DOUBLE) END`;
      return { typed: `CASE WHEN isfinite(${typed}) THEN ${typed} END`, invalid: `CASE WHEN NOT coalesce(isfinite(${typed}), false) THEN '不是数值 / not a number (95% means 95)' END` };
    }
    case 'indicator':
      return {
        typed: `upper(${v})`,
        invalid: `CASE WHEN upper(${v}) NOT IN (SELECT code FROM dim_indicator) THEN '指标编码不存在 / not an indicator code of the catalog' END`,
      };
  }
}
