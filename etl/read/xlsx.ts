// XLSX: the first sheet, or when there are several (offices often put a notes sheet first) the sheet
// named after the stream, else the one sheet whose first row is a contract header. Cells are written
// to a UTF-8 CSV with the Excel row number in front, so the rest of the load is the same as for CSV.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { streams, type StreamName } from '../contract/streams.ts';
import { recogniseHeader, UnreadableFileError } from './header.ts';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10); // date cells are UTC midnight
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    // A formula's cached result is what the office saw; without one, keep the formula as plain text.
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result !== undefined && result !== null && typeof result !== 'object') return String(result);
    if (result instanceof Date) return result.toISOString().slice(0, 10);
    return `=${(value as ExcelJS.CellFormulaValue).formula ?? ''}`;
  }
  if ('text' in value) return String(value.text); // hyperlink
  if ('error' in value) return String(value.error);
  return String(value);
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

const headerCells = (ws: ExcelJS.Worksheet): string[] => {
  const cells: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (cells.length === 0) for (let c = 1; c <= ws.columnCount; c++) cells.push(cellText(row.getCell(c).value));
  });
  return cells;
};

function hasHeader(ws: ExcelJS.Worksheet, file: string, stream?: StreamName): boolean {
  try {
    recogniseHeader(headerCells(ws), file, stream);
    return true;
  } catch {
    return false;
  }
}

/** The sheet named after a stream; else the one sheet with a contract header (several would be rows left behind). */
function pickSheet(workbook: ExcelJS.Workbook, file: string, stream?: StreamName): ExcelJS.Worksheet | undefined {
  const sheets = workbook.worksheets;
  if (sheets.length <= 1) return sheets[0];
  const names = new Set(Object.values(streams).flatMap((s) => [s.name, s.zh]));
  const named = sheets.find((ws) => names.has(ws.name.trim()));
  if (named) return named;
  const withData = sheets.filter((ws) => hasHeader(ws, file, stream));
  if (withData.length > 1) {
    throw new UnreadableFileError(
      `${file}: 多个工作表都有数据 / several sheets hold data (${withData.map((ws) => ws.name).join(', ')}): ` +
        `send one sheet per file, or name the sheet to load after the stream (e.g. mediation or 劳动争议调解案件)`,
    );
  }
  return withData[0] ?? sheets[0];
}

/** Convert the data sheet to CSV with a leading __line column; returns the header cells. */
export async function xlsxToCsv(file: string, out: string, stream?: StreamName): Promise<{ header: string[]; sheet: string }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (e) {
    throw new UnreadableFileError(`${file}: 不是有效的 Excel 文件 / not a readable .xlsx file (${(e as Error).message})`);
  }
  const sheet = pickSheet(workbook, file, stream);
  if (!sheet || sheet.actualRowCount === 0) throw new UnreadableFileError(`${file}: 工作表为空 / the sheet is empty`);
  const width = sheet.columnCount;
  const header: string[] = [];
  const csv = createWriteStream(out);
  let headerDone = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    if (!headerDone) {
      header.push(...cells);
      headerDone = true;
      csv.write(['__line', ...cells].map(csvField).join(',') + '\n');
      return;
    }
    if (cells.every((v) => v.trim() === '')) return;
    // eachRow is synchronous, so back-pressure cannot be awaited: the stream buffers until end().
    csv.write([String(rowNumber), ...cells].map(csvField).join(',') + '\n');
  });
  csv.end();
  await once(csv, 'finish');
  return { header, sheet: sheet.name };
}
