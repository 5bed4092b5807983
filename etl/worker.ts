// The ETL as a long-lived child process of the server (server/reporting/etl-worker.ts forks it): the
// server never imports etl/, and a hostile upload (zip bomb, huge sheet) is parsed here, in a process
// with its own memory cap that can be killed and restarted without touching the API.
//
// Protocol (JSON over the IPC channel), one job at a time:
//   → {id, cmd: 'check', file, stream?, county, rejectsFile}
//   ← {id, ok: true, result: CheckResult} | {id, ok: false, error, unreadable}
//   → {id, cmd: 'publish', warehouse, submissions: [{id, file, stream, county, submittedAt, rejectsFile}]}
//   ← {id, ok: true, result: PublishResult} | {id, ok: false, error}
//   → {id, cmd: 'preview', file, stream, county, months, warehouse}
//   ← {id, ok: true, result: PreviewResult} | {id, ok: false, error}
// `check` reads and validates a file with the same readers and validators as `etl load` (loadOne)
// into an in-memory warehouse with no facts, never the live one; `publish` is `etl load` itself (one
// load, or one more for each further submission of a county and stream: publishLoads), and a file of
// which it accepts no row comes back with its rejects (listed, and written to its rejectsFile);
// `preview` merges a submission over the county's current rows in memory (preview.ts).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { streams, type Stream, type StreamName } from '../core/contract.ts';
import { ident, lit, rows, run } from './duck.ts';
import { loadFiles, loadOne, type FileSummary } from './load.ts';
import { ownCountyRule } from './own-county.ts';
import { UnreadableFileError } from './read/header.ts';
import { rejectsCsv } from './report.ts';
import { previewSubmission, type PreviewJob } from './preview.ts';
import { initWarehouse } from './warehouse.ts';
import type { CheckJob, CheckResult, PublishJob, PublishResult, WorkerReject } from '../core/etl-worker-protocol.ts';

export type { CheckJob, CheckResult, PublishJob, PublishResult, WorkerReject } from '../core/etl-worker-protocol.ts';

/** "中文 / English" as the contract writes its reasons; a reason without the separator is both. */
export function splitReason(reason: string): { reason_zh: string; reason_en: string } {
  const at = reason.indexOf(' / ');
  return at < 0 ? { reason_zh: reason, reason_en: reason } : { reason_zh: reason.slice(0, at), reason_en: reason.slice(at + 3) };
}

/** A listed reject as the server shows it: its reason in each language. */
const workerReject = (r: FileSummary['rejects'][number]): WorkerReject => ({ line: r.line, column: r.column, value: r.value, ...splitReason(r.reason) });

let checkDb: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;

/** One in-memory warehouse (schema, dimensions, catalog; no facts) for every check, emptied before each. */
async function checkConnection(): Promise<DuckDBConnection> {
  if (!checkDb) {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await initWarehouse(conn);
    checkDb = { instance, conn };
  }
  const conn = checkDb.conn;
  const temps = await rows<{ name: string }>(conn, `SELECT table_name AS name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'unchanged_keys_%'`);
  await run(
    conn,
    [...Object.values(streams).map((s) => `DELETE FROM ${s.table};`), 'DELETE FROM load_reject;', 'DELETE FROM load_batch;', ...temps.map((t) => `DROP TABLE ${ident(t.name)};`)].join('\n'),
  );
  return conn;
}

async function touched(conn: DuckDBConnection, stream: Stream): Promise<{ months: string[]; periods: string[] }> {
  if (stream.name === 'indicator_value') {
    const r = await rows<{ period: string; month: string }>(
      conn,
      `SELECT DISTINCT period, strftime(period_end, '%Y-%m') AS month FROM ${stream.table} ORDER BY month, period`,
    );
    return { months: [...new Set(r.map((x) => x.month))], periods: r.map((x) => x.period) };
  }
  const dates = stream.columns.filter((c) => c.value.kind === 'date').map((c) => `SELECT ${ident(c.name)} AS d FROM ${stream.table}`);
  const r = await rows<{ month: string }>(
    conn,
    `SELECT DISTINCT strftime(d, '%Y-%m') AS month FROM (${dates.join(' UNION ALL ')}) WHERE d IS NOT NULL ORDER BY month`,
  );
  return { months: r.map((x) => x.month), periods: [] };
}

