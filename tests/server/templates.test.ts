// GET /api/templates/<stream>.xlsx: a template laid out from the contract, read back with exceljs, then
// filled in as an office would (values picked from its own drop-down lists) and loaded with the real
// ETL (etl/load.ts) into a new warehouse: every row of every stream loads, and a value outside a
// drop-down is still rejected by the loader.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { streamNames, streams, reportingUnitColumn, type Column, type StreamName } from '../../core/contract.ts';
import { loadFiles } from '../../etl/load.ts';
import { parseCalendar } from '../../core/reporting-calendar.ts';
import { CALENDAR_FILE } from '../../server/reporting/plugin.ts';
import { DATE_FORMAT, deadlineNote, describeValue, INSTRUCTIONS_SHEET, TEMPLATE_ROWS } from '../../server/reporting/template.ts';
import { buildTestApp } from './helpers.ts';

const env = await buildTestApp();
const cookies: Record<string, string> = {};

beforeAll(async () => {
  for (const who of ['analyst', 'county-450102', 'county-450103', 'admin', 'leader']) cookies[who] = await env.login(who);
});

async function download(stream: string, who: string) {
  return env.app.inject({ url: `/api/templates/${stream}.xlsx`, headers: { cookie: cookies[who] } });
}

async function template(stream: StreamName, who: string): Promise<ExcelJS.Workbook> {
  const res = await download(stream, who);
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

const dataSheet = (wb: ExcelJS.Workbook, stream: StreamName) => wb.getWorksheet(streams[stream].zh)!;
const listOf = (v: ExcelJS.DataValidation | undefined) =>
  v?.type === 'list' ? String(v.formulae[0]).replace(/^"|"$/g, '').split(',') : undefined;

describe('the template of each stream', () => {
  it.each(streamNames)('%s: Chinese headers in row 1, required ones bold, the data sheet first', async (stream) => {
    const wb = await template(stream, 'analyst');
    expect(wb.worksheets.map((ws) => ws.name)).toEqual([streams[stream].zh, INSTRUCTIONS_SHEET]);
    const header = dataSheet(wb, stream).getRow(1);
    streams[stream].columns.forEach((c, i) => {
      expect(header.getCell(i + 1).value, c.name).toBe(c.zh);
      expect(Boolean(header.getCell(i + 1).font?.bold), `${c.name} bold = required`).toBe(c.required);
    });
  });

  it.each(streamNames)('%s: the 说明 sheet lists every column, whether required, and what it takes', async (stream) => {
    const ws = (await template(stream, 'analyst')).getWorksheet(INSTRUCTIONS_SHEET)!;
    const rows = ws.getSheetValues().filter(Boolean).map((r) => (r as ExcelJS.CellValue[]).slice(1));
    const text = rows.map((r) => r.join(' ')).join('\n');
    expect(text).toContain('加粗、橙色底的列为必填');
    expect(text).toContain(DATE_FORMAT);
    for (const c of streams[stream].columns) expect(rows, c.name).toContainEqual([c.zh, c.name, c.required ? '必填' : '选填', describeValue(c.value)]);
    for (const rule of streams[stream].rules) expect(text).toContain(rule.reason.split(' / ')[0]);
    // the deadline as the reporting calendar sets it (mediation: the 10th of the following month)
    const entry = parseCalendar(readFileSync(CALENDAR_FILE, 'utf8')).find((e) => e.stream === stream)!;
    expect(text).toContain(deadlineNote(entry));
    if (stream === 'mediation') expect(text).toContain('每月结束后，于次月 10 日前上报');
  });

  it.each(streamNames)('%s: every enumerated and yes/no column has a drop-down of the Chinese labels on every prepared row', async (stream) => {
    const ws = dataSheet(await template(stream, 'analyst'), stream);
    const listed = streams[stream].columns.filter((c) => c.value.kind === 'enum' || c.value.kind === 'boolean');
    for (const c of listed) {
      const col = streams[stream].columns.indexOf(c) + 1;
      const labels = c.value.kind === 'enum' ? Object.values(c.value.values) : ['是', '否'];
      for (const row of [2, TEMPLATE_ROWS + 1]) {
        const v = ws.getCell(row, col).dataValidation;
        expect(listOf(v), `${c.name} row ${row}`).toEqual(labels);
        expect(v.showErrorMessage && v.errorStyle).toBe('stop');
      }
    }
  });

  it.each(streamNames)('%s: date columns are formatted yyyy-mm-dd and accept only dates', async (stream) => {
    const ws = dataSheet(await template(stream, 'analyst'), stream);
    for (const c of streams[stream].columns.filter((c) => c.value.kind === 'date')) {
      const col = streams[stream].columns.indexOf(c) + 1;
      for (const row of [2, TEMPLATE_ROWS + 1]) {
        expect(ws.getCell(row, col).numFmt, `${c.name} row ${row}`).toBe('yyyy-mm-dd');
        expect(ws.getCell(row, col).dataValidation).toMatchObject({ type: 'date', operator: 'greaterThanOrEqual' });
      }
    }
  });

  it("a county account's template fills its county code in, locked to it by a list; others' is blank", async () => {
    const stream = 'mediation';
    const col = streams[stream].columns.indexOf(reportingUnitColumn(streams[stream])) + 1;
    const mine = dataSheet(await template(stream, 'county-450102'), stream);
    for (const row of [2, TEMPLATE_ROWS + 1]) {
      expect(listOf(mine.getCell(row, col).dataValidation)).toEqual(['450102']);
      // Shown once something else in the row is filled in, so rows left alone stay blank.
      expect(mine.getCell(row, col).formula).toBe(`IF(COUNTA($A${row}:$A${row},$C${row}:$I${row})=0," ","450102")`);
    }
    const neighbour = dataSheet(await template(stream, 'county-450103'), stream);
    expect(listOf(neighbour.getCell(2, col).dataValidation)).toEqual(['450103']);
    const analyst = dataSheet(await template(stream, 'analyst'), stream);
    expect(analyst.getCell(2, col).value).toBeNull();
    expect(analyst.getCell(2, col).dataValidation).toBeUndefined();
  });
});

describe('GET /api/templates/<stream>.xlsx', () => {
  it('an unknown stream is a 404 naming the known streams', async () => {
    const res = await download('payroll', 'analyst');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({
      code: 'not_found',
      field: 'stream',
      message: `no template for that stream: the streams are ${streamNames.join(', ')}`,
    });
  });

  it('is cacheable: one ETag per stream and county, and If-None-Match gets 304', async () => {
    const first = await download('mediation', 'county-450102');
    const again = await env.app.inject({
      url: '/api/templates/mediation.xlsx',
      headers: { cookie: cookies['county-450102'], 'if-none-match': first.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etags = new Set(
      await Promise.all(
        [['mediation', 'county-450103'], ['mediation', 'analyst'], ['training', 'county-450102']].map(async ([s, who]) => (await download(s, who)).headers.etag),
      ),
    );
    expect(etags.size).toBe(3);
    expect(etags.has(first.headers.etag)).toBe(false);
    // The analyst and the admin get the same blank copy.
    expect((await download('mediation', 'admin')).headers.etag).toBe((await download('mediation', 'analyst')).headers.etag);
  });

  it('is for those who report or check data: a leader gets 403', async () => {
    expect((await download('mediation', 'leader')).statusCode).toBe(403);
  });
});

// ---- filled in as an office would, and loaded with the real ETL ----

const ROWS = 8; // the longest drop-down (技能等级) has 8 labels: every label of every list is used

/** A value as an office types it in a column without a drop-down. */
function typed(stream: StreamName, c: Column, i: number): ExcelJS.CellValue {
  switch (c.value.kind) {
    case 'text':
      return `${c.name}-${i + 1}`;
    case 'county':
    case 'unit':
      return '450102';
    case 'date':
      return new Date(Date.UTC(2023, 2, 1 + i));
    case 'amount':
      return 1234.5;
    case 'integer':
      return Math.min(c.value.min + 8, c.value.max); // plan year 2023, 9 workers
    case 'period':
      return String(2023 - i); // C04 is reported by year; one row per year keeps the key unique
    case 'number':
      return 95;
    case 'indicator':
      return 'C04';
    default:
      throw new Error(`${stream}.${c.name}: ${c.value.kind} has a drop-down`);
  }
}

/** Write ROWS rows into the template's data sheet (drop-down columns take the list's values in turn). */
function fillIn(ws: ExcelJS.Worksheet, stream: StreamName) {
  const columns = streams[stream].columns;
  for (let i = 0; i < ROWS; i++) {
    const row = 2 + i;
    columns.forEach((c, j) => {
      const cell = ws.getCell(row, j + 1);
      const list = listOf(cell.dataValidation);
      cell.value = list ? list[i % list.length] : typed(stream, c, i);
    });
    // Contract rule: a pending case (在办) has no closed date.
    if (stream === 'mediation' && ws.getCell(row, 7).value === '在办') ws.getCell(row, 4).value = null;
  }
}

/** The templates of `who`, filled in (and changed), saved as name-stream.xlsx and loaded into a new warehouse. */
async function fillAndLoad(who: string, name: string, only: readonly StreamName[] = streamNames, change?: (ws: ExcelJS.Worksheet) => void) {
  const inputs: string[] = [];
  for (const stream of only) {
    const wb = await template(stream, who);
    const ws = dataSheet(wb, stream);
    fillIn(ws, stream);
    if (stream === 'mediation') change?.(ws);
    const file = path.join(env.dir, `${name}-${stream}.xlsx`);
    await wb.xlsx.writeFile(file);
    inputs.push(file);
  }
  const summary = await loadFiles({ warehouse: path.join(env.dir, `${name}.duckdb`), inputs });
  return Object.fromEntries(summary.files.map((f) => [f.stream, f])) as Record<StreamName, (typeof summary.files)[number]>;
}

// Each load builds a whole warehouse snapshot (catalog, marts, scores): slow on a shared machine.
const LOAD_TIMEOUT = 180_000;

describe('a filled-in template loads through the ETL', () => {
  it('every stream, as the analyst fills it: every row accepted, 0 rejects', async () => {
    const loaded = await fillAndLoad('analyst', 'analyst');
    for (const stream of streamNames) {
      expect(loaded[stream].rejects, stream).toEqual([]);
      expect({ stream, accepted: loaded[stream].accepted, rejected: loaded[stream].rejected }).toEqual({ stream, accepted: ROWS, rejected: 0 });
    }
  }, LOAD_TIMEOUT);

  it("every stream, as a county fills its own: every row accepted, the rows left alone read as blank", async () => {
    const loaded = await fillAndLoad('county-450102', 'county');
    for (const stream of streamNames) {
      expect(loaded[stream].rejects, stream).toEqual([]);
      expect({ stream, accepted: loaded[stream].accepted, rejected: loaded[stream].rejected }).toEqual({ stream, accepted: ROWS, rejected: 0 });
    }
    // Only the county column holds a (formula) value on the untouched prepared rows.
    expect(loaded.mediation.blank).toBe(TEMPLATE_ROWS - ROWS);
  }, LOAD_TIMEOUT);

  it('a value outside the drop-down is still rejected by the loader', async () => {
    const loaded = await fillAndLoad('analyst', 'bad-enum', ['mediation'], (ws) => {
      ws.getCell(3, 7).value = '已完成'; // 调解结果: not a label, nor a listed synonym
    });
    expect(loaded.mediation.accepted).toBe(ROWS - 1);
    expect(loaded.mediation.rejects).toEqual([
      expect.objectContaining({ line: 3, column: '调解结果', value: '已完成', reason: expect.stringContaining('不是有效选项') }),
    ]);
  }, LOAD_TIMEOUT);
});
