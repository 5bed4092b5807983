// .xlsx as rows of text cells (sheet.ts picks the sheet and the header), streamed: the sheet's XML is
// inflated and scanned row by row with indexOf, never held whole (exceljs, before, built the whole
// workbook as objects: about 27k rows/s; `npm run bench -- etl` compares the two). Cells read as exceljs
// read them, which the loader was written against: a date-formatted number is its calendar date
// (YYYY-MM-DD), a formula its cached result (its text when it has none), rich text its plain text,
// and a cell inside a merged range the range's value (a county code merged down a block of rows
// counts for each row of it). Bounded against hostile files: parts inflate to at most a fixed size
// (zip.ts), a sheet has at most Excel's 1,048,576 rows and 16,384 columns.
import { UnreadableFileError } from './header.ts';
import type { Sheet, SheetRow } from './sheet.ts';
import { entryChunks, entryText, zipEntries, ZipError, type ZipEntry } from './zip.ts';

/** Excel's own limits: a sheet claiming more is not a real workbook. */
export const XLSX_MAX_ROWS = 1_048_576;
export const XLSX_MAX_COLUMNS = 16_384;

/** How far a part may inflate: a sheet's XML (about 4 million cells of county records), the shared
 * strings (held in memory), any other part (workbook, styles, relationships). */
export interface XlsxBounds {
  sheetBytes: number;
  stringsBytes: number;
  partBytes: number;
}
export const XLSX_BOUNDS: XlsxBounds = { sheetBytes: 1 << 30, stringsBytes: 128 << 20, partBytes: 16 << 20 };

const unreadable = (file: string, why: string) => new UnreadableFileError(`${file}: 不是有效的 Excel 文件 / not a readable .xlsx file (${why})`);

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name];
    const code = dec ? Number(dec) : Number.parseInt(hex!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

const attrPatterns = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
  let re = attrPatterns.get(name);
  if (!re) attrPatterns.set(name, (re = new RegExp(`(?:^|\\s)${name}="([^"]*)"`)));
  return re.exec(attrs)?.[1];
}

/** Text of the sheet XML (read as latin1) as the UTF-8 it is. */
const utf8Text = (latin1: string) => (/[^\x00-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1);

/** The text of a string item (<si> or <is>): its <t> runs, without phonetic guides (<rPh>). */
function itemText(inner: string): string {
  if (inner.startsWith('<t>') && inner.endsWith('</t>') && inner.indexOf('<', 3) === inner.length - 4) return unescapeXml(inner.slice(3, -4));
  const body = inner.includes('<rPh') ? inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : inner;
  let text = '';
  for (const m of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) text += m[1];
  return unescapeXml(text);
}

/** 'A' -> 1, 'AB' -> 28. */
function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

const REF = /^([A-Z]{1,3})(\d+)$/;
function cellRef(ref: string): { row: number; col: number } | null {
  const m = REF.exec(ref);
  return m ? { col: columnNumber(m[1]), row: Number(m[2]) } : null;
}

// Number formats that show a date, as exceljs decides (utils.isDateFmt): after removing [..] and
// quoted text, any of y m d h s b. Built-in ids: exceljs's table, plus the zh-CN date formats.
const BUILTIN_FORMATS: Record<number, string> = {
  14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
  22: 'm/d/yy "h":mm', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
  27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: 'm-d-yy', 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};
const isDateFormat = (format: string) => /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** Per cell style index (s="N"): whether its number format shows a date. */
function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
    const id = attr(m[1], 'numFmtId');
    const code = attr(m[1], 'formatCode');
    if (id !== undefined && code !== undefined) custom.set(Number(id), unescapeXml(code));
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b([^>]*?)\/?>/g)].map((m) => {
    const id = Number(attr(m[1], 'numFmtId') ?? 0);
    const format = custom.get(id) ?? BUILTIN_FORMATS[id];
    return format !== undefined && isDateFormat(format);
  });
}

/** A day serial as its calendar date, as exceljs converts it (UTC midnight; 1904 system when the workbook says so). */
function serialDate(serial: number, date1904: boolean): string | null {
  const d = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

interface Workbook {
  file: string;
  strings: string[];
  dateStyle: boolean[];
  date1904: boolean;
  /** a date cell's text by its serial as written */
  dates: Map<string, string>;
}

/** The value of attribute `name` in a start tag's attribute text, found without a regex (the hot path). */
function fastAttr(tag: string, name: string): string | undefined {
  const at = tag.indexOf(` ${name}="`);
  if (at < 0) return undefined;
  const from = at + name.length + 3;
  return tag.slice(from, tag.indexOf('"', from));
}

/** The column number of a cell reference ("AB12" -> 28), or 0 when it is not one. */
function refColumn(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) n = n * 26 + (ch - 64);
    else return i > 0 && i <= 3 && ch >= 48 && ch <= 57 ? n : 0;
  }
  return 0;
}

