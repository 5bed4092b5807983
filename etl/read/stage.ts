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

/** Stage `file` into the temp view `stg` (columns: __line, the contract columns and __cells, every cell of the row). */
export async function stageFile(conn: DuckDBConnection, file: string, stream?: StreamName): Promise<Staged> {
  const work = await mkdtemp(path.join(tmpdir(), `uc-stage-${process.pid}-`));
  try {
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
    if (ext === '.xlsx' || ext === '.xls') {
      // The content decides how it is read: a workbook saved as .xlsx but named .xls is read all the same.
      const kind = await spreadsheetKind(file);
      // SheetJS is loaded only for an old .xls: a CSV month's process does not pay for it.
      const sheets: Sheet[] = kind === 'xls' ? await (await import('./xls.ts')).readXlsSheets(file) : await readXlsxSheets(file);
      format = kind === 'xls' ? 'xls' : 'xlsx';
      csvPath = path.join(work, 'sheet.csv');
      ({ header, map, skipped, blank } = await sheetToCsv(sheets, file, csvPath, stream));
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
        csvPath = path.join(work, 'utf8.csv');
        await transcodeToUtf8(file, csvPath);
      }
      if (headerLine > 1 || (await hasIrregularLines(csvPath, delimiter))) {
        const numbered = path.join(work, 'numbered.csv');
        await withLineNumbers(csvPath, numbered, delimiter, headerLine);
        csvPath = numbered;
        hasLineColumn = true;
      }
    } else if (SAVE_AS[ext]) {
      throw new UnreadableFileError(`${file}: ${SAVE_AS[ext]}`);
    } else {
      throw new UnreadableFileError(`${file}: 不支持的文件类型 / unsupported file type "${ext}": 请另存为 .xlsx 或 CSV / save it as .xlsx or CSV`);
    }

    const aboveHeader = skipped.length + blank;
    // The file's columns are named after the contract as they are read, so staging is a single copy.
    const names = header.map((_, i) => map.columns.get(i) ?? `ignored_${i}`);
    if (hasLineColumn) names.unshift('__line');
    const colDefs = names.map((n) => `${lit(n)}: 'VARCHAR'`).join(', ');
    await run(conn, `DROP VIEW IF EXISTS ${STAGE}; DROP TABLE IF EXISTS stg_raw; DROP TABLE IF EXISTS stg_rejects; DROP TABLE IF EXISTS stg_reject_scans;`);
    try {
      await run(
        conn,
        `CREATE TEMP TABLE stg_raw AS SELECT * FROM read_csv(${lit(csvPath)},
           header = true, auto_detect = false, delim = ${lit(delimiter)}, quote = '"', escape = '"',
           columns = {${colDefs}}, null_padding = false, store_rejects = true,
           rejects_table = 'stg_rejects', rejects_scan = 'stg_reject_scans')`,
      );
    } catch (e) {
      throw new UnreadableFileError(`${file}: 无法读取 / cannot read the file: ${(e as Error).message}`);
    }

    const rejectRows = await rows<{ line: string; column_name: string | null; csv_line: string; error_type: string; error_message: string }>(
      conn,
      `SELECT line, column_name, csv_line, error_type, error_message FROM stg_rejects ORDER BY line`,
    );
    const readerRejects: Reject[] = [];
    const seen = new Set<number>();
    for (const r of rejectRows) {
      // With a __line column the reader's own count is of records in the staged copy: the line is
      // the first cell of the rejected record.
      const numbered = hasLineColumn ? /^\s*(\d+)(.*)$/s.exec(r.csv_line ?? '') : null;
      const line = Number(numbered?.[1] ?? r.line);
      const text = numbered ? numbered[2].slice(1) : r.csv_line;
      if (seen.has(line)) continue;
      seen.add(line);
      // A short line of separators (",,," under a wider header) or a lone "填表人：" line is not a record.
      const notRecord = belowHeaderReason((text ?? '').split(delimiter).map((c) => c.replace(/^"|"$/g, '')));
      if (notRecord === 'blank') blank++;
      else if (notRecord) skipped.push({ line, reason: notRecord });
      else readerRejects.push({ line, column: null, value: text?.slice(0, 500) ?? null, reason: readerReason(r.error_type, r.error_message) });
    }

    const returned = header.includes(PROBLEMS); // a rejects file sent back fixed
    const select = map.stream.columns.map((c) =>
      !map.headerOf.has(c.name) ? `NULL::VARCHAR AS ${ident(c.name)}` : returned ? `${restoredSql(ident(c.name))} AS ${ident(c.name)}` : ident(c.name),
    );
    // Reader-rejected lines are not in stg_raw: shift the following rows' line numbers past them.
    const lineExpr = hasLineColumn
      ? '__line::INTEGER'
      : readerRejects.length === 0
        ? '(rowid + 2)::INTEGER'
        : `(rowid + 2 + (SELECT count(*) FROM shifts WHERE shifts.t <= stg_raw.rowid))::INTEGER`;
    await run(
      conn,
      `CREATE TEMP VIEW ${STAGE} AS
       WITH shifts AS (SELECT line - 1 - row_number() OVER (ORDER BY line) AS t FROM (SELECT DISTINCT line FROM stg_rejects))
       SELECT ${lineExpr} AS __line, ${select.join(', ')}, [${names.filter((n) => n !== '__line').map(ident).join(', ')}] AS __cells FROM stg_raw`,
    );
    const [{ n }] = await rows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM stg_raw`);
    skipped.sort((a, b) => a.line - b.line);
    // Rows the reader kept, rows it could not split (rejected, blank or skipped) and rows above the header.
    const rowsRead = n + seen.size + aboveHeader;
    return { map, format, encoding, rowsRead, readerRejects, skipped, blank };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
