// A spreadsheet (.xlsx or .xls) as rows of text cells, written to a UTF-8 CSV with the Excel row
// number in front, so the rest of the load is the same as for CSV. Which sheet: the one named after a
// stream; else, when there are several (offices often put a notes sheet first), the one sheet with a
// contract header in its first rows. The rows above the header are reported as skipped.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { streams, type StreamName } from '../../core/contract.ts';
import { findHeader, HEADER_SEARCH_ROWS, UnreadableFileError, type HeaderMap } from './header.ts';
import { aboveHeaderReason, type Skipped } from './skip.ts';

export interface SheetRow {
  /** the row number Excel shows */
  line: number;
  cells: string[];
}

export interface Sheet {
  name: string;
  /** columns from A to the last one used (a row may run past it: its extra cells are kept) */
  width: number;
  /** the rows with at least one cell, in order; read again from the top at each call */
  rows(): Iterable<SheetRow> | AsyncIterable<SheetRow>;
}

export interface SheetCsv {
  header: string[];
  sheet: string;
  /** rows above the header that are not blank */
  skipped: Skipped[];
  /** rows above the header holding only spaces */
  blank: number;
  /** rows written below the header */
  rows: number;
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

async function topRows(sheet: Sheet): Promise<SheetRow[]> {
  const top: SheetRow[] = [];
  for await (const row of sheet.rows()) {
    top.push(row);
    if (top.length >= HEADER_SEARCH_ROWS) break;
  }
  return top;
}

async function hasHeader(sheet: Sheet, file: string, stream?: StreamName): Promise<boolean> {
  try {
    findHeader((await topRows(sheet)).map((r) => r.cells), file, stream);
    return true;
  } catch {
    return false;
  }
}

/** The sheet named after a stream; else the one sheet with a contract header (several would be rows left behind). */
async function pickSheet(sheets: Sheet[], file: string, stream?: StreamName): Promise<Sheet | undefined> {
  if (sheets.length <= 1) return sheets[0];
  const names = new Set(Object.values(streams).flatMap((s) => [s.name, s.zh]));
  const named = sheets.find((ws) => names.has(ws.name.trim()));
  if (named) return named;
  const withData: Sheet[] = [];
  for (const ws of sheets) if (await hasHeader(ws, file, stream)) withData.push(ws);
  if (withData.length > 1) {
    throw new UnreadableFileError(
      `${file}: 多个工作表都有数据 / several sheets hold data (${withData.map((ws) => ws.name).join(', ')}): ` +
        `send one sheet per file, or name the sheet to load after the stream (e.g. mediation or 劳动争议调解案件)`,
    );
  }
  return withData[0] ?? sheets[0];
}

/** Write the data sheet's rows below the header to `out` (first column __line); returns the header. */
export async function sheetToCsv(sheets: Sheet[], file: string, out: string, stream?: StreamName): Promise<SheetCsv & { map: HeaderMap }> {
  const sheet = await pickSheet(sheets, file, stream);
  const top = sheet ? await topRows(sheet) : [];
  if (!sheet || top.length === 0) throw new UnreadableFileError(`${file}: 工作表为空 / the sheet is empty`);
  const found = findHeader(top.map((r) => r.cells), file, stream);
  const skipped: Skipped[] = [];
  let blank = 0;
  for (const row of top.slice(0, found.first)) {
    const reason = aboveHeaderReason(row.cells);
    if (reason) skipped.push({ line: row.line, reason });
    else blank++;
  }
  const headerLine = top[found.last].line;
  const width = Math.max(sheet.width, found.header.length);
  // Cells past the width are kept: the CSV reader rejects such a row for its column count, never drops them.
  const pad = (cells: string[]) => Array.from({ length: Math.max(width, cells.length) }, (_, i) => cells[i] ?? '');
  const csv = createWriteStream(out);
  csv.write(['__line', ...pad(found.header)].map(csvField).join(',') + '\n');
  let rows = 0;
  for await (const row of sheet.rows()) {
    if (row.line <= headerLine) continue;
    rows++;
    // Blank, total and footer rows go through as they are: the load sets them aside (skip.ts).
    if (!csv.write([String(row.line), ...pad(row.cells)].map(csvField).join(',') + '\n')) await once(csv, 'drain');
  }
  csv.end();
  await once(csv, 'finish');
  return { header: pad(found.header), sheet: sheet.name, skipped, blank, rows, map: found.map };
}
