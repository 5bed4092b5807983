// Excel as county offices really keep it: ledgers (台账) with a merged title, a 填报单位/日期 line, the
// header on row 3 or 4 (sometimes over two rows), a 合计 row and a 填表人/审核人 footer; CSVs that Excel
// and WPS save from them, with ",,,," rows below the data; .xls (Excel 97-2003) files; and the wording
// offices use. Every file is written here and loaded by the real loader into a real warehouse. A row
// that is not a record is skipped with its line and reason, never rejected, and every row read is
// accounted for: read = accepted + rejected + skipped + blank.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles, type FileSummary, type LoadSummary } from '../../etl/load.ts';
import { REASONS } from '../../etl/read/skip.ts';
import { XLS_MAX_BYTES } from '../../etl/read/xls.ts';
import { jsonSummary, summaryTable } from '../../etl/report.ts';
import { tempDir } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const TITLE = '宾阳县总工会2023年11月劳动争议调解案件台账';
const MEDIATION_ZH = ['案件编号', '县区代码', '受理日期', '争议类型', '调解渠道', '调解结果', '结案日期', '涉及职工人数', '涉案金额（元）'];
const TRAINING_ZH = ['序号', '记录编号', '县区代码', '人员编号', '类型', '项目名称', '日期', '技能等级', '是否取证'];

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

/** Binyang's mediation ledger: title merged over the sheet, unit and date line, a two-row header (序号
 * merged down, 案件信息 and 调解情况 merged across the column names), data, 合计, a spaces-only row, footer. */
async function binyangLedger(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow([TITLE]); // 1
  ws.mergeCells('A1:J1');
  ws.addRow(['填报单位：宾阳县总工会', '', '', '', '', '填报日期：2023年12月5日']); // 2
  ws.addRow(['序号', '案件信息', '', '', '', '调解情况']); // 3
  ws.addRow(['', ...MEDIATION_ZH]); // 4
  ws.mergeCells('A3:A4');
  ws.mergeCells('B3:E3');
  ws.mergeCells('F3:J3');
  ws.addRow([1, 'BY-1', '450126', new Date(Date.UTC(2023, 10, 1)), '劳动报酬', '工会', '已调解成功', new Date(Date.UTC(2023, 10, 20)), 3, 5000]); // 5
  ws.addRow([2, 'BY-2', '450126', '２０２３－１１－０２', '工伤', '人社', '调解中', '', '３', '']); // 6
  ws.addRow([3, 'BY-3', '450126', '2023-11-03', '劳动合同', '法院', '结了', '2023-11-09', 1, '']); // 7: outcome refused
  ws.addRow([4, 'BY-4', '４５０１２６', '2023/11/4', '其他', '工会', '调解失败', '2023/11/28', 2, '1,000.00']); // 8
  ws.addRow(['合计', '', '', '', '', '', '', '', 9, 6000]); // 9
  ws.mergeCells('A9:H9');
  ws.addRow([' ']); // 10: a space left in a cell
  ws.addRow([]); // 11: empty
  ws.addRow(['填表人：张三', '', '', '审核人：李四', '', '', '联系电话：0771-8221234']); // 12
  await wb.xlsx.writeFile(file);
}

/** A training ledger saved by WPS as GB18030 CSV: every row padded with commas to the sheet's width. */
function trainingLedgerCsv(): Buffer {
  const lines = [
    '上林县总工会2023年技能培训台账,,,,,,,,', // 1
    '填报单位：上林县总工会,,,,,填报日期：2024年1月5日,,,', // 2
    TRAINING_ZH.join(','), // 3
    '1,TR-1,450125,P-1,培训,电工培训,2023-12-01,初级工,是', // 4
    '2,TR-2,450125,P-2,竞赛,焊工比武,十二月,,否', // 5: date refused
    '3,TR-3,450125,P-3,技能认定,电工,2023-12-20,中级工,是', // 6
    ',,,,,,,,', // 7
    ' , , , , , , , , ', // 8
    '小计,,,,,,,,', // 9
    ',,,,', // 10: fewer separators than columns
    '填表人：王五,,,审核人：赵六,,,联系电话：0771-5221234,,', // 11
  ];
  return iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030');
}

/** A header split over two rows in a CSV saved from such a sheet: merged cells come out empty, so 受理日期
 * and 争议类型 (merged down both rows) are only in the upper row, the other names only in the lower. */
const twoRowHeaderCsv = [
  '上林县劳动争议调解台账,,,,,,,,,', // 1
  '序号,案件信息,,受理日期,争议类型,调解情况,,,,', // 2
  ',案件编号,县区代码,,,调解渠道,调解结果,结案日期,涉及职工人数,涉案金额(元)', // 3
  '1,SL-1,450125,2023-10-01,劳动报酬,工会,成功,2023-10-08,2,', // 4
  '2,SL-2,450125,2023-10-02,社会保险,工会,在办,,1,', // 5
].join('\n') + '\n';

