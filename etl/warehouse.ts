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
  const makes = new Set([...code.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(\w+)/gi)].map((m) => m[1]));
  const reads = new Set([...code.matchAll(/\b((?:fact|mart)_\w+)/g)].map((m) => m[1]).filter((t) => !makes.has(t)));
  return { makes, reads };
}

/**
 * Marts and indicator scores are pure functions of the facts (and the dimensions), rebuilt after every
 * load. `changedFacts`: the fact tables this load changed; a mart file that reads none of them (nor a
 * mart remade before it) keeps its tables as they are, which is what remaking them would give. Without
 * it, or when a table a file makes is missing, everything is made. The indicator engine is always run
 * in full: it reads every mart, the load history and today's date.
 */
export async function rebuildDerived(conn: DuckDBConnection, changedFacts?: ReadonlySet<string>): Promise<void> {
  const existing = new Set(
    (await rows<{ t: string }>(conn, `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`)).map((r) => r.t),
  );
  const changed = new Set(changedFacts ?? []);
  for (const file of await sqlFiles(path.join(sqlDir, 'marts'))) {
    const sql = await readFile(file, 'utf8');
    const { makes, reads } = martDeps(sql);
    const stale = !changedFacts || makes.size === 0 || [...makes].some((t) => !existing.has(t)) || [...reads].some((t) => changed.has(t));
    if (!stale) continue;
    try {
      await run(conn, sql);
    } catch (e) {
      throw new Error(`${path.relative(sqlDir, file)}: ${(e as Error).message}`);
    }
    for (const t of makes) changed.add(t);
  }
  await runSqlDir(conn, path.join(sqlDir, 'indicators'));
}
