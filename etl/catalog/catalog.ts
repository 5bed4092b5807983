// The indicator catalog: one CSV file (fixtures/reference/indicator-catalog.csv, format in
// fixtures/reference/CATALOG.md) parsed and validated once for the ETL, the API, the UI and the tests.
// Validation collects every problem and throws them together, each naming file, line and code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { CsvError, parseCsv } from './csv.ts';
import { metricsByName } from './metrics.ts';
import {
  AppliesToSchema,
  DirectionSchema,
  IndicatorSetSchema,
  PeriodSchema,
  SourceSchema,
  UnitSchema,
  appliesTo,
  directions,
  indicatorSets,
  periods,
  sources,
  units,
  type IndicatorSet,
  type Unit,
  type Direction,
} from '../../core/catalog-vocabulary.ts';
import type { DimIndicatorRow, DimIndicatorTargetRow, TargetColumns } from '../../core/indicator-rows.ts';
import {
  IndicatorSchema,
  bases,
  catalogColumns,
  dimensionsBySet,
  setRules,
  targetOverrideColumn,
  type Catalog,
  type Indicator,
  type TargetRule,
} from './schema.ts';
import { TargetRuleError, formatTargetRule, parseTargetRule } from './target-rule.ts';

export * from './schema.ts';
export { formatTargetRule, parseTargetRule, TargetRuleError } from './target-rule.ts';
export { metrics, metricsByName, type Metric, type MetricName } from './metrics.ts';

export const defaultCatalogPath = fileURLToPath(new URL('../../fixtures/reference/indicator-catalog.csv', import.meta.url));

