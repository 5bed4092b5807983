// What county offices actually send: GB18030 and BOM CSV, XLSX with date cells and a notes sheet
// first, Chinese or English headers in any order, and files that cannot be read at all.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load.ts';
import { tempDir, writeCsv } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const zhHeader = ['结案日期', '案件编号', '县区代码', '受理日期', '争议类型', '调解渠道', '调解结果', '涉及职工人数', '涉案金额'];
const zhRow = ['2023年7月10日', 'ZH-1', '450102', '2023年7月1日', '劳动报酬', '工会', '成功', '3', '1,200.50'];

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

async function mediationRows(warehouse: string) {
  return query<{ case_id: string; received_date: string; closed_date: string; outcome: string; amount: number }>(
    warehouse,
    `SELECT case_id, received_date::VARCHAR AS received_date, closed_date::VARCHAR AS closed_date, outcome::VARCHAR AS outcome,
            amount_yuan::DOUBLE AS amount FROM fact_mediation ORDER BY case_id`,
  );
}

describe('CSV encodings and headers', () => {
  it('reads a GB18030 file with Chinese headers in a different order', async () => {
    const text = [zhHeader.join(','), zhRow.join(',').replace('1,200.50', '"1,200.50"')].join('\r\n') + '\r\n';
    const file = path.join(dir, 'gb.csv');
    await writeFile(file, iconv.encode(text, 'gb18030'));
    const wh = path.join(dir, 'gb.duckdb');
    const summary = await loadFiles({ warehouse: wh, inputs: [file] });
    expect(summary.files[0]).toMatchObject({ stream: 'mediation', encoding: 'gb18030', accepted: 1, rejected: 0 });
    expect(await mediationRows(wh)).toEqual([
      { case_id: 'ZH-1', received_date: '2023-07-01', closed_date: '2023-07-10', outcome: 'success', amount: 1200.5 },
    ]);
  });

  it('reads a UTF-8 file with a BOM and English headers, reporting extra columns', async () => {
    const file = await writeCsv(
      path.join(dir, 'bom.csv'),
      ['case_id', 'county_code', 'received_date', 'closed_date', 'dispute_type', 'channel', 'outcome', 'workers', 'amount_yuan', 'remarks'],
      [['EN-1', '450103', '2023/7/1', '2023.7.2', 'contract', 'court', 'failed', '1', '', 'note']],
      { bom: true },
    );
    const wh = path.join(dir, 'bom.duckdb');
    const summary = await loadFiles({ warehouse: wh, inputs: [file] });
    expect(summary.files[0]).toMatchObject({ encoding: 'utf8-bom', accepted: 1, rejected: 0, ignoredColumns: ['remarks'] });
    expect((await mediationRows(wh))[0]).toMatchObject({ case_id: 'EN-1', outcome: 'failed', amount: null });
  });

  it('numbers lines as Excel does, past rows the reader cannot split', async () => {
    const file = path.join(dir, 'ragged.csv');
    const good = (id: string) => `${id},450102,2023-07-01,2023-07-02,wages,union,success,1,`;
    await writeFile(file, ['case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan', good('R1'), `${good('R2')},x,y`, good('R3'), 'R4,450102,2023-07-01,,wages,union,success,1,'].join('\n') + '\n');
    const summary = await loadFiles({ warehouse: path.join(dir, 'ragged.duckdb'), inputs: [file] });
    const rejects = summary.files[0].rejects;
    expect(rejects.map((r) => r.line)).toEqual([3, 5]);
    expect(rejects[0].reason).toContain('wrong number of columns');
    expect(rejects[1]).toMatchObject({ column: 'closed_date' });
    expect(summary.files[0].accepted).toBe(2);
  });

  // The reader skips blank lines and reads a quoted cell with a line break (Alt+Enter in Excel) as one
  // row: rejects after either must still name the line a text editor shows.
  it.each([
    ['LF', '\n', 'utf8'],
    ['CRLF', '\r\n', 'utf8'],
    ['CRLF, GB18030', '\r\n', 'gb18030'],
  ])('numbers lines past blank lines and line breaks inside cells (%s)', async (_label, eol, encoding) => {
    const file = path.join(dir, `irregular-${_label.replace(/\W+/g, '-')}.csv`);
    const good = (id: string) => `${id},450102,2023-07-01,2023-07-02,wages,union,success,1,`;
    const lines = [
      'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan', // 1
      good('B1'), // 2
      '', // 3
      `B2,450102,2023-07-01,2023-07-02,"wages`, // 4
      `劳动报酬",union,success,1,`, // 5: rejected (dispute_type), reported on line 4 where the row starts
      good('B3'), // 6
      '', // 7
      '', // 8
      `B4,450102,2023-07-01,2023-07-02,wages,union,success,1`, // 9: one cell short
      `B5,450102,2023-07-01,2023-07-02,"wages",union,"x ""quoted""`, // 10
      `and on",1,`, // 11: rejected (channel ok, outcome) on line 10
      'B6,450102,2023-07-01,,wages,union,success,1,', // 12: rejected (closed_date)
      good('B7'), // 13
    ];
    const text = lines.join(eol) + eol;
    await writeFile(file, encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : text);
    const summary = await loadFiles({ warehouse: path.join(dir, `irregular-${_label.replace(/\W+/g, '-')}.duckdb`), inputs: [file] });
    const f = summary.files[0];
    expect(f.rejects.map((r) => [r.line, r.column])).toEqual([
      [4, 'dispute_type'],
      [9, null],
      [10, 'outcome'],
      [12, 'closed_date'],
    ]);
    expect(f.rejects[1].value).toBe('B4,450102,2023-07-01,2023-07-02,wages,union,success,1');
    expect(f).toMatchObject({ read: 7, accepted: 3, rejected: 4 });
  });
});

