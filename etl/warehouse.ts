// Creating a warehouse file (schema + reference dimensions) and rebuilding what derives from facts.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { referenceDir, sqlDir } from '../core/paths.ts';
import { refreshCatalog } from './catalog-load.ts';
import { lit, rows, run } from './duck.ts';

async function sqlFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.sql')).sort();
  return names.map((n) => path.join(dir, n));
}

export async function runSqlDir(conn: DuckDBConnection, dir: string): Promise<void> {
  for (const file of await sqlFiles(dir)) {
    try {
      await run(conn, await readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`${path.relative(sqlDir, file)}: ${(e as Error).message}`);
    }
  }
}

/** Schema and dimensions into an open, empty database. */
export async function initWarehouse(conn: DuckDBConnection): Promise<void> {
  await runSqlDir(conn, path.join(sqlDir, 'schema'));
  const cities = lit(path.join(referenceDir, 'guangxi-cities.csv'));
  const counties = lit(path.join(referenceDir, 'guangxi-counties.csv'));
  const calendar = lit(path.join(referenceDir, 'reporting-calendar.csv'));
  await run(
    conn,
    `INSERT INTO dim_city SELECT city_code, city_name, city_short_name, city_pinyin, city_name_en
       FROM read_csv(${cities}, header = true, auto_detect = false,
         columns = {'city_code': 'VARCHAR', 'city_name': 'VARCHAR', 'city_short_name': 'VARCHAR', 'city_pinyin': 'VARCHAR',
                    'city_name_en': 'VARCHAR'});
     INSERT INTO dim_county SELECT county_code, county_name, county_short_name, county_pinyin, kind, city_code, county_name_en
       FROM read_csv(${counties}, header = true, auto_detect = false,
         columns = {'county_code': 'VARCHAR', 'county_name': 'VARCHAR', 'city_code': 'VARCHAR', 'city_name': 'VARCHAR',
                    'kind': 'VARCHAR', 'county_short_name': 'VARCHAR', 'county_pinyin': 'VARCHAR', 'county_name_en': 'VARCHAR'});
     INSERT INTO dim_report_calendar SELECT stream, period, deadline_day, name_zh, name_en
       FROM read_csv(${calendar}, header = true, auto_detect = false,
         columns = {'stream': 'VARCHAR', 'period': 'VARCHAR', 'deadline_day': 'INTEGER', 'name_zh': 'VARCHAR', 'name_en': 'VARCHAR'});`,
  );
  await refreshCatalog(conn);
}

