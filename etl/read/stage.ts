// Reading one file into the temporary view `stg`: text columns named after the contract, plus the line
// number a data officer sees in Excel or a text editor, and every cell of the row (for skip.ts). The
// header may stand below a title (header.ts finds it); the rows above it come back as skipped. Rows the
// CSV reader cannot split (wrong column count, broken quotes, bad bytes) come back as reader rejects,
// unless they hold only separators (blank) or are a total or footer line (skipped).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StreamName } from '../../core/contract.ts';
import { ident, lit, rows, run } from '../duck.ts';
import { processAlive } from '../../core/pid.ts';
import { PROBLEMS, restoredSql } from '../rejects-file.ts';
import { decodeSample, detectEncoding, transcodeToUtf8, type Encoding } from './encoding.ts';
import { hasIrregularLines, withLineNumbers } from './lines.ts';
import { detectDelimiter, findHeader, firstRecords, HEADER_SEARCH_ROWS, UnreadableFileError, type HeaderMap } from './header.ts';
import { sheetToCsv, type Sheet } from './sheet.ts';
import { aboveHeaderReason, belowHeaderReason, type Skipped } from './skip.ts';
import { assertCsvText, spreadsheetKind } from './sniff.ts';
import { readXlsxSheets } from './xlsx.ts';

export interface Reject {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface Staged {
  map: HeaderMap;
  format: 'csv' | 'xlsx' | 'xls';
  encoding: Encoding | null;
  /** every row of the file but the header: accepted + rejected + skipped + blank in the end */
  rowsRead: number;
  readerRejects: Reject[];
  /** rows above the header (title, unit/date line), and rows the reader could not split that are a total or footer */
  skipped: Skipped[];
  /** rows of only separators or spaces the reader met so far (those it could read are set aside after the check) */
  blank: number;
}

const STAGE = 'stg';

function readerReason(type: string, message: string): string {
  switch (type) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS':
      return `列数不符 / wrong number of columns: ${message}`;
    case 'INVALID UNICODE':
    case 'INVALID ENCODING':
      return '含有无法识别的字符（编码混用？）/ invalid characters: the file mixes encodings; save it again as UTF-8 or GB18030';
    case 'UNQUOTED VALUE':
      return `引号不匹配 / unbalanced quotes: ${message}`;
    case 'LINE SIZE OVER MAXIMUM':
      return '行过长 / line longer than 2 MB';
    default:
      return `无法读取此行 / unreadable row (${type}): ${message}`;
  }
}

/** Remove the work directories (converted and renumbered copies) of loads that were killed: they are
 * named after the loader's pid, so a killed load's can be told from a running one's. */
export async function removeAbandonedStages(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    const pid = /^uc-stage-(\d+)-/.exec(name)?.[1];
    // Another user's leftovers in a shared /tmp cannot be removed (sticky bit): not this load's business.
    if (pid && !processAlive(Number(pid))) await rm(path.join(tmpdir(), name), { recursive: true, force: true }).catch(() => {});
  }
}

/** Files that are spreadsheets but not ones we read: what the office should do instead. */
const SAVE_AS: Record<string, string> = {
  '.et': 'WPS 表格 (.et) 文件，请另存为 .xlsx / a WPS .et file: save it as .xlsx',
  '.numbers': 'Numbers 文件，请导出为 .xlsx / an Apple Numbers file: export it as .xlsx',
};

/** A file as Node read it, before DuckDB reads its rows: a CSV (the file itself, or the sheet or
 * transcoded copy written to the work directory) and what staging it needs to know. */
export interface Prepared {
  file: string;
  csvPath: string;
  header: string[];
  map: HeaderMap;
  /** the CSV's columns as read: contract names (or ignored_i), with __line first when it has one */
  names: string[];
  delimiter: string;
  hasLineColumn: boolean;
  format: Staged['format'];
  encoding: Encoding | null;
  skipped: Skipped[];
  blank: number;
  /** rows above the header, skipped or blank */
  aboveHeader: number;
  /** a spreadsheet's rows below the header (its rows read are these and aboveHeader); null for a CSV */
  sheetRows: number | null;
}