export class CatalogError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`indicator catalog ${source} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
    this.name = 'CatalogError';
  }
}

export function loadCatalog(path: string = defaultCatalogPath): Catalog {
  return parseCatalog(readFileSync(path, 'utf8'), path);
}

const WEIGHT_TOLERANCE = 0.001;

export function parseCatalog(text: string, source: string): Catalog {
  const problems: string[] = [];
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new CatalogError(source, [`${source}:${error.line}: malformed CSV: ${error.reason}`]);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new CatalogError(source, [`${source}: the file is empty (expected a header row: ${catalogColumns.join(',')})`]);

  const names = header.fields.map((f) => f.trim());
  const at = (line: number) => `${source}:${line}`;
  const missing = catalogColumns.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push(`${at(header.line)}: header lacks column(s) ${missing.join(', ')}`);
  const overrideYears = new Map<number, number>(); // column index -> year
  names.forEach((name, index) => {
    const year = name.match(targetOverrideColumn)?.[1];
    if (year) overrideYears.set(index, Number(year));
    else if (!(catalogColumns as readonly string[]).includes(name)) {
      problems.push(`${at(header.line)}: unknown column "${name}" (allowed: ${catalogColumns.join(', ')}, target_YYYY)`);
    }
    if (names.indexOf(name) !== index) problems.push(`${at(header.line)}: column "${name}" appears twice`);
  });
  if (missing.length > 0) throw new CatalogError(source, problems);

  const indicators: Indicator[] = [];
  const lineOf = new Map<string, number>();
  const versions = new Map<string, number>();
  let rowsValid = true;
  let malformedRows = 0;
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      const code = row.fields[names.indexOf('code')]?.trim() || '(no code)';
      problems.push(`${at(row.line)}: ${code}: malformed CSV: ${row.fields.length} fields, the header has ${names.length} (an unquoted comma, or a missing field?)`);
      malformedRows++;
      continue;
    }
    const cell = (column: string) => (row.fields[names.indexOf(column)] ?? '').trim();
    const code = cell('code');
    const report = (problem: string) => problems.push(`${at(row.line)}: ${code || '(no code)'}: ${problem}`);
    const { indicator, valid } = readIndicator(cell, overrideYears, row.fields, report);
    versions.set(cell('version'), versions.get(cell('version')) ?? row.line);
    const seen = lineOf.get(code);
    if (seen !== undefined) report(`duplicate code (first on line ${seen})`);
    else lineOf.set(code, row.line);
    // Rows with a problem still count towards their set's size and weight, so that one bad
    // cell is reported once, not again as a wrong set size or weight sum.
    indicators.push(indicator);
    rowsValid &&= valid;
  }

  const versionList = [...versions.keys()];
  if (versionList.includes('')) problems.push(`${source}:${versions.get('')}: version is empty (every row carries the catalog version)`);
  if (versionList.length > 1) {
    problems.push(`${source}: rows disagree on the version: ${versionList.map((v) => `"${v}" (first on line ${versions.get(v)})`).join(', ')}`);
  }
  // Set sizes and weight sums mean nothing while a row could not be split into its fields.
  for (const set of malformedRows > 0 ? [] : indicatorSets) {
    const members = indicators.filter((i) => i.set === set);
    const expected = setRules[set].size;
    if (members.length !== expected) problems.push(`${source}: set ${set}: has ${members.length} indicators, expected exactly ${expected}`);
    const weights = members.map((i) => i.weight).filter((w) => Number.isFinite(w));
    const total = weights.reduce((sum, w) => sum + w, 0);
    if (weights.length === members.length && Math.abs(total - 100) > WEIGHT_TOLERANCE) {
      problems.push(`${source}: set ${set}: weights sum to ${round(total)}, expected 100`);
    }
  }
  if (problems.length > 0 || !rowsValid || malformedRows > 0) throw new CatalogError(source, problems);
  return makeCatalog(versionList[0] ?? '', indicators);
}

type Report = (problem: string) => void;

function readIndicator(
  cell: (column: string) => string,
  overrideYears: Map<number, number>,
  fields: string[],
  report: Report,
): { indicator: Indicator; valid: boolean } {
  const before = { count: 0 };
  const fail: Report = (p) => {
    before.count++;
    report(p);
  };
  const oneOf = <T extends string>(column: string, allowed: readonly T[], schema: TSchema): T => {
    const value = cell(column);
    if (!Value.Check(schema, value)) fail(`unknown ${column} "${value}" (expected one of: ${allowed.join(', ')})`);
    return value as T;
  };

  const set = oneOf('set', indicatorSets, IndicatorSetSchema);
  const code = cell('code');
  if (!/^[A-Z][A-Z0-9_]*$/.test(code)) fail(`code "${code}" must be capital letters, digits and _ (e.g. C01)`);
  const dimension = cell('dimension');
  const dims: readonly { zh: string }[] | undefined = dimensionsBySet[set];
  if (dims && !dims.some((d) => d.zh === dimension)) {
    fail(`unknown dimension "${dimension}" for set ${set} (expected one of: ${dims.map((d) => d.zh).join('、')})`);
  }
  const nameZh = cell('name_zh');
  const nameEn = cell('name_en');
  if (nameZh === '') fail('name_zh is empty');
  if (nameEn === '') fail('name_en is empty');
  const unit = oneOf('unit', units, UnitSchema);
  const direction = oneOf('direction', directions, DirectionSchema);
  const period = oneOf('period', periods, PeriodSchema);
  const indicatorSource = oneOf('source', sources, SourceSchema);
  const applies = oneOf('applies_to', appliesTo, AppliesToSchema);
  const basis = cell('basis');
  if (!(bases as readonly string[]).includes(basis)) fail(`unknown basis "${basis}" (expected one of: ${bases.join(', ')})`);

  const weightText = cell('weight');
  const weight = Number(weightText);
  if (weightText === '' || !Number.isFinite(weight) || weight <= 0 || weight > 100) {
    fail(`weight "${weightText}" must be a number above 0 and at most 100`);
  }

  const readRule = (column: string, text: string): TargetRule | undefined => {
    try {
      const rule = parseTargetRule(text);
      const mismatch = ruleMismatch(rule, unit, direction);
      if (mismatch) fail(`${column} "${text}": ${mismatch}`);
      return rule;
    } catch (error) {
      if (!(error instanceof TargetRuleError)) throw error;
      fail(`${column}: ${error.message}`);
      return undefined;
    }
  };
  const targetRule = cell('target_rule');
  const target = readRule('target_rule', targetRule);
  const targetsByYear: Record<number, TargetRule> = {};
  for (const [index, year] of overrideYears) {
    const text = (fields[index] ?? '').trim();
    if (text === '') continue;
    const rule = readRule(`target_${year}`, text);
    if (rule) targetsByYear[year] = rule;
  }

  const metricText = cell('metric');
  const metric = metricText === '' ? null : metricText;
  if (indicatorSource === 'reported') {
    if (metric !== null) fail(`a reported indicator has no metric, but metric is "${metric}" (clear it, or set source to the metric's stream)`);
  } else if (metric === null) {
    fail(`source ${indicatorSource} needs a metric (one of: ${[...metricsByName.values()].filter((m) => m.source === indicatorSource).map((m) => m.name).join(', ')})`);
  } else {
    const known = metricsByName.get(metric);
    if (!known) fail(`unknown metric "${metric}" (not in etl/catalog/metrics.ts)`);
    else {
      if (known.source !== indicatorSource) fail(`metric ${metric} is computed from source ${known.source}, but the indicator's source is ${indicatorSource}`);
      if (known.unit !== unit) fail(`metric ${metric} is in ${known.unit}, but the indicator's unit is ${unit}`);
    }
  }

  const dropText = cell('drop_alert');
  let dropAlert: number | null = null;
  if (dropText !== '') {
    const m = dropText.replace(/\s+/g, '').normalize('NFKC').match(/^(\d+(?:\.\d+)?)%$/);
    dropAlert = m ? Number(m[1]) : NaN;
    if (!m || dropAlert <= 0 || dropAlert > 100) fail(`drop_alert "${dropText}" must be a percentage above 0% and at most 100%, or empty`);
    if (unit === 'boolean' || direction === 'target_band') fail(`drop_alert does not apply to a ${unit === 'boolean' ? 'yes/no' : 'target-band'} indicator; leave it empty`);
  }

  const indicator: Indicator = {
    set,
    code,
    dimension,
    nameZh,
    nameEn,
    unit,
    direction,
    period,
    target: target ?? { op: '>=prev' }, // placeholder: the row is reported invalid below
    targetRule,
    targetsByYear,
    weight,
    source: indicatorSource,
    metric,
    appliesTo: applies,
    dropAlert,
    basis: basis as Indicator['basis'],
  };
  if (before.count > 0 || !target) return { indicator, valid: false };
  // The checks above are the friendly ones; this guards that they and the published schema agree.
  const schemaError = Value.Errors(IndicatorSchema, indicator)[0];
  if (schemaError) {
    report(`does not fit the indicator schema at ${schemaError.instancePath || '/'}: ${schemaError.message}`);
    return { indicator, valid: false };
  }
  return { indicator, valid: true };
}

