// Finding the header of a ledger and telling its non-records apart (etl/read/header.ts, skip.ts), on
// rows as the readers give them: pure functions, no file or database needed.
import { describe, expect, it } from 'vitest';
import { findHeader, firstRecords } from '../../etl/read/header.ts';
import { aboveHeaderReason, belowHeaderReason, REASONS } from '../../etl/read/skip.ts';

const NAMES = ['案件编号', '县区代码', '受理日期', '争议类型', '调解渠道', '调解结果', '结案日期', '涉及职工人数', '涉案金额'];
const TITLE = '宾阳县总工会2023年11月劳动争议调解案件台账';

describe('finding the header', () => {
  it('on row 3 under a title merged over the sheet and a unit line: the title is not taken for group names', () => {
    const rows = [Array(9).fill(TITLE), ['填报单位：宾阳县总工会', '', '', '', '', '填报日期：2023年12月5日'], NAMES, ['M1']];
    expect(findHeader(rows, 'f.xlsx')).toMatchObject({ first: 2, last: 2, header: NAMES });
  });

  it('with group names above it (merged cells read in every cell), both rows are the header', () => {
    const group = ['案件信息', '案件信息', '案件信息', '案件信息', '调解情况', '调解情况', '调解情况', '调解情况', '调解情况'];
    expect(findHeader([[TITLE], group, NAMES], 'f.xlsx')).toMatchObject({ first: 1, last: 2 });
  });

  it('over two rows when neither row is a header alone: each column named by the lower row, else the upper', () => {
    const upper = ['案件信息', '', '受理日期', '争议类型', '调解情况', '', '', '', ''];
    const lower = ['案件编号', '县区代码', '', '', '调解渠道', '调解结果', '结案日期', '涉及职工人数', '涉案金额'];
    const found = findHeader([upper, lower], 'f.csv');
    expect(found).toMatchObject({ first: 0, last: 1, header: NAMES });
    expect(found.map.stream.name).toBe('mediation');
  });

  it('with full-width brackets, a restated unit, spaces and a wrapped cell', () => {
    const header = ['案件 编号', '县区代码', '受理\n日期', '争议类型', '调解渠道', '调解结果', '结案日期', '涉及职工人数（人）', '涉案金额（元）'];
    expect(findHeader([header], 'f.xlsx').map.headerOf.get('amount_yuan')).toBe('涉案金额（元）');
  });

  it('not past row 15', () => {
    const rows = [...Array.from({ length: 15 }, (_, i) => [`说明${i}`]), NAMES];
    expect(() => findHeader(rows, 'f.csv')).toThrow(/no recognisable header in the first 15 rows/);
  });

  it('an amount in 万元 is a different unit: the column is not recognised', () => {
    const header = NAMES.map((n) => (n === '涉案金额' ? '涉案金额（万元）' : n));
    expect(findHeader([header], 'f.csv').map.ignored).toEqual(['涉案金额（万元）']);
  });
});

describe('CSV records for the header search', () => {
  it('numbers records by the line they start on, past blank lines and line breaks in quoted cells', () => {
    const text = '标题,,\r\n\r\n"填报\n单位",,\na,"b,c",d\n';
    expect(firstRecords(text, ',', 10)).toEqual([
      { line: 1, fields: ['标题', '', ''] },
      { line: 3, fields: ['填报\n单位', '', ''] },
      { line: 5, fields: ['a', 'b,c', 'd'] },
    ]);
  });
});

describe('rows that are not records', () => {
  it.each([
    [['合计', '', '9', '6000'], REASONS.total],
    [['', '合 计：', '9'], REASONS.total],
    [['本月合计（元）', '6000'], REASONS.total],
    [['Subtotal', '3'], REASONS.total],
    [['填表人：张三', '', '审核人：李四'], REASONS.footer],
    [['联系电话：0771-8221234'], REASONS.footer],
    [['注：本表每月10日前报送'], REASONS.footer],
    [['', ' ', '\u3000', ''], 'blank'],
  ])('%j below the header: %s', (cells, reason) => {
    expect(belowHeaderReason(cells)).toBe(reason);
  });

  it.each([[['合计-001', '450126']], [['总计划', '450126']], [['M-1', '合计']]])('%j stays a record', (cells) => {
    expect(belowHeaderReason(cells)).toBeNull();
  });

  it('above the header: a unit or date line, a title, or a blank row', () => {
    expect(aboveHeaderReason(['', '单位：宾阳县总工会', '', '2023年12月'])).toBe(REASONS.unit);
    expect(aboveHeaderReason([TITLE, TITLE])).toBe(REASONS.title);
    expect(aboveHeaderReason(['', ' '])).toBeNull();
  });
});
