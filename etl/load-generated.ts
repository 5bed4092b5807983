// npm start's first load of the generator's files (etl/first-load.ts): a file whose rows the generator
// wrote in plain form (generate/typed-rows.ts) is loaded by inserting those rows, read with fixed
// column types, instead of staging its styled text and checking every cell (loadOne). The generator's
// rows are valid by construction and their keys unique, so loadOne would accept every row and reject,
// replace or leave alone none: the batch, its counts and the fact rows (with their lines) are the
// same, which tests/etl/first-load.test.ts checks against `etl load` of the same files. The styled
// file itself is written later (first-load.ts writeDemoFiles), which then fills in the batch's digest,
// left empty here. Other files (indicator values, with free-form numbers) go through loadOne.
import type { DuckDBConnection } from '@duckdb/node-api';
import { streams, type StreamName } from '../core/contract.ts';
import type { Arrival } from './arrival.ts';
import { ident, insertFacts, lit, rows, run } from './duck.ts';
import { typedColumns } from './generate/typed-rows.ts';
import { closeBatch, loadOne, openBatch, type FileSummary } from './load.ts';
import { firstMonthOf, widenScope, type LoadScope } from './merge.ts';

/** A generated file as the generator reported it. */
export interface GeneratedRows {
  stream: StreamName;
  format: 'csv' | 'xlsx';
  encoding: 'utf8' | 'utf8-bom' | 'gb18030';
  rows: number;
  /** its rows in plain form; none: loaded as any file */
  typedRows?: string;
}

/** The loader for LoadOptions.loadFile: `generated` says what the generator wrote for each file. */
export function loadGeneratedFile(generated: ReadonlyMap<string, GeneratedRows>) {
  return (conn: DuckDBConnection, file: string, scope: LoadScope, arrival: Arrival): Promise<FileSummary> => {
    const gen = generated.get(file);
    return gen?.typedRows ? insertTypedRows(conn, file, gen, scope, arrival) : loadOne(conn, file, gen?.stream, scope, arrival);
  };
}

async function insertTypedRows(conn: DuckDBConnection, file: string, gen: GeneratedRows, scope: LoadScope, arrival: Arrival): Promise<FileSummary> {
  const started = performance.now();
  const stream = streams[gen.stream];
  const id = await openBatch(conn, file, stream.name, arrival, ''); // its digest: when the styled file is written
  const types = Object.entries(typedColumns(gen.stream)).map(([c, t]) => `${lit(c)}: ${lit(t)}`).join(', ');
  const cols = stream.columns.map((c) => ident(c.name));
  await insertFacts(conn, gen.rows, () =>
    run(
      conn,
      `INSERT INTO ${stream.table} (${cols.join(', ')}, batch_id, line)
       SELECT ${cols.join(', ')}, ${id}, __line
       FROM read_csv(${lit(gen.typedRows!)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${types}})`,
    ),
  );
  const [{ n, m }] = await rows<{ n: number; m: number | null }>(
    conn,
    `SELECT count(*)::INTEGER AS n, min(${firstMonthOf(stream, 'f')})::INTEGER AS m FROM ${stream.table} f WHERE batch_id = ${id}`,
  );
  // What the generator said it wrote: anything else is a fault of this fast path, not of the data.
  if (n !== gen.rows) throw new Error(`${file}: ${n} rows inserted from ${gen.typedRows}, the generator wrote ${gen.rows}`);
  if (m !== null) widenScope(scope, m);
  await closeBatch(conn, id, { read: n, accepted: n, rejected: 0, replaced: 0, unchanged: 0 });
  return {
    file,
    stream: gen.stream,
    format: gen.format,
    encoding: gen.format === 'csv' ? gen.encoding : null,
    read: n,
    accepted: n,
    rejected: 0,
    skipped: [],
    blank: 0,
    replaced: 0,
    unchanged: 0,
    ignoredColumns: [],
    rejects: [],
    rejectsTruncated: false,
    rejectedRows: [],
    seconds: (performance.now() - started) / 1000,
  };
}