/** The elements <name ...>...</name> or <name .../> of `xml` from `from`: start-tag attributes and content. */
function* elements(xml: string, name: string, from = 0): Generator<{ attrs: string; inner: string | undefined; end: number }> {
  const open = `<${name}`;
  const close = `</${name}>`;
  for (let p = xml.indexOf(open, from); p >= 0; p = xml.indexOf(open, p)) {
    const next = xml.charCodeAt(p + open.length);
    if (next !== 32 && next !== 62 && next !== 47 && next !== 9 && next !== 10 && next !== 13) {
      p += open.length; // a longer name (<cols>, <rowBreaks>)
      continue;
    }
    const tagEnd = xml.indexOf('>', p);
    if (tagEnd < 0) return;
    if (xml.charCodeAt(tagEnd - 1) === 47) {
      yield { attrs: xml.slice(p + open.length, tagEnd - 1), inner: undefined, end: tagEnd + 1 };
      p = tagEnd + 1;
      continue;
    }
    const closeAt = xml.indexOf(close, tagEnd);
    if (closeAt < 0) return; // incomplete: the caller waits for more text
    yield { attrs: xml.slice(p + open.length, tagEnd), inner: xml.slice(tagEnd + 1, closeAt), end: closeAt + close.length };
    p = closeAt + close.length;
  }
}

const VALUE = /<v>([\s\S]*?)<\/v>/;
const FORMULA = /<f\b[^>]*?(?:\/>|>([\s\S]*?)<\/f>)/;

/** One cell's text as the loader reads it, or null for a cell without a value. */
function cellText(wb: Workbook, type: string | undefined, style: number, raw: string | undefined): string | null {
  if (!raw) return null;
  // The usual cell holds only <v> with a shared-string index or a number: no regex, no decoding.
  if ((type === undefined || type === 's' || type === 'n') && raw.startsWith('<v>') && raw.indexOf('<', 3) === raw.length - 4) {
    return type === 's' ? (wb.strings[Number(raw.slice(3, -4))] ?? '') : numberText(wb, style, raw.slice(3, -4));
  }
  const inner = utf8Text(raw);
  const v = VALUE.exec(inner)?.[1];
  const formula = inner.includes('<f') ? FORMULA.exec(inner) : null;
  if (type === 'inlineStr') {
    const is = /<is>([\s\S]*?)<\/is>/.exec(inner)?.[1];
    return is === undefined ? null : itemText(is);
  }
  if (v === undefined) return formula ? `=${unescapeXml(formula[1] ?? '')}` : null; // a formula never calculated
  switch (type) {
    case 's':
      return wb.strings[Number(v)] ?? '';
    case 'str':
      return unescapeXml(v);
    case 'd':
      return unescapeXml(v).slice(0, 10);
    case 'b':
      return v === '1' || v === 'true' ? 'true' : 'false';
    case 'e':
      // an error with a formula reads as the formula (its result is not a value), as exceljs gives it
      return formula ? `=${unescapeXml(formula[1] ?? '')}` : unescapeXml(v);
    default:
      return numberText(wb, style, v);
  }
}

/** A number as exceljs gives it: a date-formatted one as its date, else JavaScript's own text of it. */
function numberText(wb: Workbook, style: number, v: string): string {
  if (wb.dateStyle[style]) {
    // A sheet repeats few dates: each serial is converted once (the cache is bounded for hostile sheets).
    let date = wb.dates.get(v);
    if (date === undefined) {
      const n = Number.parseFloat(v);
      date = serialDate(n, wb.date1904) ?? String(n);
      if (wb.dates.size >= DATE_CACHE) wb.dates.clear();
      wb.dates.set(v, date);
    }
    return date;
  }
  return String(Number.parseFloat(v));
}

const DATE_CACHE = 1 << 16;

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

interface Layout {
  width: number;
  merges: Merge[];
}

/**
 * What must be known before the rows: the sheet's width (its <dimension>, else its widest cell) and its
 * merged ranges, which the XML lists after the rows. One inflate of the sheet, searching bytes only.
 */
