// Rebuilding a snapshot with the current warehouse code (an upgrade): the facts and the load history
// stay as they are; everything else (schema, dimensions, catalog, marts, indicators) is made again by
// this code. No source file is read again. Done in the next snapshot and published atomically like a
// load: `npm run etl -- rebuild`, `npm start` when the live snapshot was built by other code, and a
// load onto such a snapshot (etl/load.ts).
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlDir } from '../core/paths.ts';
import { warehouseCodeVersion } from '../core/warehouse-code.ts';
import { ident, lit, rows, run } from './duck.ts';
import { buildNextSnapshot } from './publish.ts';
import { initWarehouse, rebuildDerived } from './warehouse.ts';

/** What a snapshot keeps across a rebuild: the facts (02-facts.sql) and the load history (03-etl.sql). */
const HISTORY_TABLES = ['load_batch', 'load_reject', 'report_arrival'];
const isCarried = (table: string) => table.startsWith('fact_') || HISTORY_TABLES.includes(table);

/** The code version stamped in the open database's snapshot_info (null: none recorded). */
export async function codeVersionIn(conn: DuckDBConnection): Promise<string | null> {
  // Snapshots built before versions were recorded have no such column.
  const [has] = await rows<{ n: number }>(
    conn,
    `SELECT count(*)::INTEGER AS n FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_name = 'snapshot_info' AND column_name = 'code_version'`,
  );
  if (has.n === 0) return null;
  const [row] = await rows<{ v: string | null }>(conn, `SELECT max(code_version) AS v FROM snapshot_info`);
  return row?.v ?? null;
}

