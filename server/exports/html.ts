// The printable report page the PDF is rendered from: plain server-side HTML, no scripts, no external
// resources, Chinese fonts named explicitly (fonts-noto-cjk or WenQuanYi on the server).
import { cellText, displayWidth, type Column, type Report } from './report.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** What one line of the page holds, in `ch` of the table font (A4 less the margins, 9.5pt). */
const PAGE_CH = { landscape: 146, portrait: 99 } as const;
/** Narrowest a wrapped text column may get, in ch. */
const MIN_WRAP_CH = 16;
/** Cell padding (2 x 5pt) in ch, and a margin for glyphs wider than "0" (capitals, full-width marks). */
const PAD_CH = 2.5;
const GLYPH = 1.12;

/**
 * Column widths from the content, so that no code, name or number is ever cut: a one-line column is
 * as wide as its widest cell (CJK counts two ch); wrapped text shares what is left. When the one-line
 * columns alone are wider than the page, the table's font shrinks (widths are in ch, so they follow).
 */
export function columnLayout(report: Report): { widths: (number | null)[]; fontScale: number } {
  const all = [...report.rows, ...(report.totals ?? [])];
  const widths = report.columns.map((c) => {
    if (c.wrap) return null;
    const cells = all.map((r) => displayWidth(cellText(r[c.key] ?? null, c.type)));
    const header = Math.max(...c.header.split(/[\s（(]/).map(displayWidth), Math.ceil(displayWidth(c.header) / 2)); // headers wrap onto two lines
    return Math.ceil(Math.max(header, ...cells, 2) * GLYPH + PAD_CH);
  });
  const fixed = widths.reduce<number>((a, w) => a + (w ?? MIN_WRAP_CH), 0);
  const page = PAGE_CH[report.landscape ? 'landscape' : 'portrait'];
  return { widths, fontScale: Math.min(1, page / fixed) };
}

const classOf = (c: Column) => (c.type !== 'text' ? ' class="num"' : c.wrap ? ' class="wrap"' : '');

export function toHtml(report: Report, generatedAt: string): string {
  const cols = report.columns;
  const layout = columnLayout(report);
  const cell = (row: Report['rows'][number], tag: 'td' | 'th') =>
    cols
      .map((c) => `<${tag}${classOf(c)}>${escapeHtml(cellText(row[c.key] ?? null, c.type))}</${tag}>`)
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
  table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: ${Math.round(950 * layout.fontScale) / 100}pt; }
  thead { display: table-header-group; }
  th { background: #e8eef7; font-weight: 600; text-align: left; }
  th, td { border: 0.5pt solid #9aa5b4; padding: 2.5pt 5pt; vertical-align: top; white-space: nowrap; }
  th, td.wrap { white-space: normal; overflow-wrap: anywhere; }
  th { word-break: break-all; }
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
<colgroup>${layout.widths.map((w) => (w === null ? '<col>' : `<col style="width:${w}ch">`)).join('')}</colgroup>
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
