// Compiles a stream of the contract into SQL that turns the staging view (text) into typed rows, and
// lists, for the rows that may not load, every problem: empty required values, values that do not
// parse or are out of range, and broken cross-column rules.
import type { Stream, ValueKind } from '../../core/contract.ts';
import { ident, lit } from '../duck.ts';
import { halfWidth, valueSql } from './values.ts';

/** Extra rules that need the catalog: only reported indicators, at the indicator's granularity and level. */
const indicatorValueRules = [
  {
    column: 'indicator_code',
    broken: `ind.source <> 'reported'`,
    reason: '该指标由业务数据自动计算，不接受填报 / this indicator is computed from records, not reported',
  },
  {
    column: 'period',
    broken: `CASE ind.period WHEN 'annual' THEN length(t.period) <> 4 WHEN 'quarterly' THEN t.period NOT LIKE '____-Q_'
                             ELSE NOT regexp_full_match(t.period, '\\d{4}-\\d{2}') END`,
    reason: '期间与指标的填报周期不符 / the period does not fit the indicator (annual 2023, quarterly 2023-Q2, monthly 2023-07)',
  },
  {
    column: 'unit_code',
    broken: `(ind.indicator_set = 'county47') <> (t.unit_code IN (SELECT county_code FROM dim_county))`,
    reason: '单位层级不符：县级指标由县区填报，改革指标由设区市填报 / county indicators are reported by counties, reform indicators by cities',
  },
];

export interface CompiledStream {
  /** CREATE TEMP TABLE checked: every staged row typed, with `ok` saying whether it may load. */
  checkSql: string;
  /** the rows of `checked` that are not ok, typed again with full-width forms folded (run when there are any) */
  refoldSql: string;
  /** CREATE TEMP TABLE problems: (__line, problems list) for the rows of `checked` that are not ok. */
  problemsSql: string;
  /** the typed columns of the fact table, in order (without batch_id) */
  factColumns: string[];
  /**
   * checkSql without a join, for a check in the pass that reads the file (etl/load.ts checkAsRead): a
   * join's output does not keep the order of the rows read, which numbers their lines. The codes are
   * taken as sent, unlooked-up; `unknownSql` then counts the rows of `checked` with a code its
   * dimension lacks, whose typed value and `ok` the joined check would have made NULL and false.
   * Absent for indicator_value, whose rules join the catalog.
   */
  unjoined?: { checkSql: string; unknownSql: string };
}

/** Empty or blank cells are NULL; surrounding spaces (also full-width) are dropped. The cheap LIKE guard
 * skips the regex for the usual clean value. */
function cleaned(raw: string): string {
  const needsTrim = `${raw} LIKE ' %' OR ${raw} LIKE '% ' OR contains(${raw}, chr(12288)) OR contains(${raw}, chr(9))
                     OR contains(${raw}, chr(160)) OR contains(${raw}, chr(13)) OR contains(${raw}, chr(10))`;
  return `nullif(CASE WHEN ${needsTrim} THEN regexp_replace(${raw}, '^[\\s\u3000\u00a0]+|[\\s\u3000\u00a0]+$', '', 'g') ELSE ${raw} END, '')`;
}

/**
 * A value parsed as sent, or, when that fails, with its full-width characters folded to ASCII
 * (１２３, ２０２３－０７－０１, ４５０１０２). Only rows that failed the first pass are typed again this
 * way (refoldSql), so a clean file pays nothing for it; free text (ids, programme names) is kept
 * exactly as sent.
 */
function parsedSql(kind: ValueKind, v: string): string {
  const { parse } = valueSql(kind);
  if (kind.kind === 'text') return parse(v);
  return `coalesce(${parse(v)}, CASE WHEN ${v} IS NOT NULL THEN ${parse(folded(kind, v))} END)`;
}

/** The value as parsed on the second try (and as a refusal's reason judges it). */
const folded = (kind: ValueKind, v: string) => (kind.kind === 'text' ? v : `trim(${halfWidth(v)})`);

/**
 * Two statements over the staging view `stg`. The first types every row and decides `ok` without
 * building any message (the cost of a load is in this pass); the second re-reads only the rows that
 * are not ok and lists their problems: every refused value (a value is refused exactly when it is
 * non-empty and its typed value is NULL), and every broken cross-column rule, so that one upload shows
 * all that is wrong with a row.
 */