async function sheetLayout(file: string, entry: ZipEntry, name: string, limit: number): Promise<Layout> {
  let width = 0;
  let dimension: boolean | null = null;
  let tail = Buffer.alloc(0);
  const merges = new Map<string, Merge>();
  for await (const chunk of entryChunks(file, entry, limit, `sheet "${name}"`)) {
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk; // a tag split between two chunks
    if (dimension === null) {
      const at = bytes.indexOf('<dimension');
      const ref = at < 0 ? null : /^<dimension\s+ref="([A-Z]+\d+)(?::([A-Z]+)(\d+))?"/.exec(bytes.toString('latin1', at, at + 64));
      if (ref) {
        dimension = true;
        width = refColumn(ref[2] ? `${ref[2]}1` : ref[1]);
        if (ref[3] && Number(ref[3]) > XLSX_MAX_ROWS) throw new ZipError(`sheet "${name}" has more than ${XLSX_MAX_ROWS} rows`);
      } else if (bytes.indexOf('<sheetData') >= 0) dimension = false;
    }
    if (dimension === false) for (const m of bytes.toString('latin1').matchAll(/<c r="([A-Z]+)\d+"/g)) width = Math.max(width, columnNumber(m[1]));
    const mergeAt = bytes.indexOf('<mergeCell ');
    if (mergeAt >= 0) {
      for (const m of bytes.toString('latin1', mergeAt).matchAll(/<mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"/g)) {
        const a = cellRef(m[1]);
        const b = cellRef(m[2]);
        if (a && b) merges.set(m[0], { top: a.row, left: a.col, bottom: b.row, right: b.col });
      }
    }
    tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 80)));
  }
  if (width > XLSX_MAX_COLUMNS) throw new ZipError(`sheet "${name}" has more than ${XLSX_MAX_COLUMNS} columns`);
  return { width, merges: [...merges.values()].sort((a, b) => a.top - b.top) };
}


function sheetOf(wb: Workbook, entry: ZipEntry, name: string, layout: Layout, limit: number): Sheet {
  const { width, merges } = layout;
  async function* rows(): AsyncGenerator<SheetRow> {
    const active: Merge[] = [];
    const masters = new Map<Merge, string>();
    let nextMerge = 0;
    let lastRow = 0;
    // The merged ranges reaching row r: their master's value in each of their cells; whether r holds a merged (slave) cell.
    const applyMerges = (r: number, cells: string[]): boolean => {
      while (nextMerge < merges.length && merges[nextMerge].top <= r) active.push(merges[nextMerge++]);
      let slave = false;
      for (let i = active.length - 1; i >= 0; i--) {
        const m = active[i];
        if (m.bottom < r) {
          active.splice(i, 1);
          continue;
        }
        if (r === m.top) masters.set(m, cells[m.left - 1] ?? '');
        const value = masters.get(m) ?? '';
        for (let c = m.left; c <= Math.min(m.right, width); c++) cells[c - 1] = value;
        if (r > m.top || m.right > m.left) slave = true;
      }
      return slave;
    };
    // Rows with no <row> element that a merged range covers read as the range's value (exceljs does so).
    function* gap(upTo: number): Generator<SheetRow> {
      for (let r = lastRow + 1; r < upTo; r++) {
        if (nextMerge >= merges.length && active.every((m) => m.bottom < r)) return;
        const cells = new Array<string>(width).fill('');
        if (applyMerges(r, cells)) yield { line: r, cells };
      }
    }
    // The XML is read as latin1 (one char per byte, so a chunk never splits a character, and no UTF-8
    // decoding of the markup); the few texts written in the sheet itself are decoded as UTF-8 (utf8Text).
    let buf = '';
    try {
      for await (const chunk of entryChunks(wb.file, entry, limit, `sheet "${name}"`)) {
        buf += chunk.toString('latin1');
        let consumed = 0;
        for (const row of elements(buf, 'row')) {
          consumed = row.end;
          const r = Number(fastAttr(row.attrs, 'r') ?? lastRow + 1);
          if (!(r > lastRow) || r > XLSX_MAX_ROWS) throw new ZipError(`sheet "${name}": row ${r} out of order or beyond ${XLSX_MAX_ROWS}`);
          const cells = new Array<string>(width).fill('');
          let hasValue = false;
          const xml = row.inner;
          if (xml) {
            // the cells, scanned with indexOf: <c r="B2" s="1" t="s"><v>5</v></c> or <c r="B2" s="1"/>
            let col = 0;
            for (let p = xml.indexOf('<c', 0); p >= 0; p = xml.indexOf('<c', p)) {
              const tagEnd = xml.indexOf('>', p);
              if (tagEnd < 0) break;
              const empty = xml.charCodeAt(tagEnd - 1) === 47;
              const attrs = xml.slice(p + 2, empty ? tagEnd - 1 : tagEnd);
              const closeAt = empty ? tagEnd : xml.indexOf('</c>', tagEnd);
              if (closeAt < 0) break;
              p = empty ? tagEnd + 1 : closeAt + 4;
              if (attrs.charCodeAt(0) !== 32) continue; // another element (<cols>), not a cell
              const ref = fastAttr(attrs, 'r');
              col = (ref && refColumn(ref)) || col + 1;
              if (col > XLSX_MAX_COLUMNS) throw new ZipError(`sheet "${name}" has more than ${XLSX_MAX_COLUMNS} columns`);
              if (empty) continue;
              const style = fastAttr(attrs, 's');
              const text = cellText(wb, fastAttr(attrs, 't'), style === undefined ? 0 : Number(style), xml.slice(tagEnd + 1, closeAt));
              if (text === null) continue;
              hasValue = true;
              cells[col - 1] = text;
            }
          }
          for (let i = cells.length - 1; i >= width && !cells[i]; i--) cells.pop(); // empty cells past the sheet's width
          for (let i = 0; i < cells.length; i++) cells[i] ??= '';
          if (r > lastRow + 1 && merges.length > 0) yield* gap(r);
          const slave = applyMerges(r, cells);
          lastRow = r;
          if (hasValue || slave) yield { line: r, cells };
        }
        buf = buf.slice(consumed);
        if (buf.includes('</sheetData>')) break;
      }
      if (merges.length > 0) yield* gap(merges.reduce((max, m) => Math.max(max, m.bottom), 0) + 1);
    } catch (e) {
      if (e instanceof ZipError) throw unreadable(wb.file, e.message);
      throw e;
    }
  }
  return { name, width, rows };
}