/** Read `file`'s header (and a spreadsheet's rows) in Node, writing the CSV DuckDB will read into `work` as `name`. */
export async function prepareFile(file: string, work: string, name: string, stream?: StreamName): Promise<Prepared> {
  const ext = path.extname(file).toLowerCase();
  let csvPath = file;
  let header: string[];
  let map: HeaderMap;
  let delimiter = ',';
  let hasLineColumn = false;
  let encoding: Encoding | null = null;
  let format: Staged['format'] = 'csv';
  let skipped: Skipped[] = [];
  let blank = 0;
  let sheetRows: number | null = null;
  if (ext === '.xlsx' || ext === '.xls') {
    // The content decides how it is read: a workbook saved as .xlsx but named .xls is read all the same.
    const kind = await spreadsheetKind(file);
    // SheetJS is loaded only for an old .xls: a CSV month's process does not pay for it.
    const sheets: Sheet[] = kind === 'xls' ? await (await import('./xls.ts')).readXlsSheets(file) : await readXlsxSheets(file);
    format = kind === 'xls' ? 'xls' : 'xlsx';
    csvPath = path.join(work, `${name}.sheet.csv`);
    ({ header, map, skipped, blank, rows: sheetRows } = await sheetToCsv(sheets, file, csvPath, stream));
    hasLineColumn = true;
  } else if (ext === '.csv' || ext === '.txt') {
    const detected = await detectEncoding(file);
    encoding = detected.encoding;
    assertCsvText(file, detected.sample);
    const text = decodeSample(detected.sample, encoding);
    delimiter = detectDelimiter(text);
    const top = firstRecords(text, delimiter, HEADER_SEARCH_ROWS);
    const found = findHeader(top.map((r) => r.fields), file, stream);
    ({ header, map } = found);
    for (const r of top.slice(0, found.first)) {
      const reason = aboveHeaderReason(r.fields);
      if (reason) skipped.push({ line: r.line, reason });
      else blank++;
    }
    const headerLine = top[found.last].line;
    if (encoding === 'gb18030') {
      csvPath = path.join(work, `${name}.utf8.csv`);
      await transcodeToUtf8(file, csvPath);
    }
    if (headerLine > 1 || (await hasIrregularLines(csvPath, delimiter))) {
      const numbered = path.join(work, `${name}.numbered.csv`);
      await withLineNumbers(csvPath, numbered, delimiter, headerLine);
      if (csvPath !== file) await rm(csvPath, { force: true }); // the transcoded copy, numbered now
      csvPath = numbered;
      hasLineColumn = true;
    }
  } else if (SAVE_AS[ext]) {
    throw new UnreadableFileError(`${file}: ${SAVE_AS[ext]}`);
  } else {
    throw new UnreadableFileError(`${file}: 不支持的文件类型 / unsupported file type "${ext}": 请另存为 .xlsx 或 CSV / save it as .xlsx or CSV`);
  }
  // The file's columns are named after the contract as they are read, so staging is a single copy.
  const names = header.map((_, i) => map.columns.get(i) ?? `ignored_${i}`);
  if (hasLineColumn) names.unshift('__line');
  return { file, csvPath, header, map, names, delimiter, hasLineColumn, format, encoding, skipped, blank, aboveHeader: skipped.length + blank, sheetRows };
}

/** read_csv of `paths` as the prepared file's columns, its unsplittable rows into `rejects` (and `scans`). */
function readCsvSql(p: Prepared, paths: string[], rejects: string, scans: string, filename: boolean): string {
  const colDefs = p.names.map((n) => `${lit(n)}: 'VARCHAR'`).join(', ');
  return `read_csv([${paths.map(lit).join(', ')}],
           header = true, auto_detect = false, delim = ${lit(p.delimiter)}, quote = '"', escape = '"',
           columns = {${colDefs}}, null_padding = false, store_rejects = true,
           rejects_table = ${lit(rejects)}, rejects_scan = ${lit(scans)}${filename ? ', filename = true' : ''})`;
}

type RejectRow = { line: string; column_name: string | null; csv_line: string; error_type: string; error_message: string };

/** The rows the reader could not split: reader rejects, unless blank or a total or footer line (then set aside). */
function readerOutcome(p: Prepared, rejectRows: RejectRow[]): { readerRejects: Reject[]; skipped: Skipped[]; blank: number; unsplit: number } {
  const readerRejects: Reject[] = [];
  const skipped = [...p.skipped];
  let blank = p.blank;
  const seen = new Set<number>();
  for (const r of rejectRows) {
    // With a __line column the reader's own count is of records in the staged copy: the line is
    // the first cell of the rejected record.
    const numbered = p.hasLineColumn ? /^\s*(\d+)(.*)$/s.exec(r.csv_line ?? '') : null;
    const line = Number(numbered?.[1] ?? r.line);
    const text = numbered ? numbered[2].slice(1) : r.csv_line;
    if (seen.has(line)) continue;
    seen.add(line);
    // A short line of separators (",,," under a wider header) or a lone "填表人：" line is not a record.
    const notRecord = belowHeaderReason((text ?? '').split(p.delimiter).map((c) => c.replace(/^"|"$/g, '')));
    if (notRecord === 'blank') blank++;
    else if (notRecord) skipped.push({ line, reason: notRecord });
    else readerRejects.push({ line, column: null, value: text?.slice(0, 500) ?? null, reason: readerReason(r.error_type, r.error_message) });
  }
  skipped.sort((a, b) => a.line - b.line);
  return { readerRejects, skipped, blank, unsplit: seen.size };
}

