// XLSX: the first sheet, or the sheet named after the stream when there are several (offices often put
// a notes sheet first). Cells are written to a UTF-8 CSV with the Excel row number in front, so the
// rest of the load is the same as for CSV files.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { streams } from '../contract/streams.ts';
import { UnreadableFileError } from './header.ts';

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

function pickSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const sheets = workbook.worksheets;
  if (sheets.length <= 1) return sheets[0];
  const names = new Set(Object.values(streams).flatMap((s) => [s.name, s.zh]));
  return sheets.find((ws) => names.has(ws.name.trim())) ?? sheets[0];
}

/** Convert the data sheet to CSV with a leading __line column; returns the header cells. */
export async function xlsxToCsv(file: string, out: string): Promise<{ header: string[]; sheet: string }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (e) {
    throw new UnreadableFileError(`${file}: 不是有效的 Excel 文件 / not a readable .xlsx file (${(e as Error).message})`);
  }
  const sheet = pickSheet(workbook);
  if (!sheet || sheet.actualRowCount === 0) throw new UnreadableFileError(`${file}: 工作表为空 / the sheet is empty`);
  const width = sheet.columnCount;
  const header: string[] = [];
  const stream = createWriteStream(out);
  let headerDone = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    if (!headerDone) {
      header.push(...cells);
      headerDone = true;
      stream.write(['__line', ...cells].map(csvField).join(',') + '\n');
      return;
    }
    if (cells.every((v) => v.trim() === '')) return;
    if (!stream.write([String(rowNumber), ...cells].map(csvField).join(',') + '\n')) {
      // eachRow is synchronous; the buffered stream flushes at end().
    }
  });
  stream.end();
  await once(stream, 'finish');
  return { header, sheet: sheet.name };
}