/** Create a new warehouse file with its schema and dimensions and no facts. */
export async function createWarehouse(file: string): Promise<void> {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  try {
    await initWarehouse(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** The tables a mart file makes (CREATE ... TABLE name) and the fact and mart tables it reads. */
function martDeps(sql: string): { makes: Set<string>; reads: Set<string> } {
  const code = sql.replace(/--.*$/gm, '');
  const makes = new Set([...code.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/gi)].map((m) => m[1]));
  const reads = new Set([...code.matchAll(/\b((?:fact|mart)_\w+)/g)].map((m) => m[1]).filter((t) => !makes.has(t)));
  return { makes, reads };
}

/** What a load changed, for rebuildDerived. */
export interface DerivedChanges {
  /** the fact tables the load wrote */
  facts: ReadonlySet<string>;
  /** the first year of the rows it wrote or replaced (merge.ts LoadScope.changedFromYear); null: none */
  fromYear: number | null;
  /** the first month (YYYYMM) of those rows (LoadScope.changedFromMonth); null: none */
  fromMonth: number | null;
}

/** What rebuildDerived remade of the indicator engine. */
export interface DerivedBuild {
  /** the first year whose engine rows were made (engine_scope); null without any data */
  engineFromYear: number | null;
  /** the first month (YYYYMM) whose scoring periods were scored (engine_scope.first_month_key): the
   * periods of engineFromYear ending before it kept their scores */
  engineFromMonth: number | null;
  /** the streams whose metric values were made (metric_source_made in 20-metric-values.sql), sorted */
  metricSources: string[];
  /** every year was made (from the first data year) */
  engineFull: boolean;
}

/** The engine tables kept per year or period: those its files make with CREATE TABLE IF NOT EXISTS. */
async function engineYearTables(): Promise<string[]> {
  const out: string[] = [];
  for (const file of await sqlFiles(path.join(sqlDir, 'indicators'))) {
    const code = (await readFile(file, 'utf8')).replace(/--.*$/gm, '');
    out.push(...[...code.matchAll(/CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+)/gi)].map((m) => m[1]));
  }
  return out;
}

/**
 * Marts and indicator scores are pure functions of the facts (and the dimensions), rebuilt after every
 * load. `changes.facts`: the fact tables this load changed; a mart file that reads none of them (nor a
 * mart remade before it) keeps its tables as they are, which is what remaking them would give. One that
 * reads them finds `changes.fromMonth` in the TEMP table mart_scope (first_month_key; NULL when its
 * tables are missing or without `changes`: every month), for a mart that can remake those months only.
 * `changes.fromYear`: the indicator engine then remakes its per-year tables from that year on and keeps
 * the older rows; of those, the scores (indicator_score) of the periods ending from `changes.fromMonth`
 * on, and the metric values of the streams of `changes.facts` (engine_scope in
 * sql/indicators/10-periods.sql says when it must still remake every year, period and stream: the as-of
 * date moved, the first data year or the catalog changed). Without `changes`, or when
 * a table is missing, everything is made.
 */
export async function rebuildDerived(conn: DuckDBConnection, changes?: DerivedChanges): Promise<DerivedBuild> {
  const existing = new Set(
    (await rows<{ t: string }>(conn, `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`)).map((r) => r.t),
  );
  const changed = new Set(changes?.facts ?? []);
  for (const file of await sqlFiles(path.join(sqlDir, 'marts'))) {
    const sql = await readFile(file, 'utf8');
    const { makes, reads } = martDeps(sql);
    const stale = !changes || makes.size === 0 || [...makes].some((t) => !existing.has(t)) || [...reads].some((t) => changed.has(t));
    if (!stale) continue;
    const fromMonth = changes && [...makes].every((t) => existing.has(t)) ? changes.fromMonth : null;
    try {
      await run(conn, `CREATE OR REPLACE TEMP TABLE mart_scope AS SELECT ${fromMonth ?? 'NULL'}::INTEGER AS first_month_key`);
      await run(conn, sql);
    } catch (e) {
      throw new Error(`${path.relative(sqlDir, file)}: ${(e as Error).message}`);
    }
    for (const t of makes) changed.add(t);
  }
  const kept = await engineYearTables();
  const partial = changes !== undefined && existing.has('indicator_asof') && kept.every((t) => existing.has(t));
  await run(conn, 'DROP TABLE IF EXISTS engine_request');
  if (partial) {
    await run(
      conn,
      `CREATE TEMP TABLE engine_request AS
       SELECT ${changes.fromYear ?? 'NULL'}::INTEGER AS changed_from, ${changes.fromMonth ?? 'NULL'}::INTEGER AS changed_from_month,
              [${[...changes.facts].map(lit).join(', ')}]::VARCHAR[] AS changed_facts, as_of_date, first_year, catalog_version FROM indicator_asof`,
    );
  } else {
    for (const t of kept) await run(conn, `DROP TABLE IF EXISTS ${t}`);
  }
  try {
    await runSqlDir(conn, path.join(sqlDir, 'indicators'));
  } finally {
    await run(conn, 'DROP TABLE IF EXISTS engine_request');
  }
  const [scope] = await rows<{ from: number | null; month: number | null; first: number | null; sources: string; every: boolean }>(
    conn,
    `SELECT (SELECT max(first_year) FROM engine_scope) AS "from", (SELECT max(first_month_key) FROM engine_scope) AS month,
            (SELECT max(first_year) FROM indicator_asof) AS first,
            (SELECT coalesce(string_agg(source, ',' ORDER BY source), '') FROM metric_source_made) AS sources,
            (SELECT count(*) FROM metric_source_made) = (SELECT count(DISTINCT source) FROM metric_def) AS every`,
  );
  return {
    engineFromYear: scope.from,
    engineFromMonth: scope.month,
    metricSources: scope.sources === '' ? [] : scope.sources.split(','),
    engineFull: scope.from === null || (scope.from <= (scope.first ?? scope.from) && scope.month === scope.from * 100 + 1 && scope.every),
  };
}