/** Why a well-formed rule does not suit the indicator's unit and direction, or undefined. */
function ruleMismatch(rule: TargetRule, unit: Unit, direction: Direction): string | undefined {
  if (unit === 'boolean') return rule.op === '=' ? undefined : 'a yes/no indicator takes "= true"';
  switch (rule.op) {
    case '=':
      return `"= true" is for yes/no indicators, this one's unit is ${unit}`;
    case '>=':
    case '<=':
      if (direction === 'target_band') return 'a target_band indicator takes "between A and B"';
      if ((rule.op === '>=') !== (direction === 'higher_better')) return `${rule.op} does not suit direction ${direction}`;
      return percentMismatch(rule.percent, unit);
    case '>=prev':
      if (direction !== 'higher_better') return `">= prev" needs direction higher_better, not ${direction}`;
      if (rule.points !== undefined && unit !== 'percent') return `"+pt" (percentage points) needs unit percent, not ${unit}`;
      return undefined;
    case 'between':
      if (direction !== 'target_band') return `a band needs direction target_band, not ${direction}`;
      return percentMismatch(rule.percent, unit);
  }
}

function percentMismatch(percent: boolean, unit: Unit): string | undefined {
  if (percent && unit !== 'percent') return `a % target needs unit percent, not ${unit}`;
  if (!percent && unit === 'percent') return 'a percent indicator\'s target needs a % sign (write 90% for ninety percent)';
  return undefined;
}

function makeCatalog(version: string, indicators: Indicator[]): Catalog {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const bySet = new Map<IndicatorSet, Indicator[]>(indicatorSets.map((s) => [s, indicators.filter((i) => i.set === s)]));
  return {
    version,
    indicators,
    bySet: (set) => bySet.get(set) ?? [],
    get: (code) => byCode.get(code),
    targetFor(code, year) {
      const indicator = byCode.get(code);
      if (!indicator) throw new Error(`indicator catalog ${version}: no indicator ${code}`);
      return indicator.targetsByYear[year] ?? indicator.target;
    },
  };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

// ---- rows for the warehouse (sql/schema/indicator.sql) ----

export function targetColumns(rule: TargetRule, text: string): TargetColumns {
  return {
    target_rule: text,
    target_op: rule.op,
    target_value: rule.op === '>=' || rule.op === '<=' ? rule.value : rule.op === '=' ? (rule.value ? 1 : 0) : null,
    target_low: rule.op === 'between' ? rule.low : null,
    target_high: rule.op === 'between' ? rule.high : null,
    target_percent: 'percent' in rule ? rule.percent : null,
    target_relative: rule.op === '>=prev' ? (rule.relative ?? null) : null,
    target_points: rule.op === '>=prev' ? (rule.points ?? null) : null,
  };
}

/** One row per indicator for dim_indicator, in catalog order. */
export function catalogRows(catalog: Catalog): DimIndicatorRow[] {
  return catalog.indicators.map((i, index) => {
    const dims: readonly { zh: string; en: string }[] = dimensionsBySet[i.set];
    const dimensionOrder = dims.findIndex((d) => d.zh === i.dimension);
    return {
      catalog_version: catalog.version,
      indicator_set: i.set,
      code: i.code,
      sort_order: index + 1,
      dimension: i.dimension,
      dimension_en: dims[dimensionOrder]?.en ?? i.dimension,
      dimension_order: dimensionOrder + 1,
      name_zh: i.nameZh,
      name_en: i.nameEn,
      unit: i.unit,
      direction: i.direction,
      period: i.period,
      ...targetColumns(i.target, i.targetRule),
      weight: i.weight,
      source: i.source,
      metric: i.metric,
      applies_to: i.appliesTo,
      drop_alert: i.dropAlert,
      basis: i.basis,
    };
  });
}

/** One row per per-year target override for dim_indicator_target (target text in canonical form). */
export function catalogTargetRows(catalog: Catalog): DimIndicatorTargetRow[] {
  return catalog.indicators.flatMap((i) =>
    Object.entries(i.targetsByYear).map(([year, rule]) => ({
      catalog_version: catalog.version,
      code: i.code,
      year: Number(year),
      ...targetColumns(rule, formatTargetRule(rule)),
    })),
  );
}
