// The streaming .xlsx reader: cells read as the loader expects them (as exceljs read them before), and
// a hostile workbook stops at its bounds with a one-line message instead of filling memory.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnreadableFileError } from '../../etl/read/header.ts';
import type { SheetRow } from '../../etl/read/sheet.ts';
import { readXlsxSheets, XLSX_BOUNDS, XLSX_MAX_ROWS } from '../../etl/read/xlsx.ts';
import { tempDir } from '../helpers/tmp.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

async function rowsOf(file: string, bounds = XLSX_BOUNDS): Promise<{ name: string; width: number; rows: SheetRow[] }[]> {
  const out = [];
  for (const sheet of await readXlsxSheets(file, bounds)) {
    const rows: SheetRow[] = [];
    for await (const r of sheet.rows()) rows.push(r);
    out.push({ name: sheet.name, width: sheet.width, rows });
  }
  return out;
}

describe('cells as the loader reads them', () => {
  it('dates, numbers, booleans, formulas, rich text, merged ranges and gaps, sheet by sheet in workbook order', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['2023年台账 & 说明 <注>']);
    const ws = wb.addWorksheet('mediation');
    ws.getCell('A1').value = '标题';
    ws.mergeCells('A1:D1');
    ws.getRow(3).values = ['M1', 1200.5, new Date(Date.UTC(2023, 6, 1)), true];
    ws.getCell('C3').numFmt = 'yyyy"年"m"月"d"日"';
    ws.getRow(4).values = ['M2', 0.1 + 0.2, 45108, false]; // a serial in a plain number cell stays a number
    ws.getCell('A5').value = { richText: [{ text: '合' }, { font: { bold: true }, text: '计' }] };
    ws.getCell('B5').value = { formula: 'SUM(B3:B4)', result: 1200.8 } as ExcelJS.CellFormulaValue;
    ws.getCell('C5').value = { formula: 'TODAY()' } as ExcelJS.CellFormulaValue; // never calculated
    ws.getCell('A6').value = '450102';
    ws.mergeCells('A6:A8'); // a county code merged down three rows
    ws.getCell('B7').value = 'x';
    const file = path.join(dir, 'cells.xlsx');
    await wb.xlsx.writeFile(file);

    const [notes, sheet] = await rowsOf(file);
    expect(notes).toEqual({ name: '说明', width: 1, rows: [{ line: 1, cells: ['2023年台账 & 说明 <注>'] }] });
    expect(sheet.name).toBe('mediation');
    expect(sheet.width).toBe(4);
    expect(sheet.rows).toEqual([
      { line: 1, cells: ['标题', '标题', '标题', '标题'] },
      { line: 3, cells: ['M1', '1200.5', '2023-07-01', 'true'] },
      { line: 4, cells: ['M2', String(0.1 + 0.2), '45108', 'false'] },
      { line: 5, cells: ['合计', '1200.8', '=TODAY()', ''] },
      { line: 6, cells: ['450102', '', '', ''] },
      { line: 7, cells: ['450102', 'x', '', ''] },
      { line: 8, cells: ['450102', '', '', ''] }, // no cell of its own: the merged range makes the row
    ]);
  });

  it('reads the sheet again from the top at each call (the header search, then the rows)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('training');
    for (let i = 1; i <= 500; i++) ws.addRow([`T${i}`, i]);
    const file = path.join(dir, 'twice.xlsx');
    await wb.xlsx.writeFile(file);
    const [sheet] = await readXlsxSheets(file);
    const first: SheetRow[] = [];
    for await (const r of sheet.rows()) {
      first.push(r);
      if (first.length === 15) break;
    }
    let all = 0;
    for await (const r of sheet.rows()) all += r.line === all + 1 ? 1 : 0;
    expect(first.map((r) => r.line)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(all).toBe(500);
  });
});

describe('hostile workbooks stop at their bounds', () => {
  let big: string;
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('training');
    for (let i = 0; i < 5_000; i++) ws.addRow([`T${i}`, '450102', 'x'.repeat(40)]);
    big = path.join(dir, 'big.xlsx');
    await wb.xlsx.writeFile(big);
  });

  const small = { ...XLSX_BOUNDS, sheetBytes: 64 << 10 };

  it('a sheet declaring more than the bound is refused before it is inflated', async () => {
    await expect(rowsOf(big, small)).rejects.toThrow(/big\.xlsx: 不是有效的 Excel 文件 \/ not a readable \.xlsx file \(sheet "training" is larger than 64 KB uncompressed\)/);
  });

  it('a zip whose directory understates a sheet (a zip bomb) stops once the bound is inflated', async () => {
    const bytes = await readFile(big);
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    // The central directory entry of the sheet: its uncompressed size (offset 24) set to 1 KB.
    for (let at = bytes.indexOf(name); at >= 0; at = bytes.indexOf(name, at + 1)) {
      const header = at - 46;
      if (header >= 0 && bytes.readUInt32LE(header) === 0x02014b50) bytes.writeUInt32LE(1024, header + 24);
    }
    const bomb = path.join(dir, 'bomb.xlsx');
    await writeFile(bomb, bytes);
    const error = await rowsOf(bomb, small).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect(error?.message).toMatch(/bomb\.xlsx: .*sheet "training" inflates to more than 64 KB \(a zip bomb\?\)/);
    expect(error?.message).not.toContain('\n');
  });

  it(`a sheet with a row past Excel's ${XLSX_MAX_ROWS.toLocaleString('en')} is refused`, async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('training');
    ws.addRow(['T1', '450102']);
    ws.getRow(XLSX_MAX_ROWS + 1).values = ['T2', '450102'];
    const file = path.join(dir, 'rows.xlsx');
    await wb.xlsx.writeFile(file);
    await expect(rowsOf(file)).rejects.toThrow(/rows\.xlsx: .*sheet "training" has more than 1048576 rows/);
  });
});
