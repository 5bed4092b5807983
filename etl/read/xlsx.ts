// .xlsx through exceljs: every sheet as rows of text cells (sheet.ts picks the sheet and the header).
// A cell inside a merged range reads as the range's value (exceljs does so), so a county code merged
// down a block of rows counts for each row of it.
import ExcelJS from 'exceljs';
import { UnreadableFileError } from './header.ts';
import type { Sheet, SheetRow } from './sheet.ts';

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

function sheetOf(ws: ExcelJS.Worksheet): Sheet {
  const width = ws.columnCount;
  return {
    name: ws.name,
    width,
    *rows(): Generator<SheetRow> {
      for (let r = 1; r <= ws.rowCount; r++) {
        const row = ws.findRow(r);
        if (!row || !row.hasValues) continue;
        const cells: string[] = [];
        for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
        yield { line: r, cells };
      }
    },
  };
}

export async function readXlsxSheets(file: string): Promise<Sheet[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (e) {
    throw new UnreadableFileError(`${file}: 不是有效的 Excel 文件 / not a readable .xlsx file (${(e as Error).message})`);
  }
  return workbook.worksheets.map(sheetOf);
}
