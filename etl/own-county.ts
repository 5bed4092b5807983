// A county's file carries only its own rows, and may not take over another county's record: merge by key
// would otherwise let a row with a case id a neighbour has filed replace the neighbour's. The upload
// check, its preview and the publish of approved files (etl/worker.ts, load.ts) apply the same rule.
import type { DuckDBConnection } from '@duckdb/node-api';
import { reportingUnitColumn, type Stream } from '../core/contract.ts';
import { ident, lit, run } from './duck.ts';
import type { ExtraRule, ExtraRuleFor } from './load.ts';

/** The held files' checked rows (etl/load.ts checkHeld), with their batch. */
const HELD = 'checked_held';

const keysMatch = (stream: Stream, a: string, b: string) => stream.key.map((k) => `${a}.${ident(k)} = ${b}.${ident(k)}`).join(' AND ');

/** A row of `t` naming another unit than `county` (SQL). */
const foreign = (stream: Stream, t: string, county: string) => {
  const col = `${t}.${ident(reportingUnitColumn(stream).name)}`;
  return `(${col} IS NOT NULL AND ${col} <> ${county})`;
};

/** A row of `t` whose key `facts` holds for another unit than `county` (SQL). Keys that carry the unit
 * (indicator values) cannot collide across counties. */
const takenIn = (stream: Stream, facts: string, t: string, county: string, where = 'true') => {
  const column = ident(reportingUnitColumn(stream).name);
  if (stream.key.includes(reportingUnitColumn(stream).name)) return 'false';
  return `EXISTS (SELECT 1 FROM ${facts} f WHERE ${keysMatch(stream, 'f', t)} AND f.${column} <> ${county} AND ${where})`;
};

/**
 * The rule for one county's file, over `checked` as `t`. `facts`: where the facts to compare with are:
 * 'live' (the live warehouse attached read-only under that name, at upload), 'main' (the snapshot being
 * built, at publish), or null (no warehouse yet). `heldBefore`: the file is held with others in a
 * publish (its batch): the accepted rows of the files before it count as filed too, as when each file is
 * merged before the next is checked.
 */
export function ownCountyRule(county: string, facts: 'live' | 'main' | null, heldBefore?: number): ExtraRuleFor {
  return (stream: Stream): ExtraRule => {
    const column = reportingUnitColumn(stream).name;
    const col = `t.${ident(column)}`;
    const own = lit(county);
    const taken = [
      facts === null ? 'false' : takenIn(stream, `${facts}.${stream.table}`, 't', own),
      heldBefore === undefined ? 'false' : takenIn(stream, HELD, 't', own, `f.__batch < ${heldBefore} AND f.ok`),
    ].join(' OR ');
    return {
      column,
      broken: `${foreign(stream, 't', own)} OR (${taken})`,
      reason: `CASE WHEN ${foreign(stream, 't', own)} THEN '单位代码 ' || ${col} || ' 不是本单位 ' || ${own} || ' / ' || ${col} || ' is not your county (' || ${own} || ')'
               ELSE '编号已被其他单位使用 / ' || ${stream.key.map((k) => `t.${ident(k)}`).join(" || ' ' || ")} || ' is already filed by another county' END`,
    };
  };
}

/**
 * The same rule over the held files of a publish at once (checked_held; `countyOfBatch` gives each
 * batch's county; its rows as the contract finally judges them): their rows that break it are no
 * longer ok, exactly those that ownCountyRule(county, 'main', batch) finds when each file is checked
 * after the ones before it. First the rows of another county or with a key the snapshot holds for
 * another; then the rows whose key an earlier file still has accepted. That earlier row's own key
 * cannot have been taken by a yet earlier file of the same county, as a publish loads at most one
 * file per county and stream together (etl/worker.ts publishLoads), so the first file with the key
 * keeps it and the test against the survivors of the first step is exact.
 */
export async function markOtherCountiesRows(conn: DuckDBConnection, stream: Stream, countyOfBatch: ReadonlyMap<number, string>): Promise<void> {
  if (countyOfBatch.size === 0) return;
  const taken = (where: string) => `SELECT t.__batch, t.__line FROM ${HELD} t JOIN held_county o USING (__batch) WHERE t.ok AND ${where}`;
  const notOk = `UPDATE ${HELD} t SET ok = false FROM held_taken x WHERE x.__batch = t.__batch AND x.__line = t.__line`;
  await run(
    conn,
    `CREATE OR REPLACE TEMP TABLE held_county AS SELECT * FROM (VALUES ${[...countyOfBatch].map(([batch, county]) => `(${batch}, ${lit(county)})`).join(', ')}) o(__batch, county);
     CREATE OR REPLACE TEMP TABLE held_taken AS ${taken(`coalesce(${foreign(stream, 't', 'o.county')} OR ${takenIn(stream, `main.${stream.table}`, 't', 'o.county')}, false)`)};
     ${notOk};
     CREATE OR REPLACE TEMP TABLE held_taken AS ${taken(takenIn(stream, HELD, 't', 'o.county', 'f.__batch < t.__batch AND f.ok'))};
     ${notOk};
     DROP TABLE held_taken; DROP TABLE held_county;`,
  );
}
