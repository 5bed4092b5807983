// Compiles a stream of the contract into one SQL statement that turns the staging table (text) into
// typed rows plus, per row, the list of problems found: empty required values, values that do not
// parse, and cross-column rules. A row with no problems is a candidate for loading.
import type { Stream } from '../contract/streams.ts';
import { ident, lit } from '../duck.ts';
import { valueSql } from './values.ts';


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
  /** CREATE TEMP TABLE checked AS ... from the staging table stg. */
  checkSql: string;
  /** the typed columns of the fact table, in order (without batch_id) */
  factColumns: string[];
}

/** Empty or blank cells are NULL; surrounding spaces (also full-width) are dropped. The cheap LIKE guard
 * skips the regex for the usual clean value. */
function cleaned(raw: string): string {
  const needsTrim = `${raw} LIKE ' %' OR ${raw} LIKE '% ' OR contains(${raw}, chr(12288)) OR contains(${raw}, chr(9))
                     OR contains(${raw}, chr(160)) OR contains(${raw}, chr(13)) OR contains(${raw}, chr(10))`;
  return `nullif(CASE WHEN ${needsTrim} THEN regexp_replace(${raw}, '^[\\s\u3000\u00a0]+|[\\s\u3000\u00a0]+$', '', 'g') ELSE ${raw} END, '')`;
}

export function compileStream(stream: Stream, headerOf: Map<string, string>): CompiledStream {
  const q = (prefix: string, name: string) => ident(`${prefix}_${name}`);
  const cleanCols = stream.columns.map((c) => `${cleaned(ident(c.name))} AS ${q('v', c.name)}`);
  const parsedCols = stream.columns.map((c) => `${valueSql(c.value).parse(q('v', c.name))} AS ${q('p', c.name)}`);
  const typedCols: string[] = [];
  const problems: string[] = [];
  for (const c of stream.columns) {
    const sql = valueSql(c.value);
    const v = q('v', c.name);
    const p = q('p', c.name);
    typedCols.push(`${sql.inRange ? `CASE WHEN ${sql.inRange(p)} THEN ${p} END` : p} AS ${ident(c.name)}`);
    const missing = c.required ? `WHEN ${v} IS NULL THEN '必填项为空 / required value is missing'` : '';
    problems.push(
      `{'column': ${lit(headerOf.get(c.name) ?? c.name)}, 'value': left(${q('v', c.name)}, 500),
        'reason': CASE ${missing} WHEN ${v} IS NOT NULL THEN (${sql.invalid(v, p)}) END}`,
    );
  }
  const anyProblem = stream.columns
    .map((c) => `(${q('v', c.name)} IS ${c.required ? '' : 'NOT '}NULL ${c.required ? 'OR' : 'AND'} ${ident(c.name)} IS NULL)`)
    .join(' OR ');
  const rules = [...stream.rules, ...(stream.name === 'indicator_value' ? indicatorValueRules : [])];
  const ruleProblems = rules.map(
    (r) =>
      `{'column': ${lit(headerOf.get(r.column) ?? r.column)}, 'value': left(${q('v', r.column)}, 500),
        'reason': CASE WHEN ${r.broken} THEN ${lit(r.reason)} END}`,
  );
  const names = stream.columns.map((c) => `t.${ident(c.name)}`).join(', ');
  const periodBounds =
    stream.name === 'indicator_value'
      ? `, CASE WHEN length(t.period) = 4 THEN make_date(left(t.period, 4)::INTEGER, 1, 1)
                WHEN t.period LIKE '____-Q_' THEN make_date(left(t.period, 4)::INTEGER, right(t.period, 1)::INTEGER * 3 - 2, 1)
                ELSE make_date(left(t.period, 4)::INTEGER, right(t.period, 2)::INTEGER, 1) END AS period_start,
         (period_start + CASE WHEN length(t.period) = 4 THEN INTERVAL 1 YEAR WHEN t.period LIKE '____-Q_' THEN INTERVAL 3 MONTH
                              ELSE INTERVAL 1 MONTH END - INTERVAL 1 DAY)::DATE AS period_end`
      : '';
  const joinIndicator = stream.name === 'indicator_value' ? `LEFT JOIN dim_indicator ind ON ind.code = t.indicator_code` : '';
  const noRule = "{'column': NULL::VARCHAR, 'value': NULL::VARCHAR, 'reason': NULL::VARCHAR}";
  // Each stage evaluates its expressions once: clean -> parse -> typed + problems -> row rules.
  const checkSql = `
    CREATE OR REPLACE TEMP TABLE checked AS
    WITH clean AS (SELECT __line, ${cleanCols.join(', ')} FROM stg),
    parsed AS (SELECT *, ${parsedCols.join(', ')} FROM clean),
    typed AS (SELECT __line, ${stream.columns.map((c) => `${q('v', c.name)}, ${q('p', c.name)}`).join(', ')}, ${typedCols.join(', ')} FROM parsed),
    listed AS (
      -- A value is refused exactly when it is non-empty and its typed value is NULL: list the
      -- problems only for rows that have one (building the list for every row costs more).
      SELECT *, CASE WHEN ${anyProblem} THEN list_filter([${problems.join(',\n        ')}], x -> x.reason IS NOT NULL) ELSE [] END AS problems
      FROM typed
    )
    SELECT t.__line, ${names}${periodBounds},
           CASE WHEN len(t.problems) > 0 THEN t.problems
                WHEN ${rules.map((r) => `coalesce(${r.broken}, false)`).join(' OR ') || 'false'}
                THEN list_filter([${ruleProblems.join(', ') || noRule}], x -> x.reason IS NOT NULL) ELSE [] END AS problems
    FROM listed t ${joinIndicator}`;
  const factColumns = stream.columns.map((c) => c.name);
  if (stream.name === 'indicator_value') factColumns.push('period_start', 'period_end');
  return { checkSql, factColumns };
}