export function compileStream(stream: Stream, headerOf: Map<string, string>, carry?: string): CompiledStream {
  // A column of the staging view passed through to `checked` as it is: the batch of each row when the
  // rows of several files are checked at once (etl/load.ts, held files).
  const carried = (t: string) => (carry ? `${t}${ident(carry)}, ` : '');
  const q = (prefix: string, name: string) => ident(`${prefix}_${name}`);
  const col = (name: string) => ident(name);
  // The first pass cleans only free text (kept as sent, so it must be trimmed before it is stored): a
  // value of any other kind with spaces around it fails to parse as sent (each parse matches the whole
  // value, and a number's cast yields the same number), so its row fails and is typed again cleaned and
  // folded. The guard of cleaned() was a third of the check's time on a clean file.
  const value = (c: Stream['columns'][number], refold: boolean) =>
    refold || c.value.kind === 'text' ? cleaned(col(c.name)) : `nullif(${col(c.name)}, '')`;
  // joined false: the codes are not looked up (unjoined below).
  const parse = (kind: ValueKind, v: string, joined: boolean) => {
    const sql = valueSql(kind);
    return joined || !sql.lookup ? sql.parse(v) : sql.lookup.value(v);
  };
  const typedStages = (where: string, refold: boolean, joined = true) => `
    clean AS (SELECT ${carried('')}__line, ${stream.columns.map((c) => `${value(c, refold)} AS ${q('v', c.name)}`).join(', ')} FROM stg ${where}),
    parsed AS (SELECT *, ${stream.columns
      .map((c) => `${refold ? parsedSql(c.value, q('v', c.name)) : parse(c.value, q('v', c.name), joined)} AS ${q('p', c.name)}`)
      .join(', ')} FROM clean),
    typed AS (
      SELECT *, ${stream.columns
        .map((c) => {
          const sql = valueSql(c.value);
          const p = q('p', c.name);
          return `${sql.inRange ? `CASE WHEN ${sql.inRange(p)} THEN ${p} END` : p} AS ${col(c.name)}`;
        })
        .join(', ')}
      FROM parsed
    )`;
  const valueOk = (name: string, t = 't.') => {
    const c = stream.columns.find((x) => x.name === name);
    if (!c) return 'true';
    return c.required ? `${t}${col(c.name)} IS NOT NULL` : `(${t}${q('v', c.name)} IS NULL OR ${t}${col(c.name)} IS NOT NULL)`;
  };
  const valuesOk = stream.columns.map((c) => valueOk(c.name)).join(' AND ');
  const rules = [...stream.rules, ...(stream.name === 'indicator_value' ? indicatorValueRules : [])];
  const rulesOk = rules.map((r) => `NOT coalesce(${r.broken}, false)`).join(' AND ') || 'true';
  const joinIndicator = stream.name === 'indicator_value' ? `LEFT JOIN dim_indicator ind ON ind.code = t.indicator_code` : '';
  const periodBounds =
    stream.name === 'indicator_value'
      ? `, CASE WHEN length(t.period) = 4 THEN make_date(left(t.period, 4)::INTEGER, 1, 1)
                WHEN t.period LIKE '____-Q_' THEN make_date(left(t.period, 4)::INTEGER, right(t.period, 1)::INTEGER * 3 - 2, 1)
                ELSE make_date(left(t.period, 4)::INTEGER, right(t.period, 2)::INTEGER, 1) END AS period_start,
         (period_start + CASE WHEN length(t.period) = 4 THEN INTERVAL 1 YEAR WHEN t.period LIKE '____-Q_' THEN INTERVAL 3 MONTH
                              ELSE INTERVAL 1 MONTH END - INTERVAL 1 DAY)::DATE AS period_end`
      : '';
  const checkedRows = `
    SELECT ${carried('t.')}t.__line, ${stream.columns.map((c) => `t.${col(c.name)}`).join(', ')}${periodBounds},
           (${valuesOk}) AND (${rulesOk}) AS ok
    FROM typed t ${joinIndicator}`;
  const notOk = 'WHERE __line IN (SELECT __line FROM checked WHERE NOT ok)';
  const checkSql = `CREATE OR REPLACE TEMP TABLE checked AS WITH ${typedStages('', false)} ${checkedRows}`;
  const looked = stream.columns.flatMap((c) => {
    const lookup = valueSql(c.value).lookup;
    return lookup ? [`(${col(c.name)} IS NOT NULL AND NOT coalesce(${lookup.known(col(c.name))}, false))`] : [];
  });
  const unjoined = joinIndicator
    ? undefined
    : {
        checkSql: `CREATE OR REPLACE TEMP TABLE checked AS WITH ${typedStages('', false, false)} ${checkedRows}`,
        unknownSql: `SELECT count(*)::INTEGER AS n FROM checked WHERE ${looked.join(' OR ') || 'false'}`,
      };
  // The rows that failed, typed again with full-width forms folded (parsedSql), replace their first try.
  const refoldSql = `
    CREATE OR REPLACE TEMP TABLE refolded AS WITH ${typedStages(notOk, true)} ${checkedRows};
    DELETE FROM checked WHERE __line IN (SELECT __line FROM refolded);
    INSERT INTO checked SELECT * FROM refolded;
    DROP TABLE refolded;`;

  const valueProblems = stream.columns.map((c) => {
    const sql = valueSql(c.value);
    const v = q('v', c.name);
    const missing = c.required ? `WHEN ${v} IS NULL THEN '必填项为空 / required value is missing'` : '';
    return `{'column': ${lit(headerOf.get(c.name) ?? c.name)}, 'value': left(${v}, 500),
             'reason': CASE ${missing} WHEN ${v} IS NOT NULL THEN (${sql.invalid(folded(c.value, v), q('p', c.name))}) END}`;
  });
  // A rule is judged only when its own column's value was accepted: a refused closed_date is reported
  // once, as refused, not again as "a closed case needs a closed_date".
  const ruleProblems = rules.map(
    (r) => `{'column': ${lit(headerOf.get(r.column) ?? r.column)}, 'value': left(${q('v', r.column)}, 500),
             'reason': CASE WHEN ${valueOk(r.column)} AND ${r.broken} THEN ${lit(r.reason)} END}`,
  );
  const noRule = "{'column': NULL::VARCHAR, 'value': NULL::VARCHAR, 'reason': NULL::VARCHAR}";
  const problemsSql = `
    CREATE OR REPLACE TEMP TABLE problems AS
    WITH ${typedStages(notOk, true)},
    listed AS (SELECT *, list_filter([${valueProblems.join(',\n')}], x -> x.reason IS NOT NULL) AS value_problems FROM typed)
    SELECT t.__line,
           list_concat(t.value_problems, list_filter([${ruleProblems.join(', ') || noRule}], x -> x.reason IS NOT NULL)) AS problems
    FROM listed t ${joinIndicator}`;

  const factColumns = stream.columns.map((c) => c.name);
  if (stream.name === 'indicator_value') factColumns.push('period_start', 'period_end');
  return { checkSql, refoldSql, problemsSql, factColumns, unjoined };
}