/** The code version of the warehouse file at `file`, opened read-only (null: none recorded). */
export async function codeVersionOf(file: string): Promise<string | null> {
  const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    return await codeVersionIn(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Drop every object of the open database (a copy of a snapshot being upgraded before a load; empty for a rebuild). */
async function dropEverything(conn: DuckDBConnection): Promise<void> {
  const main = `database_name = current_database() AND schema_name = 'main'`;
  const here = `${main} AND NOT internal`;
  for (const { name } of await rows<{ name: string }>(conn, `SELECT view_name AS name FROM duckdb_views() WHERE ${here}`)) {
    await run(conn, `DROP VIEW ${ident(name)}`);
  }
  // Tables that reference others go first (dim_county -> dim_city).
  const tables = await rows<{ name: string }>(
    conn,
    `SELECT table_name AS name FROM duckdb_tables() t WHERE ${here}
     ORDER BY (SELECT count(*) FROM duckdb_constraints() c WHERE c.database_name = t.database_name
               AND c.table_name = t.table_name AND c.constraint_type = 'FOREIGN KEY') DESC`,
  );
  for (const { name } of tables) await run(conn, `DROP TABLE ${ident(name)}`);
  const macros = await rows<{ name: string; kind: string }>(
    conn,
    `SELECT DISTINCT function_name AS name, function_type AS kind FROM duckdb_functions()
     WHERE ${here} AND function_type IN ('macro', 'table_macro')`,
  );
  for (const m of macros) await run(conn, `DROP MACRO ${m.kind === 'table_macro' ? 'TABLE ' : ''}${ident(m.name)}`);
  for (const { name } of await rows<{ name: string }>(conn, `SELECT sequence_name AS name FROM duckdb_sequences() WHERE ${main}`)) {
    await run(conn, `DROP SEQUENCE ${ident(name)}`);
  }
  for (const { name } of await rows<{ name: string }>(conn, `SELECT type_name AS name FROM duckdb_types() WHERE ${here}`)) {
    await run(conn, `DROP TYPE ${ident(name)}`);
  }
}

/**
 * In the next snapshot (open as `conn`: empty for rebuildWarehouse, a copy of `live` for a load's
 * upgrade in etl/load.ts): make the schema, dimensions and catalog
 * anew with the current code and carry the facts and load history over from `live`, column by column
 * name (a column the current schema added gets its default, one it dropped is left behind).
 * Returns the rows carried per table. The caller rebuilds marts and indicators and stamps the build.
 */
export async function carryFactsInto(conn: DuckDBConnection, live: string): Promise<Record<string, number>> {
  await dropEverything(conn);
  await initWarehouse(conn);
  await run(conn, `ATTACH ${lit(live)} AS prev (READ_ONLY)`);
  try {
    const columns = await rows<{ t: string; c: string }>(
      conn,
      `SELECT now.table_name AS t, now.column_name AS c
       FROM information_schema.columns now
       JOIN information_schema.columns was
         ON was.table_catalog = 'prev' AND was.table_name = now.table_name AND was.column_name = now.column_name
       WHERE now.table_catalog = current_database() ORDER BY now.table_name, now.ordinal_position`,
    );
    const carried: Record<string, number> = {};
    for (const table of [...new Set(columns.map((r) => r.t))].filter(isCarried)) {
      const list = columns.filter((r) => r.t === table).map((r) => ident(r.c)).join(', ');
      await run(conn, `INSERT INTO main.${ident(table)} (${list}) SELECT ${list} FROM prev.main.${ident(table)}`);
      const [{ n }] = await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM main.${ident(table)}`);
      carried[table] = n;
    }
    // Fills what the newer bookkeeping derives from the older (arrival times, first arrivals).
    await run(conn, await readFile(path.join(sqlDir, 'schema', '03-etl.sql'), 'utf8'));
    // The facts did not change, so neither did the newest date in them.
    await run(
      conn,
      `DELETE FROM snapshot_info;
       INSERT INTO snapshot_info (built_at, catalog_version, newest_data)
         SELECT now()::TIMESTAMP, (SELECT max(catalog_version) FROM dim_indicator), (SELECT max(newest_data) FROM prev.snapshot_info)`,
    );
    return carried;
  } finally {
    await run(conn, 'DETACH prev');
  }
}

/** Stamp the open snapshot as built by this code (snapshot_info holds one row per build). */
export async function stampCodeVersion(conn: DuckDBConnection): Promise<void> {
  await run(conn, `UPDATE snapshot_info SET code_version = ${lit(await warehouseCodeVersion())}`);
}

/**
 * Thrown in a load's next snapshot that began as a copy of one built by other code: the load starts
 * again from an empty database (etl/load.ts), as a rebuild does. In the copy, the tables the upgrade
 * dropped kept their blocks (DuckDB does not give them back): the upgraded file about doubled, and
 * every later load copied the difference.
 */
export class RebuildFromEmpty extends Error {
  constructor() {
    super('a snapshot built by other code is rebuilt in an empty database, not in a copy');
  }
}

/** In a load's next snapshot: rebuild it first when `live` was built by other code; when the snapshot
 * is a copy of `live` (`copied`), throw RebuildFromEmpty instead. */
export async function upgradeIfBuiltByOtherCode(conn: DuckDBConnection, live: string, copied = false): Promise<boolean> {
  const built = await codeVersionIn(conn);
  if (built === null && !(await exists(live))) return false; // a new warehouse, made by this code
  if (built === (await warehouseCodeVersion())) return false;
  if (copied) throw new RebuildFromEmpty();
  await carryFactsInto(conn, live);
  return true;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

export interface RebuildSummary {
  warehouse: string;
  /** the code version that had built the live snapshot (null: none recorded) */
  from: string | null;
  to: string;
  /** rows carried over per fact and history table */
  carried: Record<string, number>;
  seconds: number;
}

/**
 * Rebuild the snapshot at `live` with the current code and publish it. The next snapshot starts empty,
 * not as a copy of `live`: everything in it is made again, and DuckDB does not give back the blocks a
 * copy's dropped tables held (a rebuilt scale-1 copy was 456 MB against 242 MB made afresh, and every
 * later load copied and flushed the difference).
 */
export async function rebuildWarehouse(live: string): Promise<RebuildSummary> {
  const started = performance.now();
  if (!(await exists(live))) throw new Error(`${live}: 没有仓库可重建 / no warehouse to rebuild (load files first: npm run etl -- load)`);
  const { from, carried } = await buildNextSnapshot(live, async (conn) => {
    const from = await codeVersionOf(live);
    const carried = await carryFactsInto(conn, live);
    await rebuildDerived(conn);
    await stampCodeVersion(conn);
    return { from, carried };
  }, {}, {}, 'empty');
  return { warehouse: live, from, to: await warehouseCodeVersion(), carried, seconds: (performance.now() - started) / 1000 };
}

/** One line for the console: what was rebuilt, from which code version to which, the facts kept. */
export function rebuildLine(s: RebuildSummary): string {
  const facts = Object.entries(s.carried).filter(([t]) => t.startsWith('fact_')).reduce((sum, [, n]) => sum + n, 0);
  return `已用当前代码重建仓库 / rebuilt ${s.warehouse} with the current warehouse code (${s.from ?? 'unversioned'} -> ${s.to}): ` +
    `${facts} fact rows kept, no source file re-read, in ${s.seconds.toFixed(1)} s`;
}
