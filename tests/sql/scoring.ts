// A scoring warehouse for tests: a real DuckDB file (schema, dimensions, the catalog) in a temp dir,
// facts inserted by hand, then the marts and sql/indicators/*.sql run exactly as a load runs them
// (rebuildDerived). `useCatalog` swaps dim_indicator for a few hand-made indicators so that a
// composite can be computed by hand; without it the real 47 + 88 catalog scores.
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseTargetRule, targetColumns } from '../../etl/catalog/catalog.ts';
import { lit, rows, run } from '../../etl/duck.ts';
import { sqlDir } from '../../core/paths.ts';
import { createWarehouse, rebuildDerived, runSqlDir } from '../../etl/warehouse.ts';
import { tempDir } from '../helpers/tmp.ts';

export interface Scoring {
  file: string;
  conn: DuckDBConnection;
  /** Run the marts and the indicator SQL over the facts inserted so far. */
  score(): Promise<void>;
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  exec(sql: string): Promise<void>;
  close(): void;
}

export async function scoringWarehouse(name = 'wh'): Promise<Scoring> {
  const dir = await tempDir('uc-score-');
  const file = path.join(dir, `${name}.duckdb`);
  await createWarehouse(file);
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  return {
    file,
    conn,
    // UC_INDICATOR_SQL=<dir> runs the marts and that folder instead of sql/indicators (trying changes
    // to the indicator SQL without putting them in front of every load in the shared tree)
    score: async () => {
      const dir = process.env.UC_INDICATOR_SQL;
      if (!dir) {
        await rebuildDerived(conn);
        return;
      }
      await runSqlDir(conn, path.join(sqlDir, 'marts'));
      await runSqlDir(conn, path.resolve(dir));
    },
    all: <T>(sql: string) => rows<T>(conn, sql),
    exec: (sql: string) => run(conn, sql),
    close: () => {
      conn.closeSync();
      db.closeSync();
    },
  };
}

/** A hand-made indicator; everything but code and rule has a default. */
export interface TestIndicator {
  code: string;
  rule: string;
  set?: 'county47' | 'reform88';
  weight?: number;
  unit?: 'count' | 'percent' | 'yuan' | 'days' | 'boolean' | 'ratio';
  direction?: 'higher_better' | 'lower_better' | 'target_band';
  period?: 'annual' | 'quarterly' | 'monthly';
  source?: 'reported' | 'mediation' | 'insurance' | 'assistance' | 'training' | 'funding';
  metric?: string | null;
  appliesTo?: 'all' | 'service_complex_pilot';
  dropAlert?: number | null;
  dimension?: string;
  /** Per-year target overrides: { 2023: '>= 70%' }. */
  overrides?: Record<number, string>;
}

const sqlValue = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? lit(v) : String(v));

/** Replace the catalog in the warehouse with these indicators (catalog_version 'test'). */
export async function useCatalog(s: Scoring, indicators: TestIndicator[]): Promise<void> {
  await s.exec('DELETE FROM dim_indicator_target; DELETE FROM dim_indicator;');
  for (const [index, i] of indicators.entries()) {
    const set = i.set ?? 'county47';
    const unit = i.unit ?? 'percent';
    const row = {
      catalog_version: 'test',
      indicator_set: set,
      code: i.code,
      sort_order: index + 1,
      dimension: i.dimension ?? (set === 'county47' ? '政治引领强' : '思想引领'),
      dimension_en: i.dimension ?? 'dimension',
      dimension_order: 1,
      name_zh: i.code,
      name_en: i.code,
      unit,
      direction: i.direction ?? (i.rule.startsWith('<=') ? 'lower_better' : i.rule.startsWith('between') ? 'target_band' : 'higher_better'),
      period: i.period ?? 'annual',
      ...targetColumns(parseTargetRule(i.rule), i.rule),
      weight: i.weight ?? 10,
      source: i.source ?? 'reported',
      metric: i.metric ?? null,
      applies_to: i.appliesTo ?? 'all',
      drop_alert: i.dropAlert ?? null,
      basis: 'derived',
    };
    await s.exec(`INSERT INTO dim_indicator (${Object.keys(row).join(', ')}) VALUES (${Object.values(row).map(sqlValue).join(', ')})`);
    for (const [year, rule] of Object.entries(i.overrides ?? {})) {
      const t = targetColumns(parseTargetRule(rule), rule);
      await s.exec(
        `INSERT INTO dim_indicator_target (catalog_version, code, year, ${Object.keys(t).join(', ')})
         VALUES ('test', ${lit(i.code)}, ${year}, ${Object.values(t).map(sqlValue).join(', ')})`,
      );
    }
  }
}

// Facts carry the file line that wrote them; hand-inserted rows get a running number.
let line = 0;