/** The staged columns but __line: the contract's (NULL when the file lacks one) and __cells, every cell of the row. */
function stagedColumns(p: Prepared): string {
  const returned = p.header.includes(PROBLEMS); // a rejects file sent back fixed
  const select = p.map.stream.columns.map((c) =>
    !p.map.headerOf.has(c.name) ? `NULL::VARCHAR AS ${ident(c.name)}` : returned ? `${restoredSql(ident(c.name))} AS ${ident(c.name)}` : ident(c.name),
  );
  return `${select.join(', ')}, [${p.names.filter((n) => n !== '__line').map(ident).join(', ')}] AS __cells`;
}

/** Stage a prepared file into the temp view `stg` (columns: __line, the contract columns and __cells). */
export async function stagePrepared(conn: DuckDBConnection, p: Prepared): Promise<Staged> {
  await run(conn, `DROP VIEW IF EXISTS ${STAGE}; DROP TABLE IF EXISTS stg_raw; DROP TABLE IF EXISTS stg_rejects; DROP TABLE IF EXISTS stg_reject_scans;`);
  try {
    await run(conn, `CREATE TEMP TABLE stg_raw AS SELECT * FROM ${readCsvSql(p, [p.csvPath], 'stg_rejects', 'stg_reject_scans', false)}`);
  } catch (e) {
    throw new UnreadableFileError(`${p.file}: 无法读取 / cannot read the file: ${(e as Error).message}`);
  }
  const outcome = readerOutcome(
    p,
    await rows<RejectRow>(conn, `SELECT line, column_name, csv_line, error_type, error_message FROM stg_rejects ORDER BY line`),
  );
  // Reader-rejected lines are not in stg_raw: shift the following rows' line numbers past them.
  const lineExpr = p.hasLineColumn
    ? '__line::INTEGER'
    : outcome.readerRejects.length === 0
      ? '(rowid + 2)::INTEGER'
      : `(rowid + 2 + (SELECT count(*) FROM shifts WHERE shifts.t <= stg_raw.rowid))::INTEGER`;
  await run(
    conn,
    `CREATE TEMP VIEW ${STAGE} AS
     WITH shifts AS (SELECT line - 1 - row_number() OVER (ORDER BY line) AS t FROM (SELECT DISTINCT line FROM stg_rejects))
     SELECT ${lineExpr} AS __line, ${stagedColumns(p)} FROM stg_raw`,
  );
  const [{ n }] = await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM stg_raw`);
  return staged(p, outcome, n);
}

function staged(p: Prepared, outcome: ReturnType<typeof readerOutcome>, kept: number): Staged {
  const { readerRejects, skipped, blank, unsplit } = outcome;
  // Rows the reader kept, rows it could not split (rejected, blank or skipped) and rows above the header.
  return { map: p.map, format: p.format, encoding: p.encoding, rowsRead: kept + unsplit + p.aboveHeader, readerRejects, skipped, blank };
}

/** A prepared file DuckDB reads as it lies: a CSV in UTF-8, its header on the first line, not a rejects file
 * sent back (its cells are restored as they are staged). Its lines are its rows' order (stagePrepared). */
export const readAsItLies = (p: Prepared) => p.csvPath === p.file && !p.hasLineColumn && !p.header.includes(PROBLEMS);

/**
 * The temp view `stg` straight over a file read as it lies (readAsItLies), with no copy of its rows: for
 * a check in the pass that reads it (etl/load.ts checkAsRead). Its lines are not numbered (__line is
 * NULL): a table made from it in one pass, joinless, keeps the rows' order, and numbers them by rowid
 * as stagePrepared does. The rows the reader could not split go to stg_rejects as it is read.
 */
export async function viewAsItLies(conn: DuckDBConnection, p: Prepared): Promise<void> {
  if (!readAsItLies(p)) throw new Error(`viewAsItLies: ${p.file} is not read as it lies`);
  await run(conn, `DROP VIEW IF EXISTS ${STAGE}; DROP TABLE IF EXISTS stg_raw; DROP TABLE IF EXISTS stg_rejects; DROP TABLE IF EXISTS stg_reject_scans;`);
  await run(
    conn,
    `CREATE TEMP VIEW ${STAGE} AS SELECT NULL::INTEGER AS __line, ${stagedColumns(p)} FROM ${readCsvSql(p, [p.csvPath], 'stg_rejects', 'stg_reject_scans', false)}`,
  );
}

/** What staging a file read as it lies gives (stagePrepared), when the reader split all its `kept` rows. */
export const readWhole = (p: Prepared, kept: number): Staged => staged(p, readerOutcome(p, []), kept);

/** Files prepared alike (sameReading) are staged together into the temp view `stg_many`. */
export const STAGED_MANY = 'stg_many';

/** Prepared files DuckDB can read with one read_csv: numbered rows (__line), the same columns and separator. */
export const sameReading = (a: Prepared, b: Prepared) =>
  a.hasLineColumn && b.hasLineColumn && a.delimiter === b.delimiter && a.names.join('\u0000') === b.names.join('\u0000') &&
  a.header.includes(PROBLEMS) === b.header.includes(PROBLEMS) && a.map.stream === b.map.stream;

/**
 * Stage prepared files (all sameReading, with __line) with one read_csv: the temp view `stg_many` has
 * `stg`'s columns for each, after __file (the file's place in `ps`) and __row (its order within the
 * file). Each file's Staged is what stagePrepared gives it (its own rejects, skipped and blank rows).
 * One read instead of one per file: a publish of 111 county months paid ~15 ms of statements per file.
 */
export async function stageTogether(conn: DuckDBConnection, ps: Prepared[]): Promise<Staged[]> {
  if (!ps.every((p) => sameReading(ps[0], p))) throw new Error('stageTogether: the files are not read alike');
  await run(conn, `DROP VIEW IF EXISTS ${STAGED_MANY}; DROP TABLE IF EXISTS stg_many_raw; DROP TABLE IF EXISTS stg_many_rejects; DROP TABLE IF EXISTS stg_many_scans;`);
  try {
    await run(conn, `CREATE TEMP TABLE stg_many_raw AS SELECT * FROM ${readCsvSql(ps[0], ps.map((p) => p.csvPath), 'stg_many_rejects', 'stg_many_scans', true)}`);
  } catch {
    // Which file: each read on its own names it (stagePrepared's error); then say so in any case.
    for (const p of ps) {
      await stagePrepared(conn, p);
      await run(conn, `DROP VIEW ${STAGE}; DROP TABLE stg_raw;`);
    }
    throw new Error(`the files ${ps.map((p) => p.file).join(', ')} could not be read together, though each could alone`);
  }
  const index = `list_position([${ps.map((p) => lit(p.csvPath)).join(', ')}], filename)::INTEGER - 1`;
  await run(
    conn,
    `CREATE TEMP VIEW ${STAGED_MANY} AS SELECT ${index} AS __file, rowid AS __row, __line::INTEGER AS __line, ${stagedColumns(ps[0])} FROM stg_many_raw`,
  );
  const rejected = await rows<RejectRow & { path: string }>(
    conn,
    `SELECT s.file_path AS path, r.line, r.column_name, r.csv_line, r.error_type, r.error_message
     FROM stg_many_rejects r JOIN stg_many_scans s USING (scan_id, file_id) ORDER BY s.file_path, r.line`,
  );
  const kept = new Map(
    (await rows<{ path: string; n: number }>(conn, `SELECT filename AS path, count(*)::INTEGER AS n FROM stg_many_raw GROUP BY 1`)).map((r) => [r.path, r.n]),
  );
  // Each file's rejects, grouped once (not every file scanning every reject of the batch).
  const rejectsOf = new Map<string, RejectRow[]>();
  for (const r of rejected) {
    const of = rejectsOf.get(r.path);
    if (of) of.push(r);
    else rejectsOf.set(r.path, [r]);
  }
  return ps.map((p) => staged(p, readerOutcome(p, rejectsOf.get(p.csvPath) ?? []), kept.get(p.csvPath) ?? 0));
}

/** Drop what stageTogether made. */
export const dropStagedTogether = (conn: DuckDBConnection) =>
  run(conn, `DROP VIEW ${STAGED_MANY}; DROP TABLE stg_many_raw; DROP TABLE IF EXISTS stg_many_rejects; DROP TABLE IF EXISTS stg_many_scans;`);

/** Stage `file` into the temp view `stg` (columns: __line, the contract columns and __cells, every cell of the row). */
export async function stageFile(conn: DuckDBConnection, file: string, stream?: StreamName): Promise<Staged> {
  const work = await mkdtemp(path.join(tmpdir(), `uc-stage-${process.pid}-`));
  try {
    return await stagePrepared(conn, await prepareFile(file, work, 'file', stream));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Remove the CSV a prepared file wrote, once staged (DuckDB copied its rows). */
export const removePrepared = (p: Prepared) => (p.csvPath === p.file ? Promise.resolve() : rm(p.csvPath, { force: true }));

/** A work directory for prepared files (removed by the caller; a killed load's by removeAbandonedStages). */
export const stageWorkDir = () => mkdtemp(path.join(tmpdir(), `uc-stage-${process.pid}-`));
