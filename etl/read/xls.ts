// .xls (Excel 97-2003, BIFF8; WPS still offers it for old templates) through SheetJS: every sheet as
// rows of text cells, like xlsx.ts. SheetJS comes from @e965/xlsx, the registry's republish of the
// maintained SheetJS build (the `xlsx` package there is frozen at 0.18.5; see docs/data-contract.md).
// The whole file is parsed in memory, so it is bounded: size first, then rows per sheet.
import { readFile, stat } from 'node:fs/promises';
import * as XLSX from '@e965/xlsx';
import { UnreadableFileError } from './header.ts';
import type { Sheet, SheetRow } from './sheet.ts';

/** Largest .xls read: a full BIFF8 sheet of county records is well under this. */
export const XLS_MAX_BYTES = 32 << 20;
/** BIFF8's own row limit: a sheet claiming more is not a real .xls. */
export const XLS_MAX_ROWS = 65_536;

const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.t === 'n' && cell.z !== undefined && XLSX.SSF.is_date(cell.z)) {
    // A date cell holds a day serial; read the calendar date from it, not through a time zone.
    const d = XLSX.SSF.parse_date_code(cell.v as number) as { y: number; m: number; d: number };
    return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
  }
  if (cell.t === 'e') return cell.w ?? '#ERROR';
  if (cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
  return String(cell.v);
}

function sheetOf(name: string, ws: XLSX.WorkSheet, file: string): Sheet {
  const range = ws['!ref'] ? XLSX.utils.decode_range(ws['!ref']) : null;
  const full = ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']) : range; // before sheetRows cut it
  if (full && full.e.r + 1 > XLS_MAX_ROWS) {
    throw new UnreadableFileError(`${file}: 工作表"${name}"超过 ${XLS_MAX_ROWS} 行 / sheet "${name}" has more than ${XLS_MAX_ROWS} rows`);
  }
  const width = range ? range.e.c + 1 : 0;
  // A merged range reads as its top-left value in every cell, as xlsx.ts reads it for .xlsx.
  const mergedByRow = new Map<number, XLSX.Range[]>();
  for (const m of ws['!merges'] ?? []) {
    for (let r = m.s.r; r <= Math.min(m.e.r, XLS_MAX_ROWS); r++) mergedByRow.set(r, [...(mergedByRow.get(r) ?? []), m]);
  }
  return {
    name,
    width,
    *rows(): Generator<SheetRow> {
      if (!range) return;
      for (let r = 0; r <= range.e.r; r++) {
        const cells = Array.from({ length: width }, (_, c) => cellText(ws[XLSX.utils.encode_cell({ r, c })]));
        for (const m of mergedByRow.get(r) ?? []) {
          const master = cellText(ws[XLSX.utils.encode_cell(m.s)]);
          for (let c = m.s.c; c <= Math.min(m.e.c, width - 1); c++) cells[c] = master;
        }
        if (cells.some((c) => c !== '')) yield { line: r + 1, cells };
      }
    },
  };
}

export async function readXlsSheets(file: string): Promise<Sheet[]> {
  const { size } = await stat(file);
  if (size > XLS_MAX_BYTES) {
    throw new UnreadableFileError(
      `${file}: .xls 文件超过 ${XLS_MAX_BYTES >> 20} MB / the .xls file is larger than ${XLS_MAX_BYTES >> 20} MB: 请另存为 .xlsx 或 CSV / save it as .xlsx or CSV`,
    );
  }
  const bytes = await readFile(file);
  if (!OLE.every((b, i) => bytes[i] === b)) {
    throw new UnreadableFileError(`${file}: 不是有效的 Excel 97-2003 (.xls) 文件 / not a readable Excel 97-2003 .xls file`);
  }
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: 'buffer', sheetRows: XLS_MAX_ROWS + 1, cellNF: true, cellFormula: false, cellHTML: false, cellStyles: false });
  } catch (e) {
    throw new UnreadableFileError(`${file}: 不是有效的 Excel 97-2003 (.xls) 文件 / not a readable Excel 97-2003 .xls file (${(e as Error).message})`);
  }
  return workbook.SheetNames.map((name) => sheetOf(name, workbook.Sheets[name], file));
}