/** A funding ledger saved as Excel 97-2003 (.xls), written by SheetJS as BIFF8 with a real date cell. */
function fundingXls(): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(
    [
      ['2023年经费补助拨付台账'], // 1
      ['拨付编号', '接收单位代码', '项目', '资金来源', '金额', '拨付日期'], // 2
      ['XG-1', '450102', '县级工会加强年', '自治区总工会', 100000, new Date(Date.UTC(2023, 3, 15))], // 3
      ['XG-2', 450100, '服务职工综合体', '市总配套', 200000.5, '2023/5/1'], // 4
      ['XG-3', '450102', '其他', '财政', -3, '2023-05-02'], // 5: negative amount
      ['合计', '', '', '', 299997.5, ''], // 6
      ['制表人：陈七'], // 7
    ],
    { cellDates: false },
  );
  ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 5 } }];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '经费补助拨付');
  return XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

describe('ledgers as county offices keep them, loaded together', () => {
  let wh: string;
  let summary: LoadSummary;
  const file = (name: string): FileSummary => summary.files.find((f) => path.basename(f.file) === name)!;

  beforeAll(async () => {
    const d = path.join(dir, 'ledgers');
    await mkdir(d);
    await binyangLedger(path.join(d, 'binyang.xlsx'));
    await writeFile(path.join(d, 'shanglin-training.csv'), trainingLedgerCsv());
    await writeFile(path.join(d, 'two-row-header.csv'), twoRowHeaderCsv);
    await writeFile(path.join(d, 'funding.xls'), fundingXls());
    // English headers and one Chinese value, GB18030: short enough to be valid UTF-8 as well.
    await writeFile(path.join(d, 'enrolment-gb.csv'), iconv.encode('member_id,county_code,plan_year,plan,enrolled_date,contribution_yuan\nE-1,450102,2023,住院,2023-01-05,50\n', 'gb18030'));
    wh = path.join(dir, 'ledgers.duckdb');
    summary = await loadFiles({ warehouse: wh, inputs: [d] });
  }, 120_000);

  it('XLSX: the header is found on rows 3-4 under a merged title; title and unit lines, 合计 and footer are skipped with their lines', () => {
    const f = file('binyang.xlsx');
    expect(f).toMatchObject({ stream: 'mediation', format: 'xlsx', read: 9, accepted: 3, rejected: 1, blank: 1 });
    expect(f.skipped).toEqual([
      { line: 1, reason: REASONS.title },
      { line: 2, reason: REASONS.unit },
      { line: 9, reason: REASONS.total },
      { line: 12, reason: REASONS.footer },
    ]);
    // Line numbers are Excel's, and the column is named as the ledger writes it.
    expect(f.rejects).toMatchObject([{ line: 7, column: '调解结果', value: '结了' }]);
    expect(f.ignoredColumns).toEqual(['序号']);
  });

  it('XLSX: the ledger wording and full-width digits load as the contract values', async () => {
    expect(
      await query(wh, `SELECT case_id, county_code, received_date::VARCHAR AS received, outcome::VARCHAR AS outcome, workers, amount_yuan::DOUBLE AS amount
                       FROM fact_mediation WHERE case_id LIKE 'BY-%' ORDER BY 1`),
    ).toEqual([
      { case_id: 'BY-1', county_code: '450126', received: '2023-11-01', outcome: 'success', workers: 3, amount: 5000 },
      { case_id: 'BY-2', county_code: '450126', received: '2023-11-02', outcome: 'pending', workers: 3, amount: null },
      { case_id: 'BY-4', county_code: '450126', received: '2023-11-04', outcome: 'failed', workers: 2, amount: 1000 },
    ]);
  });

  it('GB18030 CSV from WPS: header on line 3, ",,,," and " , , " rows counted as blank, 小计 and footer skipped', () => {
    const f = file('shanglin-training.csv');
    expect(f).toMatchObject({ stream: 'training', encoding: 'gb18030', read: 10, accepted: 2, rejected: 1, blank: 3 });
    expect(f.skipped.map((s) => [s.line, s.reason])).toEqual([
      [1, REASONS.title],
      [2, REASONS.unit],
      [9, REASONS.total],
      [11, REASONS.footer],
    ]);
    expect(f.rejects).toMatchObject([{ line: 5, column: '日期', value: '十二月' }]);
  });

  it('CSV: a header over two rows (group names above, merged cells empty) is read as one', async () => {
    const f = file('two-row-header.csv');
    expect(f).toMatchObject({ stream: 'mediation', read: 3, accepted: 2, rejected: 0, blank: 0 });
    expect(f.skipped).toEqual([{ line: 1, reason: REASONS.title }]);
    expect(await query(wh, `SELECT case_id, outcome::VARCHAR AS outcome FROM fact_mediation WHERE case_id LIKE 'SL-%' ORDER BY 1`)).toEqual([
      { case_id: 'SL-1', outcome: 'success' },
      { case_id: 'SL-2', outcome: 'pending' },
    ]);
  });

  it('.xls (Excel 97-2003): read with its date cells, merged title and 合计 skipped, lines as Excel shows them', async () => {
    const f = file('funding.xls');
    expect(f).toMatchObject({ stream: 'funding', format: 'xls', read: 6, accepted: 2, rejected: 1, blank: 0 });
    expect(f.skipped.map((s) => [s.line, s.reason])).toEqual([
      [1, REASONS.title],
      [6, REASONS.total],
      [7, REASONS.footer],
    ]);
    expect(f.rejects).toMatchObject([{ line: 5, column: '金额', value: '-3' }]);
    expect(await query(wh, `SELECT grant_id, recipient_code, disbursed_date::VARCHAR AS d, amount_yuan::DOUBLE AS a FROM fact_funding ORDER BY 1`)).toEqual([
      { grant_id: 'XG-1', recipient_code: '450102', d: '2023-04-15', a: 100000 },
      { grant_id: 'XG-2', recipient_code: '450100', d: '2023-05-01', a: 200000.5 },
    ]);
  });

  it('a short GB18030 file that is also valid UTF-8 is read as GB18030: 住院 stays 住院', async () => {
    expect(file('enrolment-gb.csv')).toMatchObject({ encoding: 'gb18030', accepted: 1, rejected: 0 });
    expect(await query(wh, `SELECT member_id, plan::VARCHAR AS plan FROM fact_insurance_enrolment`)).toEqual([{ member_id: 'E-1', plan: 'inpatient' }]);
  });

  it('every row read is accounted for: accepted + rejected + skipped + blank', () => {
    for (const f of summary.files) expect(f.accepted + f.rejected + f.skipped.length + f.blank, f.file).toBe(f.read);
  });

  it('the JSON summary and the table carry the skipped rows, the rejects and the blank count', () => {
    const json = jsonSummary(summary).files.find((f) => f.file.endsWith('binyang.xlsx'))!;
    expect(json).toMatchObject({ blank: 1, skipped: [{ line: 1 }, { line: 2 }, { line: 9 }, { line: 12 }] });
    const table = summaryTable(summary);
    expect(table.split('\n')[0]).toMatch(/read\s+accepted\s+rejected\s+skipped\s+blank/);
    expect(table).toContain(`binyang.xlsx: 已跳过的行 / skipped rows: 第1行 line 1: ${REASONS.title}`);
    // The officer reads the first rejects on the console, with line and column, not only their count.
    const reject = file('binyang.xlsx').rejects[0];
    expect(table).toContain(`binyang.xlsx: 被拒的值 / rejects: 第7行 line 7 调解结果: ${reject.reason}`);
  });
});

