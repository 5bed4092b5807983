// The XLSX template of a stream, laid out from the data contract (core/contract.ts) so that a copy
// filled in by a county office loads with the ETL's own rules: the Chinese headers in row 1 (required
// ones bold on orange), drop-down lists of the Chinese labels for enumerated and yes/no columns, date
// cells formatted yyyy-mm-dd with a date check, range checks for numbers, and a 说明 sheet saying what
// each column takes. The data sheet is named after the stream, which is the sheet the loader reads.
// The checks only help the office; the loader still checks every row.
import ExcelJS from 'exceljs';
import { reportingUnitColumn, type Column, type Stream, type ValueKind } from '../../core/contract.ts';
import { displayWidth } from '../exports/report.ts';
import type { CalendarEntry } from '../../core/reporting-calendar.ts';

/** Data rows prepared with checks and the county code (rows 2 to TEMPLATE_ROWS + 1). */
export const TEMPLATE_ROWS = 2000;

export const DATE_FORMAT = 'yyyy-mm-dd';
export const INSTRUCTIONS_SHEET = '说明';

const FIRST_DATE = new Date(Date.UTC(2000, 0, 1)); // the loader refuses earlier dates
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const OPTIONAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/** What a column takes, in the words of the 说明 sheet and of the cell's input prompt. */
export function describeValue(value: ValueKind): string {
  switch (value.kind) {
    case 'text':
      return `文本，最多${value.maxLength}个字符`;
    case 'county':
      return '县区代码，6位数字，如 450102';
    case 'unit':
      return '县区或设区市代码，6位数字，如 450102（县区）或 450100（市）';
    case 'date':
      return `日期，格式 ${DATE_FORMAT}，如 2023-07-01；不早于 2000-01-01，不晚于填报当天`;
    case 'amount':
      return `金额（元），最多两位小数，${value.positive ? '大于 0' : '不小于 0'}`;
    case 'integer':
      return `整数，${value.min} 至 ${value.max}`;
    case 'enum':
      return `从下拉列表选择：${Object.values(value.values).join('、')}`;
    case 'boolean':
      return '从下拉列表选择：是、否';
    case 'period':
      return '期间：年（2023）、季度（2023-Q2）或月份（2023-07）';
    case 'number':
      return '数值；百分数可写作 95%（即 95）';
    case 'indicator':
      return '指标编码，如 C40（见指标目录）';
  }
}

/** The data validation of a column, or none for values only the loader can check (codes, periods). */
function validationOf(column: Column): ExcelJS.DataValidation | undefined {
  const v = column.value;
  const base = {
    allowBlank: !column.required,
    showInputMessage: true,
    promptTitle: column.zh.slice(0, 32),
    prompt: describeValue(v).slice(0, 255),
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: column.zh.slice(0, 32),
    error: describeValue(v).slice(0, 255),
  };
  switch (v.kind) {
    case 'enum':
      return { ...base, type: 'list', formulae: [`"${Object.values(v.values).join(',')}"`] };
    case 'boolean':
      return { ...base, type: 'list', formulae: ['"是,否"'] };
    case 'date':
      return { ...base, type: 'date', operator: 'greaterThanOrEqual', formulae: [FIRST_DATE] };
    case 'integer':
      return { ...base, type: 'whole', operator: 'between', formulae: [v.min, v.max] };
    case 'amount':
      return { ...base, type: 'decimal', operator: v.positive ? 'greaterThan' : 'greaterThanOrEqual', formulae: [0] };
    case 'text':
      return { ...base, type: 'textLength', operator: 'lessThanOrEqual', formulae: [v.maxLength] };
    default:
      return undefined;
  }
}

// exceljs keeps sheet-level validations (one per range) in an untyped member.
type WithValidations = ExcelJS.Worksheet & { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };

const rangeOf = (letter: string) => `${letter}2:${letter}${TEMPLATE_ROWS + 1}`;

/**
 * The reporting-unit cell of a county account's row: its county code once anything else in the row is
 * filled in, a space before, so the prepared rows the office leaves alone read as blank (the loader
 * skips blank rows; a row holding only a county code would be rejected for its missing values). A
 * space, not "": a formula's empty result is saved as no value, which readers (exceljs among them)
 * take as "not calculated" and then see the formula's text.
 */
export function countyFormula(stream: Stream, row: number, county: string): string {
  const at = stream.columns.indexOf(reportingUnitColumn(stream));
  const letter = (i: number) => String.fromCharCode(65 + i); // contract streams have fewer than 26 columns
  const others = [
    at > 0 ? `$${letter(0)}${row}:$${letter(at - 1)}${row}` : null,
    at < stream.columns.length - 1 ? `$${letter(at + 1)}${row}:$${letter(stream.columns.length - 1)}${row}` : null,
  ].filter((r) => r !== null);
  return `IF(COUNTA(${others.join(',')})=0," ","${county}")`;
}

