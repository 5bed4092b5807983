// XLSX with exceljs: a title row, the notes, a frozen and filterable header row, number formats per
// column type and column widths that fit the content (CJK characters count double). Cells are values,
// never formulas: text starting with = stays text.
import ExcelJS from 'exceljs';
import { excelNumberFormat } from '../../core/format.ts';
import { cellText, displayWidth, type Column, type ColumnType, type Report } from './report.ts';

// The cell keeps the raw value (72.2, as in the JSON); the number format shows it as the PDF does (72.20%).
const numberFormat = (type: ColumnType) => (type === 'text' ? undefined : excelNumberFormat(type));

const DEFAULT_WIDTH: Record<ColumnType, number> = { text: 12, integer: 10, decimal1: 10, decimal2: 10, percent: 10, yuan: 16 };

function widthOf(c: Column, report: Report): number {
  if (c.width) return c.width;
  let w = Math.max(DEFAULT_WIDTH[c.type], displayWidth(c.header));
  for (const row of [...report.rows, ...(report.totals ?? [])]) {
    const v = row[c.key];
    if (v === null || v === undefined) continue;
    const shown = displayWidth(cellText(v, c.type)) + 1;
    w = Math.max(w, shown);
  }
  return Math.min(w + 2, 60);
}

export async function toXlsx(report: Report): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Union Cockpit';
  wb.created = new Date();
  const sheet = wb.addWorksheet(report.lang === 'en' ? 'Report' : '报表', { properties: { defaultRowHeight: 18 } });
  const n = report.columns.length;

  const title = sheet.addRow([report.title]);
  title.font = { bold: true, size: 14 };
  title.height = 24;
  sheet.mergeCells(1, 1, 1, Math.max(n, 1));
  for (const note of report.notes) {
    const r = sheet.addRow([note]);
    r.font = { color: { argb: 'FF555555' }, size: 9 };
    sheet.mergeCells(r.number, 1, r.number, Math.max(n, 1));
  }
  const header = sheet.addRow(report.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: header.number, topLeftCell: `A${header.number + 1}` }];
  sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: header.number, column: n } };

  const addRows = (rows: Report['rows'], bold: boolean) => {
    for (const row of rows) {
      const r = sheet.addRow(report.columns.map((c) => row[c.key] ?? null));
      if (bold) r.font = { bold: true };
    }
  };
  addRows(report.rows, false);
  addRows(report.totals ?? [], true);

  report.columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = widthOf(c, report);
    const fmt = numberFormat(c.type);
    if (fmt) {
      col.numFmt = fmt;
      col.alignment = { horizontal: 'right' };
    }
  });
  // The column formats must not touch the title and notes rows.
  for (let r = 1; r < header.number; r++) sheet.getRow(r).eachCell((cell) => ((cell.numFmt = 'General'), (cell.alignment = { horizontal: 'left' })));

  return Buffer.from(await wb.xlsx.writeBuffer());
}