/** The workbook's parts a sheet needs, then every sheet in workbook order. */
export async function readXlsxSheets(file: string, bounds: XlsxBounds = XLSX_BOUNDS): Promise<Sheet[]> {
  try {
    const entries = await zipEntries(file);
    const part = async (name: string, limit = bounds.partBytes): Promise<string | null> => {
      const entry = entries.get(name);
      return entry ? entryText(file, entry, limit, name) : null;
    };
    const rootRels = (await part('_rels/.rels')) ?? '';
    const officeDocument = [...rootRels.matchAll(/<Relationship\b([^>]*)\/?>/g)].map((m) => m[1]).find((a) => /officeDocument"?$/.test(attr(a, 'Type') ?? ''));
    const workbookPath = (attr(officeDocument ?? '', 'Target') ?? 'xl/workbook.xml').replace(/^\//, '');
    const workbookXml = await part(workbookPath);
    if (workbookXml === null) throw new ZipError('no workbook part');
    const base = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
    const resolve = (target: string) => {
      if (target.startsWith('/')) return target.slice(1);
      const parts = (base + target).split('/');
      const out: string[] = [];
      for (const p of parts) if (p === '..') out.pop(); else if (p !== '.') out.push(p);
      return out.join('/');
    };
    const rels = new Map<string, { type: string; target: string }>();
    for (const m of ((await part(`${base}_rels/${workbookPath.slice(base.length)}.rels`)) ?? '').matchAll(/<Relationship\b([^>]*)\/?>/g)) {
      const id = attr(m[1], 'Id');
      if (id) rels.set(id, { type: attr(m[1], 'Type') ?? '', target: resolve(unescapeXml(attr(m[1], 'Target') ?? '')) });
    }
    const relOf = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    const stringsPath = relOf('/sharedStrings');
    const stringsXml = stringsPath ? await part(stringsPath, bounds.stringsBytes) : null;
    const strings = stringsXml ? [...stringsXml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => itemText(m[1] ?? '')) : [];
    const stylesPath = relOf('/styles');
    const wb: Workbook = {
      file,
      strings,
      dateStyle: dateStyles((stylesPath && (await part(stylesPath))) || ''),
      date1904: /<workbookPr\b[^>]*\sdate1904="(1|true)"/.test(workbookXml),
      dates: new Map(),
    };
    const sheets: Sheet[] = [];
    for (const m of workbookXml.matchAll(/<sheet\b([^>]*?)\/?>/g)) {
      const name = unescapeXml(attr(m[1], 'name') ?? '');
      const id = /\s[\w]+:id="([^"]*)"/.exec(m[1])?.[1];
      const target = id ? rels.get(id)?.target : undefined;
      const entry = target ? entries.get(target) : undefined;
      if (!entry) continue; // a chart sheet or a dangling entry: no cells to read
      sheets.push(sheetOf(wb, entry, name, await sheetLayout(file, entry, name, bounds.sheetBytes), bounds.sheetBytes));
    }
    return sheets;
  } catch (e) {
    if (e instanceof ZipError || e instanceof RangeError) throw unreadable(file, e.message);
    throw e;
  }
}
