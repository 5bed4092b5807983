// CSV for Excel: UTF-8 with a BOM (so Excel reads the Chinese), CRLF line ends, RFC 4180 quoting, and
// no formulas: a text cell starting with = + - @ tab or CR gets a leading ' so a spreadsheet shows it
// as text instead of evaluating it (CSV injection).
import { neutralise } from '../../core/formula-guard.ts';
import type { Cell, Report } from './report.ts';

function field(value: Cell, isText: boolean): string {
  if (value === null || value === undefined) return '';
  // Numbers we computed are written as numbers; everything else is text and may hold anything.
  const s = typeof value === 'number' && !isText ? String(value) : neutralise(String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(report: Report): string {
  const lines = [report.columns.map((c) => field(c.header, true)).join(',')];
  for (const row of [...report.rows, ...(report.totals ?? [])]) {
    lines.push(report.columns.map((c) => field(row[c.key] ?? null, c.type === 'text')).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