function addDataSheet(wb: ExcelJS.Workbook, stream: Stream, county: string | null) {
  const ws = wb.addWorksheet(stream.zh, { views: [{ state: 'frozen', ySplit: 1, topLeftCell: 'A2' }] }) as WithValidations;
  const unitColumn = reportingUnitColumn(stream);
  stream.columns.forEach((column, i) => {
    const sheetColumn = ws.getColumn(i + 1);
    sheetColumn.width = Math.max(displayWidth(column.zh) + 4, column.value.kind === 'date' ? 13 : 10);
    // A column style: Excel gives it to every cell typed into the column, however far down.
    if (column.value.kind === 'date') sheetColumn.numFmt = DATE_FORMAT;
    const filledIn = county !== null && column === unitColumn;
    // Codes are text; not under the county's formula (a formula typed into a text cell stays text).
    if ((column.value.kind === 'county' || column.value.kind === 'unit') && !filledIn) sheetColumn.numFmt = '@';
    const header = ws.getCell(1, i + 1);
    header.value = column.zh;
    header.numFmt = 'General';
    header.font = { bold: column.required };
    header.fill = column.required ? REQUIRED_FILL : OPTIONAL_FILL;
    header.alignment = { vertical: 'middle', horizontal: 'center' };
    header.border = { bottom: { style: 'thin' } };

    if (county !== null && filledIn) {
      ws.dataValidations.add(rangeOf(sheetColumn.letter), {
        type: 'list',
        allowBlank: true,
        formulae: [`"${county}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: column.zh,
        error: `本账号只能填报本县区：${county}`,
      });
      for (let row = 2; row <= TEMPLATE_ROWS + 1; row++) {
        ws.getCell(row, i + 1).value = { formula: countyFormula(stream, row, county), result: ' ' };
      }
      return;
    }
    const validation = validationOf(column);
    if (validation) ws.dataValidations.add(rangeOf(sheetColumn.letter), validation);
  });
  ws.getRow(1).height = 22;
}

/** When the stream is due, as the reporting calendar (fixtures/reference/reporting-calendar.csv) sets it. */
export function deadlineNote(entry: CalendarEntry): string {
  const every = { monthly: '每月', quarterly: '每季度', annual: '每年', catalog: '按各指标的报送周期（见指标目录）' }[entry.period];
  return `报送期限：${every}结束后，于次月 ${entry.deadlineDay} 日前上报（当月无此日的按月末），逾期即为迟报。`;
}

function addInstructions(wb: ExcelJS.Workbook, stream: Stream, county: string | null, deadline?: CalendarEntry) {
  const ws = wb.addWorksheet(INSTRUCTIONS_SHEET);
  const title = ws.addRow([`${stream.zh}填报模板 · 填写说明`]);
  title.font = { bold: true, size: 14 };
  const keyNames = stream.key.map((k) => stream.columns.find((c) => c.name === k)!.zh).join(' + ');
  const unit = reportingUnitColumn(stream);
  const notes = [
    `在工作表「${stream.zh}」第 2 行起每行填写一条记录；请勿修改、删除或移动第 1 行的表头，可删除多余的空行。`,
    '加粗、橙色底的列为必填，灰色底的列可留空。',
    `日期列请输入日期（显示为 ${DATE_FORMAT}，如 2023-07-01），也可写作 2023/7/1 或 2023年7月1日。`,
    '带下拉列表的列请从列表中选择；是/否列填写“是”或“否”。',
    `按「${keyNames}」识别记录：再次上报相同的${keyNames}即为更正，覆盖原记录。`,
    ...(deadline ? [deadlineNote(deadline)] : []),
    ...(county !== null ? [`「${unit.zh}」已按本账号填为 ${county}：在同一行填写其他内容后自动显示，只能填写本县区。`] : []),
    ...stream.rules.map((r) => `规则：${r.reason.split(' / ')[0]}。`),
  ];
  for (const note of notes) ws.addRow([note]);
  ws.addRow([]);
  const header = ws.addRow(['列名', '英文列名', '是否必填', '填写要求']);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = OPTIONAL_FILL;
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const c of stream.columns) ws.addRow([c.zh, c.name, c.required ? '必填' : '选填', describeValue(c.value)]);
  ws.getColumn(1).width = 18;
  ws.getColumn(2).width = 20;
  ws.getColumn(3).width = 10;
  ws.getColumn(4).width = 90;
}

/** The template of `stream`; `county` (a county account's code) fills the reporting-unit column. */
export async function buildTemplate(stream: Stream, county: string | null, deadline?: CalendarEntry): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Union Cockpit';
  // Fixed times: the same stream and county give the same bytes, so the ETag can name the content.
  wb.created = wb.modified = new Date(Date.UTC(2026, 0, 1));
  addDataSheet(wb, stream, county);
  addInstructions(wb, stream, county, deadline);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
