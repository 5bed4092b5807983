// The printable report page the PDF is rendered from: plain server-side HTML, no scripts, no external
// resources, Chinese fonts named explicitly (fonts-noto-cjk or WenQuanYi on the server).
import { displayWidth, type Cell, type Column, type ColumnType, type Report } from './report.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function formatCell(v: Cell, type: ColumnType, lang: Report['lang']): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  const locale = lang === 'en' ? 'en' : 'zh-CN';
  const fixed = (d: number) => v.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  switch (type) {
    case 'integer':
      return fixed(0);
    case 'decimal1':
      return fixed(1);
    case 'decimal2':
    case 'yuan':
      return fixed(2);
    case 'percent':
      return `${fixed(2)}%`;
    default:
      return String(v);
  }
}

/**
 * Column widths as shares of the page (a fixed table layout: long text wraps in its own column
 * instead of pushing the table off the page): one-line columns as wide as their widest cell, wrapped
 * text the rest.
 */
function columnShares(report: Report): number[] {
  const all = [...report.rows, ...(report.totals ?? [])];
  const widths = report.columns.map((c) => {
    if (c.wrap) return Math.min(c.width ?? 26, 26);
    const cells = all.map((r) => {
      const v = r[c.key];
      return v === null || v === undefined ? 1 : displayWidth(formatCell(v, c.type, report.lang));
    });
    const header = Math.ceil(displayWidth(c.header) / 2); // headers wrap onto two lines
    return Math.min(Math.max(header, ...cells, 3), 24) + 3; // + the cell's padding
  });
  const sum = widths.reduce((a, b) => a + b, 0);
  return widths.map((w) => (100 * w) / sum);
}

const classOf = (c: Column) => (c.type !== 'text' ? ' class="num"' : c.wrap ? ' class="wrap"' : '');

export function toHtml(report: Report, generatedAt: string): string {
  const cols = report.columns;
  const cell = (row: Report['rows'][number], tag: 'td' | 'th') =>
    cols
      .map((c) => `<${tag}${classOf(c)}>${escapeHtml(formatCell(row[c.key] ?? null, c.type, report.lang))}</${tag}>`)
      .join('');
  const body = report.rows.map((r) => `<tr>${cell(r, 'td')}</tr>`).join('\n');
  const totals = (report.totals ?? []).map((r) => `<tr class="total">${cell(r, 'td')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="${report.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>
  @page { size: A4 ${report.landscape ? 'landscape' : 'portrait'}; margin: 14mm 12mm 16mm; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
         font-size: 9.5pt; color: #111; margin: 0; }
  h1 { font-size: 15pt; margin: 0 0 4pt; }
  .notes { color: #555; font-size: 8.5pt; margin: 0 0 8pt; }
  .notes div { margin: 1pt 0; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  thead { display: table-header-group; }
  th { background: #e8eef7; font-weight: 600; text-align: left; }
  th, td { border: 0.5pt solid #9aa5b4; padding: 2.5pt 5pt; vertical-align: top; white-space: nowrap; }
  th, td.wrap { white-space: normal; overflow-wrap: anywhere; }
  th { word-break: break-all; }
  td { overflow: hidden; text-overflow: ellipsis; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  tr { page-break-inside: avoid; }
  tr.total td { font-weight: 700; background: #f3f5f8; }
  footer { margin-top: 8pt; color: #777; font-size: 8pt; }
</style>
</head>
<body>
<h1>${escapeHtml(report.title)}</h1>
<div class="notes">${report.notes.map((n) => `<div>${escapeHtml(n)}</div>`).join('')}</div>
<table>
<colgroup>${columnShares(report).map((w) => `<col style="width:${w.toFixed(2)}%">`).join('')}</colgroup>
<thead><tr>${cols.map((c) => `<th${classOf(c)}>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>
<tbody>
${body}
${totals}
</tbody>
</table>
<footer>${escapeHtml(report.lang === 'en' ? `Generated ${generatedAt} by Union Cockpit` : `工会驾驶舱 生成于 ${generatedAt}`)}</footer>
</body>
</html>
`;
}