/** Reported values: [indicator, unit, period ('2024', '2024-Q2', '2024-07'), value, batch_id?]. */
export async function insertReports(s: Scoring, reports: [string, string, string, number, number?][]): Promise<void> {
  if (reports.length === 0) return;
  const values = reports.map(([code, unit, period, value, batch]) => {
    const start =
      period.length === 4 ? `make_date(${period}, 1, 1)`
      : period.includes('Q') ? `make_date(${period.slice(0, 4)}, ${Number(period.slice(6)) * 3 - 2}, 1)`
      : `make_date(${period.slice(0, 4)}, ${Number(period.slice(5))}, 1)`;
    const months = period.length === 4 ? 12 : period.includes('Q') ? 3 : 1;
    return `(${lit(code)}, ${lit(unit)}, ${lit(period)}, ${start}, (${start} + INTERVAL ${months} MONTH - INTERVAL 1 DAY)::DATE, ${value}, ${batch ?? 1}, ${++line})`;
  });
  await s.exec(
    `INSERT INTO fact_indicator_value (indicator_code, unit_code, period, period_start, period_end, value, batch_id, line) VALUES ${values.join(', ')}`,
  );
}

export interface MediationCase {
  county: string;
  received: string;
  closed?: string | null;
  outcome: 'success' | 'failed' | 'withdrawn' | 'pending';
  type?: 'wages' | 'social_insurance' | 'contract' | 'injury' | 'other';
  amount?: number | null;
}

let caseSeq = 0;
export async function insertMediation(s: Scoring, cases: MediationCase[]): Promise<void> {
  const values = cases.map(
    (c) =>
      `(${lit(`M${++caseSeq}`)}, ${lit(c.county)}, DATE ${lit(c.received)}, ${c.closed ? `DATE ${lit(c.closed)}` : 'NULL'}, ` +
      `${lit(c.type ?? 'other')}, 'union', ${lit(c.outcome)}, 1, ${c.amount ?? 'NULL'}, 1, ${++line})`,
  );
  await s.exec(
    `INSERT INTO fact_mediation (case_id, county_code, received_date, closed_date, dispute_type, channel, outcome, workers, amount_yuan, batch_id, line)
     VALUES ${values.join(', ')}`,
  );
}

/** n identical mediation cases (received = closed date). */
export function cases(n: number, c: MediationCase): MediationCase[] {
  return Array.from({ length: n }, () => c);
}

export interface Grant {
  recipient: string;
  program: 'county_strengthening' | 'workers_palace' | 'service_complex' | 'outdoor_station' | 'hardship' | 'other';
  source: 'acftu' | 'regional_federation' | 'finance' | 'city_match';
  amount: number;
  date: string;
}

let grantSeq = 0;
export async function insertFunding(s: Scoring, grants: Grant[]): Promise<void> {
  const values = grants.map(
    (g) => `(${lit(`G${++grantSeq}`)}, ${lit(g.recipient)}, ${lit(g.program)}, ${lit(g.source)}, ${g.amount}, DATE ${lit(g.date)}, 1, ${++line})`,
  );
  await s.exec(
    `INSERT INTO fact_funding (grant_id, recipient_code, program, source, amount_yuan, disbursed_date, batch_id, line) VALUES ${values.join(', ')}`,
  );
}

export interface TrainingRecord {
  county: string;
  person: string;
  kind: 'training' | 'competition' | 'certification';
  date: string;
  level?: string | null;
  certified?: boolean;
}

let recordSeq = 0;
export async function insertTraining(s: Scoring, records: TrainingRecord[]): Promise<void> {
  const values = records.map(
    (r) =>
      `(${lit(`T${++recordSeq}`)}, ${lit(r.county)}, ${lit(r.person)}, ${lit(r.kind)}, 'p', DATE ${lit(r.date)}, ` +
      `${r.level ? lit(r.level) : 'NULL'}, ${r.certified ?? false}, 1, ${++line})`,
  );
  await s.exec(
    `INSERT INTO fact_training (record_id, county_code, person_id, kind, program, date, skill_level, certified, batch_id, line) VALUES ${values.join(', ')}`,
  );
}

export interface AssistanceCase {
  county: string;
  opened: string;
  status: 'active' | 'resolved' | 'exited';
  closed?: string | null;
  channel?: 'union' | 'referral' | 'online';
  aid?: number;
}

let assistanceSeq = 0;
export async function insertAssistance(s: Scoring, records: AssistanceCase[]): Promise<void> {
  const values = records.map(
    (r) =>
      `(${lit(`A${++assistanceSeq}`)}, ${lit(r.county)}, DATE ${lit(r.opened)}, 'relative', 'illness', ${lit(r.channel ?? 'union')}, ` +
      `${r.aid ?? 0}, ${lit(r.status)}, ${r.closed ? `DATE ${lit(r.closed)}` : 'NULL'}, 1, ${++line})`,
  );
  await s.exec(
    `INSERT INTO fact_assistance (case_id, county_code, opened_date, level, cause, channel, aid_yuan, status, closed_date, batch_id, line)
     VALUES ${values.join(', ')}`,
  );
}

/** Round for comparing hand-computed figures. */
export const r4 = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);
