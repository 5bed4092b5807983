// Loading files into the warehouse: each file is staged, checked against the contract and merged by
// key inside the next snapshot; rejects are recorded with file, line, column and reason; the marts of
// the streams it changed and the scores are rebuilt; the snapshot is published atomically. Small files
// (a publish of county months) are held as they are read and checked and merged together, a stream at
// a time, with the outcome of merging them one by one (merge-batch.ts); small spreadsheets read alike
// are staged together with one read (read/stage.ts), and the next files are read in Node while DuckDB
// works on the current one (read/ahead.ts). Any unreadable file aborts
// the whole load and publishes nothing. Each file's batch records where its data came from and when it arrived
// (a central CLI load by default, or a county submission's time, see arrival.ts).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { arrivalTimeSql, recordReportArrivals, type Arrival } from './arrival.ts';
import { streams, type Stream, type StreamName } from '../core/contract.ts';
import { refreshCatalog } from './catalog-load.ts';
import { ident, lit, rows, run } from './duck.ts';
import { mergeChecked, type LoadScope, type MergeCounts } from './merge.ts';
import { heldStagedTable, holdStaged, holdStagedTogether, mergeHeld } from './merge-batch.ts';
import { markOtherCountiesRows, ownCountyRule } from './own-county.ts';
import { buildNextSnapshot } from './publish.ts';
import { RebuildFromEmpty, stampCodeVersion, upgradeIfBuiltByOtherCode } from './rebuild.ts';
import { setAsideNonRecords, type Skipped } from './read/skip.ts';
import { dropStagedTogether, prepareFile, readAsItLies, readWhole, removePrepared, stageFile, removeAbandonedStages, sameReading, stagePrepared, stageTogether, stageWorkDir, viewAsItLies, type Prepared, type Reject, type Staged } from './read/stage.ts';
import { compileStream } from './validate/compile.ts';
import { ahead } from './read/ahead.ts';
import type { Stages } from './stages.ts';
import { rebuildDerived, type DerivedBuild } from './warehouse.ts';

export interface FileSummary {
  file: string;
  stream: StreamName;
  format: 'csv' | 'xlsx' | 'xls';
  encoding: string | null;
  /** accepted + rejected + skipped + blank */
  read: number;
  accepted: number;
  rejected: number;
  /** title, unit/date, total and footer rows: not records, set aside with their reason */
  skipped: Skipped[];
  /** rows holding only separators or spaces */
  blank: number;
  replaced: number;
  unchanged: number;
  ignoredColumns: string[];
  rejects: Reject[];
  rejectsTruncated: boolean;
  rejectedRows: RejectedRow[];
  seconds: number;
}

/** A rejected row as the office sent it, with its problems, for the fix-and-resend CSV. */
export interface RejectedRow {
  line: number;
  values: Record<string, string | null>; // header as written -> raw value
  problems: string;
}

export interface LoadSummary {
  warehouse: string;
  files: FileSummary[];
  /** false when no file had a row accepted: the load changed nothing and published no snapshot */
  published: boolean;
  /** the years the indicator engine remade (from the first year the load changed, or all); null when not published */
  engine: DerivedBuild | null;
  /** seconds per stage: copy, open, files, derived (marts and engine), build (the rest), checkpoint, publish */
  stages: Stages;
  seconds: number;
}

export interface LoadOptions {
  warehouse: string;
  /** Files and directories; or files as they are written, each loaded when it arrives (npm start's
   * first load, etl/first-load.ts: the generator is still writing the next ones). */
  inputs: string[] | AsyncIterable<string>;
  stream?: StreamName;
  /** Where each file's data comes from and when it arrived; default a central load arriving now.
   * A function gives each file its own (a publish of several county submissions). */
  arrival?: Arrival | ((file: string) => Arrival);
  /** total: the number of files, or null while they are still arriving */
  onFile?: (done: number, total: number | null, file: string, summary?: FileSummary) => void;
  /** another writer (pid) holds the warehouse: this load waits for it to finish */
  onWaitForWriter?: (holder: number) => void;
  /** How a file is loaded into the open snapshot; default loadOne (npm start's first load inserts
   * the generator's rows directly, etl/load-generated.ts). */
  loadFile?: (conn: DuckDBConnection, file: string, scope: LoadScope, arrival: Arrival) => Promise<FileSummary>;
  /** DuckDB's memory for this load; default LOAD_MEMORY_LIMIT */
  memoryLimit?: string;
  /** The county that sent each file (a publish of county submissions): a file's rows of another county,
   * and its keys another county has filed, are rejected (etl/own-county.ts); none for a central load.
   * Exact for at most one file of a county and stream per load (etl/worker.ts publishLoads); not applied
   * to files that `loadFile` loads. */
  countyOf?: (file: string) => string | undefined;
}

/** How many rejects a summary lists per file; all of them are in load_reject and the rejects CSV. */
export const REJECTS_LISTED = 1000;