export async function check(job: CheckJob): Promise<CheckResult> {
  const conn = await checkConnection();
  const live = !!job.warehouse && existsSync(job.warehouse);
  if (live) await run(conn, `ATTACH ${lit(job.warehouse!)} AS live (READ_ONLY)`);
  let summary;
  try {
    summary = await loadOne(conn, job.file, undefined, { firstBatch: 1 }, { source: 'central' }, ownCountyRule(job.county, live ? 'live' : null));
  } finally {
    if (live) await run(conn, 'DETACH live');
  }
  // The stream is recognised from the header, as `etl load` will when publishing; a stream named by
  // the uploader is a check that the file is what they meant.
  if (job.stream && job.stream !== summary.stream) {
    throw new UnreadableFileError(`表头是 ${summary.stream} 的，不是 ${job.stream} / the header is that of ${summary.stream}, not ${job.stream}`);
  }
  const { months, periods } = await touched(conn, streams[summary.stream]);
  if (summary.rejectedRows.length > 0) await writeFile(job.rejectsFile, rejectsCsv(summary));
  return {
    stream: summary.stream,
    months,
    periods,
    read: summary.read,
    accepted: summary.accepted,
    rejected: summary.rejected,
    rejects: summary.rejects.map(workerReject),
    rejectsTruncated: summary.rejectsTruncated,
    rejectsWritten: summary.rejectedRows.length > 0,
  };
}

/**
 * Approved submissions in publishing order, split into loads of at most one per county and stream.
 * Within one load a key an earlier file already gave is rejected (etl/merge.ts: two offices sending one
 * case is a conflict), but a county's later submission of the same stream is its own correction (a case
 * received in December and closed in January, a late fix) and must replace its earlier rows, as it does
 * when the two are published apart. The n-th submission of a county and stream goes into the n-th load.
 */
export function publishLoads<T extends { county: string; stream: string }>(submissions: T[]): T[][] {
  const loads: T[][] = [];
  const seen = new Map<string, number>();
  for (const s of submissions) {
    const key = `${s.county}|${s.stream}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    (loads[n] ??= []).push(s);
  }
  return loads;
}

export async function publish(job: PublishJob): Promise<PublishResult> {
  const byFile = new Map(job.submissions.map((s) => [s.file, s]));
  const result: PublishResult = { files: [], seconds: 0, stages: {} };
  for (const load of publishLoads(job.submissions)) {
    const summary = await loadFiles({
      warehouse: job.warehouse,
      inputs: load.map((s) => s.file),
      arrival: (file) => ({ source: 'county', at: byFile.get(file)!.submittedAt }),
      // The file as approved is the file as uploaded: its rows of other counties, rejected at upload, are
      // rejected again here, and so is a key another county has filed since (the snapshot being built
      // holds it, or a file published before it in this load).
      countyOf: (file) => byFile.get(file)!.county,
    });
    for (const f of summary.files) {
      const s = byFile.get(f.file)!;
      // Nothing of it is in the snapshot: the county gets its rejects, as they are now, to fix and resend.
      const none = f.accepted === 0;
      if (none && f.rejectedRows.length > 0) await writeFile(s.rejectsFile, rejectsCsv(f));
      result.files.push({
        id: s.id,
        read: f.read,
        accepted: f.accepted,
        rejected: f.rejected,
        replaced: f.replaced,
        unchanged: f.unchanged,
        rejects: none ? f.rejects.map(workerReject) : [],
        rejectsTruncated: none && f.rejectsTruncated,
      });
    }
    result.seconds += summary.seconds;
    for (const [stage, seconds] of Object.entries(summary.stages)) result.stages[stage] = (result.stages[stage] ?? 0) + seconds;
  }
  return result;
}

export type PreviewCommand = PreviewJob & { months: string[] };

export const preview = (job: PreviewCommand) => previewSubmission(job, job.months, (live) => ownCountyRule(job.county, live ? 'live' : null));

type Job = (CheckJob | PublishJob | PreviewCommand) & { id: number };

if (process.send) {
  let queue = Promise.resolve();
  process.on('message', (job: Job) => {
    queue = queue.then(async () => {
      try {
        const result = job.cmd === 'check' ? await check(job) : job.cmd === 'preview' ? await preview(job) : await publish(job);
        process.send!({ id: job.id, ok: true, result });
      } catch (e) {
        const err = e as Error;
        process.send!({ id: job.id, ok: false, error: err.message, unreadable: err instanceof UnreadableFileError });
      }
    });
  });
  // The server going away ends the worker too.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}