describe('XLSX', () => {
  it('takes the sheet named after the stream, with real date cells, after a notes sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['本表为2023年经费拨付明细']);
    const ws = wb.addWorksheet('funding');
    ws.addRow(['拨付编号', '接收单位代码', '项目', '资金来源', '金额', '拨付日期']);
    ws.addRow(['G-1', '450102', '县级工会加强年', '自治区总工会', 100000, new Date(Date.UTC(2023, 3, 15))]);
    ws.addRow([]);
    ws.addRow(['G-2', 450100, 'service_complex', 'city_match', 100000.5, '2023/5/1']);
    ws.addRow(['G-3', '450102', 'other', 'finance', -3, new Date(Date.UTC(2023, 4, 1))]);
    const file = path.join(dir, 'funding.xlsx');
    await wb.xlsx.writeFile(file);
    const wh = path.join(dir, 'xlsx.duckdb');
    const summary = await loadFiles({ warehouse: wh, inputs: [file] });
    expect(summary.files[0]).toMatchObject({ stream: 'funding', format: 'xlsx', accepted: 2, rejected: 1 });
    // Excel row 5 (row 4 is empty) is the negative amount.
    expect(summary.files[0].rejects).toMatchObject([{ line: 5, column: '金额', value: '-3' }]);
    expect(await query(wh, `SELECT grant_id, recipient_code, disbursed_date::VARCHAR AS d, amount_yuan::DOUBLE AS a FROM fact_funding ORDER BY 1`)).toEqual([
      { grant_id: 'G-1', recipient_code: '450102', d: '2023-04-15', a: 100000 },
      { grant_id: 'G-2', recipient_code: '450100', d: '2023-05-01', a: 100000.5 },
    ]);
  });
});

describe('files that cannot be read', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['no-header.csv', 'a,b,c\n1,2,3\n', /no recognisable header in the first 15 rows \(found: a, b, c\).*下载模板/],
    ['header-missing-columns.csv', '案件编号,县区代码,受理日期\nM1,450102,2023-07-01\n', /missing required column\(s\) for mediation: .*争议类型 dispute_type.*\/api\/templates\/mediation\.xlsx/],
    ['binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10, 0x00]), /not CSV text.*an Excel .xlsx \(or zip\) file/],
    ['notes.txt.pdf', 'hello', /unsupported file type/],
    ['broken.xlsx', 'this is not a zip', /not a readable .xlsx file/],
  ];
  it.each(cases)('%s fails with a clear message and publishes nothing', async (name, content, message) => {
    const wh = path.join(dir, `fail-${name}.duckdb`);
    const good = await writeCsv(path.join(dir, `ok-before-${name}.csv`), ['grant_id', 'recipient_code', 'program', 'source', 'amount_yuan', 'disbursed_date'], [['G-9', '450102', 'other', 'finance', '10', '2023-01-01']]);
    const bad = path.join(dir, name);
    await writeFile(bad, content);
    await expect(loadFiles({ warehouse: wh, inputs: [good, bad] })).rejects.toThrow(message);
    await expect(query(wh, 'SELECT 1')).rejects.toThrow();
  });
});