export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new Error(`${input}: 文件不存在 / no such file or directory`);
    if (info.isDirectory()) {
      const entries = (await readdir(input, { recursive: true })).map((e) => path.join(input, e)).sort();
      // Other spreadsheet files are taken too, to fail with a clear message rather than be left out unseen.
      for (const e of entries) if (/\.(csv|xlsx|xls|xlsm|et|ods)$/i.test(e) && !/\.rejects\.csv$/i.test(e)) out.push(e);
    } else out.push(input);
  }
  return out;
}

export async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * DuckDB's memory for a load (staging, checks, merges, marts and scores). Above it DuckDB spills to the
 * snapshot's temp directory (<snapshot>.tmp, removed with it) instead of growing: with the 1.5 GB that
 * every build gets (publish.ts) the scale-1 load peaked at 1.6-1.7 GiB RSS; with 512 MB at 935 MiB
 * (DuckDB's allocations outside its buffer pool and Node take the rest; 600 MB reached 1,044 MiB).
 * `npm run bench -- etl` reports the peak.
 */
export const LOAD_MEMORY_LIMIT = '512MB';

/** A rule beyond the contract for one caller (a county's upload may only carry its own county's rows).
 * SQL over a row of `checked` under the alias `t`. */
export interface ExtraRule {
  column: string;
  broken: string;
  /** SQL expression for the reason (zh / en), may name t's columns */
  reason: string;
}

/** The extra rule for a file once its stream is known (none: the contract alone). */
export type ExtraRuleFor = (stream: Stream) => ExtraRule | undefined;

export interface CheckedFile {
  staged: Staged;
  stream: Stream;
  factColumns: string[];
  bad: number;
  /** title, footer, total and blank rows set aside: not records, so neither accepted nor rejected */
  nonRecords: { skipped: Skipped[]; blank: number };
}

/**
 * Stage `file` and check it against the contract (plus `extra`): leaves the temp tables `checked`
 * (typed rows, `ok`) and, when `bad` > 0, `problems` (the not-ok rows' problems). Shared by `etl load` and the
 * county upload check (etl/worker.ts), so both judge a file by the same rules.
 */
export async function stageAndCheck(conn: DuckDBConnection, file: string, given: StreamName | undefined, extraFor?: ExtraRuleFor): Promise<CheckedFile> {
  return checkStaged(conn, await stageFile(conn, file, given), extraFor);
}

/** Check a staged file (the view `stg`) against the contract (plus `extra`), as stageAndCheck. */
async function checkStaged(conn: DuckDBConnection, staged: Staged, extraFor?: ExtraRuleFor): Promise<CheckedFile> {
  const stream = staged.map.stream;
  const extra = extraFor?.(stream);
  const { checkSql, refoldSql, problemsSql, factColumns } = compileStream(stream, staged.map.headerOf);
  await run(conn, checkSql);
  const notOk = async () => (await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM checked WHERE NOT ok`))[0].n;
  // A clean file (the usual county month) is done here: nothing to refold, set aside or list.
  const failed = (await notOk()) > 0;
  let nonRecords: CheckedFile['nonRecords'] = { skipped: [], blank: 0 };
  if (failed) {
    await run(conn, refoldSql);
    nonRecords = await setAsideNonRecords(conn);
  }
  if (extra) await run(conn, `UPDATE checked t SET ok = false WHERE ok AND coalesce(${extra.broken}, false)`);
  const bad = failed || extra ? await notOk() : 0;
  // The problems are listed before merging marks repeated keys as not ok too.
  if (bad > 0) await run(conn, problemsSql);
  if (extra && bad > 0) {
    await run(
      conn,
      `UPDATE problems p SET problems = list_append(p.problems, {'column': ${lit(staged.map.headerOf.get(extra.column) ?? extra.column)},
         'value': t.${ident(extra.column)}::VARCHAR, 'reason': ${extra.reason}})
       FROM checked t WHERE t.__line = p.__line AND coalesce(${extra.broken}, false)`,
    );
  }
  return { staged, stream, factColumns, bad, nonRecords };
}

/** Files read as they lie (readAsItLies) from this size on are checked as they are read (checkAsRead). */
const CHECK_AS_READ_BYTES = 4 * 1024 * 1024;

/**
 * A big file checked in the pass that reads it, into `checked`, without the copy of its rows that
 * stagePrepared makes (stg_raw): a scale-1 enrolment year (2.4M rows) took ~1.4 CPU s and ~200 MB
 * less. Null when the file is not clean (a row that fails, a code its dimension lacks, a line the
 * reader could not split): the caller stages and checks it as usual (reading it again), which finds
 * and reports them as for any file; `checked` is then made again.
 */
async function checkAsRead(conn: DuckDBConnection, p: Prepared): Promise<CheckedFile | null> {
  const stream = p.map.stream;
  const { unjoined, factColumns } = compileStream(stream, p.map.headerOf);
  if (!unjoined) return null;
  await viewAsItLies(conn, p);
  try {
    await run(conn, unjoined.checkSql);
  } catch {
    return null; // stagePrepared says why the file cannot be read
  }
  const [{ bad, n }] = await rows<{ bad: number; n: number }>(conn, `SELECT count(*) FILTER (WHERE NOT ok)::INTEGER AS bad, count(*)::INTEGER AS n FROM checked`);
  const [{ n: unknown }] = bad > 0 ? [{ n: 0 }] : await rows<{ n: number }>(conn, unjoined.unknownSql);
  const [{ n: unsplit }] = await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM stg_rejects`);
  if (bad > 0 || unknown > 0 || unsplit > 0) {
    await run(conn, 'DROP TABLE checked'); // not held in memory while the file is staged again
    return null;
  }
  // The rows are in the file's order (the statement has no join): their lines, as stagePrepared numbers them.
  await run(conn, `UPDATE checked SET __line = (rowid + 2)::INTEGER`);
  return { staged: readWhole(p, n), stream, factColumns, bad: 0, nonRecords: { skipped: [], blank: 0 } };
}

/** A file's row in load_batch, opened before its rows are merged: its batch id. */
export async function openBatch(conn: DuckDBConnection, file: string, stream: StreamName, arrival: Arrival, digest: string): Promise<number> {
  const [{ id }] = await rows<{ id: number }>(conn, `SELECT (coalesce(max(batch_id), 0) + 1)::INTEGER AS id FROM load_batch`);
  await openBatches(conn, [{ id, file, stream, arrival, digest }]);
  return id;
}

/** Files' rows in load_batch, in one statement; `startedAt`: when the file's load started (ISO), default now. */
async function openBatches(
  conn: DuckDBConnection,
  batches: { id: number; file: string; stream: StreamName; arrival: Arrival; digest: string; startedAt?: string }[],
): Promise<void> {
  await run(
    conn,
    `INSERT INTO load_batch (batch_id, file_name, sha256, stream, started_at, source, arrived_at) VALUES ${batches
      .map((b) => `(${b.id}, ${lit(b.file)}, ${lit(b.digest)}, ${lit(b.stream)}, ${b.startedAt ? `${lit(b.startedAt)}::TIMESTAMPTZ::TIMESTAMP` : 'now()::TIMESTAMP'},
                    ${lit(b.arrival.source)}, ${arrivalTimeSql(b.arrival)})`)
      .join(', ')}`,
  );
}

type BatchCounts = { read: number; accepted: number; rejected: number; replaced: number; unchanged: number };

/** Closes a file's load_batch row with its counts (and its digest, when it was not known at opening). */
export async function closeBatch(conn: DuckDBConnection, id: number, n: BatchCounts & { digest?: string }): Promise<void> {
  await closeBatches(conn, [{ id, ...n }]);
}

/** Closes files' load_batch rows with their counts (and digests not known at opening), in one statement. */
async function closeBatches(conn: DuckDBConnection, batches: (BatchCounts & { id: number; digest?: string })[]): Promise<void> {
  await run(
    conn,
    `UPDATE load_batch SET sha256 = coalesce(n.digest, sha256), finished_at = now()::TIMESTAMP, rows_read = n.read, rows_accepted = n.accepted,
       rows_rejected = n.rejected, rows_replaced = n.replaced, rows_unchanged = n.unchanged
     FROM (VALUES ${batches
       .map((b) => `(${b.id}, ${b.digest === undefined ? 'NULL::VARCHAR' : lit(b.digest)}, ${b.read}, ${b.accepted}, ${b.rejected}, ${b.replaced}, ${b.unchanged})`)
       .join(', ')}) n(id, digest, read, accepted, rejected, replaced, unchanged)
     WHERE batch_id = n.id`,
  );
}

/** The file's SHA-256, read while DuckDB stages it (a file that cannot be read fails in staging, with its message). */
export function digestOf(file: string): Promise<string> {
  const digesting = sha256(file);
  digesting.catch(() => {});
  return digesting;
}

/** Load one file into the open snapshot: check it, merge it by key, record its batch and rejects. */
export async function loadOne(
  conn: DuckDBConnection,
  file: string,
  given: StreamName | undefined,
  scope: LoadScope,
  arrival: Arrival = { source: 'central' },
  extra?: ExtraRuleFor,
): Promise<FileSummary> {
  const started = performance.now();
  const digesting = digestOf(file);
  return mergeOne(conn, file, await stageAndCheck(conn, file, given, extra), digesting, scope, arrival, started);
}

/** A checked file (stageAndCheck) merged on its own: its batch, rows, rejects and summary. */
async function mergeOne(
  conn: DuckDBConnection,
  file: string,
  checked: CheckedFile,
  digesting: Promise<string>,
  scope: LoadScope,
  arrival: Arrival,
  started: number,
  /** makes the staging view `stg` when it is not there yet (checkAsRead): only rejected rows read it */
  stage?: () => Promise<unknown>,
): Promise<FileSummary> {
  const { staged, stream, factColumns, bad } = checked;
  const id = await openBatch(conn, file, stream.name, arrival, await digesting);
  const counts = await mergeChecked(conn, stream, factColumns, id, scope);
  if (stream.name === 'indicator_value') await recordReportArrivals(conn, id);
  await recordCheckRejects(conn, id, file, checked);
  await run(
    conn,
    `INSERT INTO load_reject SELECT ${id}, ${lit(file)}, __line, ${lit(keyHeader(checked))}, key_value, reason FROM duplicates`,
  );
  const [{ dups }] = await rows<{ dups: number }>(conn, `SELECT count(*)::INTEGER AS dups FROM duplicates`);
  const rejected = bad + dups + staged.readerRejects.length;
  await closeBatch(conn, id, { read: staged.rowsRead, ...counts, rejected });
  if (rejected > 0) await stage?.();
  const byLine = rejected === 0 ? [] : await rejectedRowsOf(conn, id, checked);
  await run(conn, `DROP VIEW stg; DROP TABLE IF EXISTS stg_raw; DROP TABLE checked; DROP TABLE duplicates;${bad > 0 ? ' DROP TABLE problems;' : ''}`);
  const [rejects] = (await listedRejects(conn, [id])).values();
  return fileSummary(file, checked, { ...counts, rejected }, rejects ?? [], byLine, (performance.now() - started) / 1000);
}

/** The header of the file's first key column: duplicates are reported under it. */
const keyHeader = (c: CheckedFile) => c.staged.map.headerOf.get(c.stream.key[0]) ?? c.stream.key[0];

/** The check's rejects into load_reject: the problems of the rows that are not ok, and the rows the reader could not split. */
async function recordCheckRejects(conn: DuckDBConnection, id: number, file: string, checked: CheckedFile): Promise<void> {
  if (checked.bad > 0) {
    await run(
      conn,
      `INSERT INTO load_reject SELECT ${id}, ${lit(file)}, __line, p.column, p.value, p.reason
       FROM (SELECT __line, unnest(problems) AS p FROM problems)`,
    );
  }
  for (const r of checked.staged.readerRejects) {
    await run(conn, `INSERT INTO load_reject VALUES (${id}, ${lit(file)}, ${r.line}, NULL, ${r.value === null ? 'NULL' : lit(r.value)}, ${lit(r.reason)})`);
  }
}

/** The file's rejected rows recorded so far under batch `id`, as sent (from the staging view), with their problems. */
async function rejectedRowsOf(conn: DuckDBConnection, id: number, checked: CheckedFile): Promise<RejectedRow[]> {
  const headers = [...checked.staged.map.headerOf.entries()];
  const found = await rows<Record<string, string | null> & { __line: number; problems: string }>(
    conn,
    `SELECT s.__line, ${headers.map(([c], i) => `s."${c}" AS h${i}`).join(', ')}, r.problems
     FROM stg s JOIN (SELECT line, string_agg(coalesce("column" || ': ', '') || reason, '; ') AS problems
                      FROM load_reject WHERE batch_id = ${id} GROUP BY line) r ON r.line = s.__line
     ORDER BY s.__line`,
  );
  const byLine: RejectedRow[] = found.map((r) => ({
    line: r.__line,
    values: Object.fromEntries(headers.map(([, h], i) => [h, r[`h${i}`] as string | null])),
    problems: r.problems,
  }));
  return [...byLine, ...readerRejectedRows(checked.staged)].sort((a, b) => a.line - b.line);
}

/** The rows the reader could not split, to fix and resend: the line as sent is in the reason's value. */
const readerRejectedRows = (staged: Staged): RejectedRow[] =>
  staged.readerRejects.map((r) => ({ line: r.line, values: {}, problems: `${r.reason}: ${r.value ?? ''}` }));

/** Each batch's first REJECTS_LISTED + 1 rejects, by line. */
async function listedRejects(conn: DuckDBConnection, ids: number[]): Promise<Map<number, Reject[]>> {
  const found = await rows<Reject & { batch_id: number }>(
    conn,
    `SELECT batch_id, line, "column", raw_value AS value, reason FROM load_reject WHERE batch_id IN (${ids.join(', ')})
     QUALIFY row_number() OVER (PARTITION BY batch_id ORDER BY line, rowid) <= ${REJECTS_LISTED + 1}
     ORDER BY batch_id, line, rowid`,
  );
  const out = new Map<number, Reject[]>(ids.map((id) => [id, []]));
  for (const { batch_id, ...r } of found) out.get(batch_id)!.push(r);
  return out;
}

function fileSummary(
  file: string,
  { staged, stream, nonRecords }: CheckedFile,
  n: MergeCounts & { rejected: number },
  rejects: Reject[],
  rejectedRows: RejectedRow[],
  seconds: number,
): FileSummary {
  return {
    file,
    stream: stream.name,
    format: staged.format,
    encoding: staged.encoding,
    read: staged.rowsRead,
    accepted: n.accepted,
    rejected: n.rejected,
    skipped: [...staged.skipped, ...nonRecords.skipped].sort((a, b) => a.line - b.line),
    blank: staged.blank + nonRecords.blank,
    replaced: n.replaced,
    unchanged: n.unchanged,
    ignoredColumns: staged.map.ignored,
    rejects: rejects.slice(0, REJECTS_LISTED),
    rejectsTruncated: rejects.length > REJECTS_LISTED,
    rejectedRows,
    seconds,
  };
}

/** A file staged and held for its stream's batched check and merge (merge-batch.ts); its load_batch row is written then. */
interface HeldFile {
  at: number; // its place in the load
  file: string;
  staged: Staged;
  batchId: number;
  arrival: Arrival;
  digest: string;
  startedAt: string;
  seconds: number;
}

/** A small spreadsheet prepared (its sheet written as CSV), waiting to be staged with others read alike. */
interface WaitingFile {
  at: number;
  file: string;
  prepared: Prepared;
  digesting: Promise<string>;
  arrival: Arrival;
  began: number;
  /** preparing it */
  seconds: number;
}

/** A file staged together with others (stageTogether), held under `batchId`; `share`: its part of that staging (s). */
async function heldFile(w: WaitingFile, staged: Staged, batchId: number, share: number): Promise<HeldFile> {
  const startedAt = new Date(performance.timeOrigin + w.began).toISOString();
  return { at: w.at, file: w.file, staged, batchId, arrival: w.arrival, digest: await w.digesting, startedAt, seconds: w.seconds + share };
}

/** Files above this many rows are checked and merged on their own (a central load's big files), not held. */
const HOLD_FILE_ROWS = 50_000;
/** Files prepared ahead of the one being staged (read/ahead.ts); a county month's wait is mostly on file I/O. */
const PREPARE_AHEAD = 4;
/** Only when every listed file is at most this big: a central load's big files, prepared four at a time
 * beside DuckDB's load of the current one, took its cores and held their sheets in memory together
 * (npm run bench -- etl: 3.03x the raw read and 1,066 MiB, against about 2.1x and under 1 GiB). */
const PREPARE_AHEAD_MAX_BYTES = 4 * 1024 * 1024;
/** Held rows are checked and merged once they reach this many. */
const HOLD_ROWS = 200_000;

/** Hold a staged file's rows for its stream's batched check and merge, under batch `batchId`. */
async function hold(conn: DuckDBConnection, at: number, file: string, staged: Staged, batchId: number, digesting: Promise<string>, arrival: Arrival, started: number): Promise<HeldFile> {
  const startedAt = new Date(performance.timeOrigin + started).toISOString();
  await holdStaged(conn, staged.map.stream, batchId);
  await run(conn, `DROP VIEW stg; DROP TABLE stg_raw;`);
  return { at, file, staged, batchId, arrival, digest: await digesting, startedAt, seconds: (performance.now() - started) / 1000 };
}

/**
 * Check the held files of one stream: all their rows in one pass into `checked_held` (with their batch),
 * then, for the files a county sent (`countyOf`), against their county (etl/own-county.ts); a file with
 * rows that fail is checked again on its own (refolded, non-records set aside, problems listed, rejects
 * recorded), exactly as a file merged on its own is.
 */
async function checkHeld(
  conn: DuckDBConnection,
  stream: Stream,
  files: HeldFile[],
  countyOf: LoadOptions['countyOf'],
): Promise<Map<number, { checked: CheckedFile; rejectedRows: RejectedRow[] }>> {
  const { checkSql, factColumns } = compileStream(stream, new Map(), '__batch');
  await run(conn, `CREATE OR REPLACE TEMP VIEW stg AS SELECT * FROM ${heldStagedTable(stream)}; ${checkSql}; DROP VIEW stg; ALTER TABLE checked RENAME TO checked_held;`);
  const failingNow = async () => new Set((await rows<{ b: number }>(conn, `SELECT DISTINCT __batch AS b FROM checked_held WHERE NOT ok`)).map((r) => r.b));
  /** The file's rows checked on their own (refolded, non-records set aside, problems listed) into `checked`. */
  const checkAlone = async (h: HeldFile, extra?: ExtraRuleFor) => {
    await run(conn, `CREATE OR REPLACE TEMP VIEW stg AS SELECT * EXCLUDE (__batch) FROM ${heldStagedTable(stream)} WHERE __batch = ${h.batchId}`);
    return checkStaged(conn, h.staged, extra);
  };
  /** ... and in place of its rows in checked_held. */
  const putBack = (h: HeldFile, checked: CheckedFile) =>
    run(
      conn,
      `DELETE FROM checked_held WHERE __batch = ${h.batchId};
       INSERT INTO checked_held BY NAME SELECT ${h.batchId} AS __batch, * FROM checked;
       DROP VIEW stg; DROP TABLE checked;${checked.bad > 0 ? ' DROP TABLE problems;' : ''}`,
    );
  let failing = await failingNow();
  const countyOfBatch = new Map(files.flatMap((h) => {
    const county = countyOf?.(h.file);
    return county === undefined ? [] : [[h.batchId, county] as const];
  }));
  if (countyOfBatch.size > 0) {
    // Whose key a file takes depends on the other files' rows as finally judged: a row failing the
    // batch's check may pass on its own (refolded). So those files are judged on their own first, then
    // every file against its county, and a file with rows failing either is checked again below.
    for (const h of files) if (failing.has(h.batchId)) await putBack(h, await checkAlone(h));
    await markOtherCountiesRows(conn, stream, countyOfBatch);
    failing = await failingNow();
  }
  const out = new Map<number, { checked: CheckedFile; rejectedRows: RejectedRow[] }>();
  for (const h of files) {
    if (!failing.has(h.batchId)) {
      const checked: CheckedFile = { staged: h.staged, stream, factColumns, bad: 0, nonRecords: { skipped: [], blank: 0 } };
      // Its rows all pass; the rows the reader could not split are recorded, and listed to fix and resend.
      if (h.staged.readerRejects.length > 0) await recordCheckRejects(conn, h.batchId, h.file, checked);
      out.set(h.batchId, { checked, rejectedRows: readerRejectedRows(h.staged) });
      continue;
    }
    // On its own, its rows are judged as the batch judged them, with their reasons.
    const county = countyOfBatch.get(h.batchId);
    const checked = await checkAlone(h, county === undefined ? undefined : ownCountyRule(county, 'main', h.batchId));
    await recordCheckRejects(conn, h.batchId, h.file, checked);
    out.set(h.batchId, { checked, rejectedRows: await rejectedRowsOf(conn, h.batchId, checked) });
    await putBack(h, checked);
  }
  return out;
}

/** Check and merge the held files, stream by stream: their summaries, each at its place in the load. */
async function mergeHeldFiles(
  conn: DuckDBConnection,
  held: HeldFile[],
  scope: LoadScope,
  countyOf: LoadOptions['countyOf'],
): Promise<{ at: number; summary: FileSummary }[]> {
  if (held.length === 0) return [];
  await openBatches(conn, held.map((h) => ({ id: h.batchId, file: h.file, stream: h.staged.map.stream.name, arrival: h.arrival, digest: h.digest, startedAt: h.startedAt })));
  const out: { at: number; summary: FileSummary }[] = [];
  for (const name of new Set(held.map((h) => h.staged.map.stream.name))) {
    const started = performance.now();
    const files = held.filter((h) => h.staged.map.stream.name === name);
    const stream = streams[name];
    const checks = await checkHeld(conn, stream, files, countyOf);
    const checkedOf = (h: HeldFile) => checks.get(h.batchId)!.checked;
    const outcome = await mergeHeld(
      conn,
      stream,
      checkedOf(files[0]).factColumns,
      files.map((h) => ({ batchId: h.batchId, file: h.file, keyHeader: keyHeader(checkedOf(h)) })),
      scope,
    );
    const ids = files.map((h) => h.batchId);
    if (name === 'indicator_value') {
      for (const id of ids) await recordReportArrivals(conn, id);
    }
    const counts = files.map((h) => {
      const n = outcome.counts.get(h.batchId)!;
      return { ...n, rejected: checkedOf(h).bad + n.duplicates + h.staged.readerRejects.length };
    });
    await closeBatches(conn, files.map((h, i) => ({ id: h.batchId, read: h.staged.rowsRead, ...counts[i] })));
    const listed = await listedRejects(conn, ids);
    const share = (performance.now() - started) / 1000 / files.length; // each file's share of the batched check and merge
    for (const [i, h] of files.entries()) {
      const checked = checkedOf(h);
      const headers = [...h.staged.map.headerOf.entries()];
      const dupRows: RejectedRow[] = outcome.duplicates
        .filter((d) => d.batchId === h.batchId)
        .map((d) => ({ line: d.line, values: Object.fromEntries(headers.map(([c, header]) => [header, d.sent[c]])), problems: `${keyHeader(checked)}: ${d.reason}` }));
      const rejectedRows = [...checks.get(h.batchId)!.rejectedRows, ...dupRows].sort((a, b) => a.line - b.line);
      out.push({ at: h.at, summary: fileSummary(h.file, checked, counts[i], listed.get(h.batchId)!, rejectedRows, h.seconds + share) });
    }
  }
  return out;
}

async function recordSnapshot(conn: DuckDBConnection): Promise<void> {
  const dates = Object.values(streams)
    .filter((s) => s.name !== 'indicator_value')
    .flatMap((s) => s.columns.filter((c) => c.value.kind === 'date').map((c) => `SELECT max(${c.name}) AS d FROM ${s.table}`));
  await run(
    conn,
    `DELETE FROM snapshot_info;
     INSERT INTO snapshot_info (built_at, catalog_version, newest_data) SELECT now()::TIMESTAMP,
       (SELECT max(catalog_version) FROM dim_indicator),
       (SELECT max(d) FROM (${dates.join(' UNION ALL ')}))`,
  );
}

/** Ends a build in which no file had a row accepted: its snapshot is dropped, the live one stays. */
class NothingAccepted extends Error {
  constructor(readonly files: FileSummary[]) {
    super('没有一行通过检查 / no row was accepted');
  }
}

/**
 * Load files into the next snapshot of `opts.warehouse` and publish it. A load in which no file had a
 * row accepted (every row rejected, or none there) publishes nothing and says so (`published` false),
 * with each file's summary and rejects as usual: there is nothing to publish, and the live snapshot
 * stays as it was.
 */
export async function loadFiles(opts: LoadOptions): Promise<LoadSummary> {
  const started = performance.now();
  const listed = Array.isArray(opts.inputs) ? await expandInputs(opts.inputs) : null;
  if (listed?.length === 0) throw new Error(`没有可导入的文件 / no .csv or .xlsx files in ${(opts.inputs as string[]).join(', ')}`);
  const given = opts.arrival;
  const arrivalOf = (f: string): Arrival => (typeof given === 'function' ? given(f) : (given ?? { source: 'central' }));
  listed?.forEach((f) => arrivalTimeSql(arrivalOf(f))); // a bad arrival stops the load before anything is read
  const files = listed ?? (opts.inputs as AsyncIterable<string>);
  const total = listed?.length ?? null;
  await removeAbandonedStages();
  const allSmall = listed !== null && (await Promise.all(listed.map((f) => stat(f).then((st) => st.size <= PREPARE_AHEAD_MAX_BYTES, () => false)))).every(Boolean);
  const stages: Stages = {};
  const build = (start: 'copy' | 'empty') => buildNextSnapshot(opts.warehouse, async (conn, lap) => {
    await run(conn, `SET memory_limit = ${lit(opts.memoryLimit ?? LOAD_MEMORY_LIMIT)}`);
    // A snapshot built by other code is rebuilt first, its bookkeeping tables (03-etl.sql) brought up
    // to date with it; one built by this code has them as this code makes them. The rebuild starts
    // again from an empty database (RebuildFromEmpty, below) when the files can be listed again.
    const upgraded = await upgradeIfBuiltByOtherCode(conn, opts.warehouse, start === 'copy' && listed !== null);
    await refreshCatalog(conn);
    const [{ next }] = await rows<{ next: number }>(conn, `SELECT (coalesce(max(batch_id), 0) + 1)::INTEGER AS next FROM load_batch`);
    // A small publish (small files onto a snapshot that holds loads already: county months, a re-sent
    // month) is some 170 statements over small slices, each too small to gain much from a second
    // thread but paying for its hand-offs: on one thread the bench's month took 2.7 s of CPU against
    // 4.0-4.3 s on two (busy machine). Alone on an idle machine two threads finish it 0.2 s sooner
    // (2.15 s against 2.35 s, 5 pairs), but a publish runs beside the server's requests: the 111
    // approved months of npm run bench -- submit, served to 50 connections meanwhile, went out in
    // 6.9 s on one thread against 8.2 s on two, with 2,218 req/s against 1,676. A first load or an
    // upgrade builds everything and keeps every core; so does UC_DUCKDB_THREADS when set (publish.ts).
    if (allSmall && !upgraded && next > 1 && !process.env.UC_DUCKDB_THREADS) await run(conn, 'SET threads = 1');
    const scope: LoadScope = { firstBatch: next };
    const done: FileSummary[] = [];
    // Small files (a publish of county months) are read one by one, then checked and merged in batches:
    // one check and one fact-table scan per stream for all of them (merge-batch.ts). Small spreadsheets
    // read alike (their sheets written as CSVs of the same columns) are staged together too, with one
    // read_csv (stageTogether). A big file is checked and merged on its own.
    let held: HeldFile[] = [];
    let heldRowCount = 0;
    let heldBase = 0;
    let started = 0;
    /** small spreadsheets prepared, waiting to be staged together */
    let waiting: WaitingFile[] = [];
    let waitingRows = 0;
    const work = await stageWorkDir();
    const settle = async () => {
      for (const { at, summary } of await mergeHeldFiles(conn, held, scope, opts.countyOf)) {
        done[at] = summary;
        opts.onFile?.(started, total, summary.file, summary);
      }
      held = [];
      heldRowCount = 0;
    };
    // Batch ids follow the load's order; the held files' rows are written when they are merged.
    const nextHeldBatch = async () => {
      if (held.length === 0) heldBase = (await rows<{ id: number }>(conn, `SELECT (coalesce(max(batch_id), 0) + 1)::INTEGER AS id FROM load_batch`))[0].id;
      return heldBase + held.length;
    };
    const stageWaiting = async () => {
      if (waiting.length === 0) return;
      const began = performance.now();
      const staged = await stageTogether(conn, waiting.map((w) => w.prepared));
      for (const w of waiting) await removePrepared(w.prepared);
      const ids: number[] = [];
      for (const [i, w] of waiting.entries()) {
        ids.push(await nextHeldBatch());
        held.push(await heldFile(w, staged[i], ids[i], (performance.now() - began) / 1000 / waiting.length));
        heldRowCount += staged[i].rowsRead;
      }
      await holdStagedTogether(conn, waiting[0].prepared.map.stream, ids);
      await dropStagedTogether(conn);
      waiting = [];
      waitingRows = 0;
      if (heldRowCount >= HOLD_ROWS) await settle();
    };
    // The next files are prepared (read in Node) while DuckDB stages and merges this one; files still
    // arriving are taken as they come.
    const loadFile = opts.loadFile;
    const preparing = ahead(files, loadFile || !allSmall ? 0 : PREPARE_AHEAD, async (file, i) => {
      if (loadFile) return null; // loads the file its own way
      const began = performance.now();
      const digesting = digestOf(file);
      const prepared = await prepareFile(file, work, String(i), opts.stream);
      return { prepared, digesting, began, seconds: (performance.now() - began) / 1000 };
    });
    try {
      for await (const [file, preparation] of preparing) {
        opts.onFile?.(started, total, file);
        const at = started++;
        const ready = await preparation;
        if (!ready) {
          done[at] = await loadFile!(conn, file, scope, arrivalOf(file));
          opts.onFile?.(started, total, file, done[at]);
          continue;
        }
        const { prepared, digesting, began, seconds } = ready;
        if (prepared.sheetRows !== null && prepared.sheetRows + prepared.aboveHeader <= HOLD_FILE_ROWS) {
          if (waiting.length > 0 && !sameReading(waiting[0].prepared, prepared)) await stageWaiting();
          waiting.push({ at, file, prepared, digesting, arrival: arrivalOf(file), began, seconds });
          waitingRows += prepared.sheetRows;
          if (heldRowCount + waitingRows >= HOLD_ROWS) await stageWaiting();
          continue;
        }
        await stageWaiting(); // the files before it first, in order
        const county = opts.countyOf?.(file);
        const ownRule = county === undefined ? undefined : ownCountyRule(county, 'main');
        if (!ownRule && readAsItLies(prepared) && (await stat(file)).size >= CHECK_AS_READ_BYTES) {
          if (held.length > 0) await settle(); // the files before it first, as below
          const checked = await checkAsRead(conn, prepared);
          if (checked) {
            done[at] = await mergeOne(conn, file, checked, digesting, scope, arrivalOf(file), began, () => stagePrepared(conn, prepared));
            opts.onFile?.(started, total, file, done[at]);
            continue;
          }
        }
        const staged = await stagePrepared(conn, prepared);
        await removePrepared(prepared);
        if (staged.rowsRead > HOLD_FILE_ROWS) {
          // The files before it first: a later file's key never stands before an earlier one's. Their check
          // reads the view named `stg` too, so this file's staged view steps aside meanwhile.
          if (held.length > 0) {
            await run(conn, 'ALTER VIEW stg RENAME TO stg_waiting');
            await settle();
            await run(conn, 'ALTER VIEW stg_waiting RENAME TO stg');
          }
          done[at] = await mergeOne(conn, file, await checkStaged(conn, staged, ownRule), digesting, scope, arrivalOf(file), began);
          opts.onFile?.(started, total, file, done[at]);
          continue;
        }
        held.push(await hold(conn, at, file, staged, await nextHeldBatch(), digesting, arrivalOf(file), began));
        heldRowCount += staged.rowsRead;
        if (heldRowCount >= HOLD_ROWS) await settle();
      }
      await stageWaiting();
      await settle();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    if (done.length === 0) throw new Error('没有可导入的文件 / no file arrived to load');
    if (done.every((f) => f.accepted === 0)) throw new NothingAccepted(done);
    lap('files');
    // Only the marts of the facts this load wrote are made again, and the engine's years from the first
    // one it touched (an upgraded snapshot: all of them).
    const changed = new Set(done.filter((f) => f.accepted > f.unchanged).map((f) => streams[f.stream].table));
    const engine = await rebuildDerived(conn, upgraded ? undefined : { facts: changed, fromYear: scope.changedFromYear ?? null, fromMonth: scope.changedFromMonth ?? null });
    lap('derived');
    await recordSnapshot(conn);
    await stampCodeVersion(conn);
    return { done, engine };
  }, { onWait: opts.onWaitForWriter }, stages, start);
  const built = build('copy').catch((e) => {
    if (e instanceof RebuildFromEmpty) return build('empty');
    throw e;
  });
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const { done: summaries, engine } = await built;
    return { warehouse: opts.warehouse, files: summaries, published: true, engine, stages, seconds: seconds() };
  } catch (e) {
    if (!(e instanceof NothingAccepted)) throw e;
    return { warehouse: opts.warehouse, files: e.files, published: false, engine: null, stages, seconds: seconds() };
  }
}