describe('files that cannot be read say what to do', () => {
  const expectRefused = async (name: string, content: string | Buffer, message: RegExp, stream?: 'mediation') => {
    const d = path.join(dir, `refused-${name}`);
    await mkdir(d);
    const bad = path.join(d, name);
    await writeFile(bad, content);
    const error = await loadFiles({ warehouse: path.join(d, 'wh.duckdb'), inputs: [bad], stream }).then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
    return error!.message;
  };

  it('a ledger with no header in its first rows names the expected columns in Chinese and offers the template', async () => {
    const message = await expectRefused('no-header.csv', `${TITLE},,\n填报单位：宾阳县总工会,,\n编号,日期,结果\nX1,2023-11-01,成功\n`, /no recognisable header in the first 15 rows/);
    expect(message).toContain('劳动争议调解案件: 案件编号、县区代码、受理日期、争议类型、调解渠道、调解结果、涉及职工人数');
    expect(message).toContain('下载模板 / download a template: GET /api/templates/<stream>.xlsx');
    expect(message).not.toMatch(/DATA-CONTRACT/i);
  });

  it('with the stream given, the message names that stream\'s template', async () => {
    await expectRefused('given.csv', 'a,b\n1,2\n', /应有的列 \/ expected columns \(劳动争议调解案件: 案件编号、.*\); 下载模板 \/ download the template: GET \/api\/templates\/mediation\.xlsx$/, 'mediation');
  });

  it('a header missing a required column says which and offers the template', async () => {
    await expectRefused('missing.csv', '标题,,\n案件编号,县区代码,受理日期\nM1,450102,2023-07-01\n', /missing required column\(s\) for mediation: .*争议类型 dispute_type.*GET \/api\/templates\/mediation\.xlsx/);
  });

  it.each([
    ['ledger.et', /ledger\.et: WPS 表格 \(\.et\) 文件，请另存为 \.xlsx/],
    ['ledger.numbers', /ledger\.numbers: Numbers 文件，请导出为 \.xlsx/],
  ])('%s is refused with "save as .xlsx"', async (name, message) => {
    await expectRefused(name, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), message);
  });

  it('an .xls over the size bound is refused naming the limit, before it is parsed', async () => {
    const big = Buffer.alloc(XLS_MAX_BYTES + 1);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0]).copy(big);
    await expectRefused('huge.xls', big, /huge\.xls: \.xls 文件超过 32 MB \/ the \.xls file is larger than 32 MB/);
  });

  it('a damaged .xls is refused as unreadable, naming the file', async () => {
    await expectRefused('damaged.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /damaged\.xls: 不是有效的 Excel 97-2003 \(\.xls\) 文件/);
  });
});
