// Writes one stream's rows to a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file in the file's style.
//
// Rows arrive as a reused array of raw values in the contract's column order (core/contract.ts):
//   text, county, unit, indicator, period: string ('' = empty)
//   date: day number (calendar.ts), -1 = empty        amount: integer fen (1/100 yuan), -1 = empty
//   integer: number        enum: index into the column's value list, -1 = empty
//   boolean: 1 or 0        number: a number, or a string written verbatim (e.g. "95.2%")
// CSV text is built in large string chunks and written synchronously in ~1 MB pieces: no per-row
// buffers, no backpressure to manage. XLSX (small streams only) goes through exceljs, with fixed
// workbook dates and fixed zip entry times so the bytes are reproducible.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { streams, type Column, type StreamName } from '../../core/contract.ts';
import type { DateTable } from './calendar.ts';
import type { MessyInjector } from './messy.ts';
import type { FileStyle } from './style.ts';
import type { TypedRows } from './typed-rows.ts';

export interface BadRow {
  /** The line as Excel shows it: the header is line 1, the first data row line 2. */
  line: number;
  /** The English name of the column the loader should blame. */
  column: string;
  defect: string;
}

export interface WrittenFile {
  rows: number;
  badRows: number;
  bad: BadRow[];
  /** the same rows in plain form (typed-rows.ts), when asked for */
  typedRows?: string;
}

/** Shared row counter; reports to onProgress at most every 64k rows. */
export class Progress {
  done = 0;
  private next = 65_536;
  constructor(
    public total: number,
    private readonly report?: (done: number, total: number) => void,
  ) {}

  add(rows: number): void {
    this.done += rows;
    if (this.done >= this.next) {
      this.next = this.done + 65_536;
      this.report?.(Math.min(this.done, this.total), this.total);
    }
  }

  finish(): void {
    this.total = Math.max(this.total, this.done);
    this.report?.(this.total, this.total);
  }
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const BOOLS: Record<FileStyle['bools'], [string, string]> = {
  zh: ['否', '是'],
  yesno: ['no', 'yes'],
  truefalse: ['false', 'true'],
  '10': ['0', '1'],
};

export function groupThousands(int: number): string {
  const s = String(int);
  if (s.length <= 3) return s;
  let out = '';
  const head = s.length % 3;
  if (head) out = s.slice(0, head);
  for (let i = head; i < s.length; i += 3) out += (out ? ',' : '') + s.slice(i, i + 3);
  return out;
}

/** Amount text for fen in one style (plain drops trailing zeros: 12345.6, 100). */
export function formatAmount(fen: number, style: FileStyle['amounts']): string {
  const int = Math.floor(fen / 100);
  const frac = fen - int * 100;
  switch (style) {
    case 'plain':
      return frac === 0 ? String(int) : frac % 10 === 0 ? `${int}.${frac / 10}` : `${int}.${TWO[frac]}`;
    case 'comma':
      return `${groupThousands(int)}.${TWO[frac]}`;
    default:
      return `${int}.${TWO[frac]}`;
  }
}

function csvQuote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

type Formatter = (v: any, row: number) => string;
type CellMaker = (v: any, row: number) => unknown;

export class TableWriter {
  readonly stream: StreamName;
  readonly columns: Column[];
  private readonly fmt: Formatter[];
  private readonly cellOf: CellMaker[];
  private readonly order: number[];
  private readonly eol: string;
  private readonly keyCols: number[];
  private rows = 0;
  private readonly bad: BadRow[] = [];
  private buf = '';
  private fd = -1;
  private closed = false;
  /** only the plain rows are written (the styled file comes from a later generation) */
  private readonly plainOnly: boolean;
  private readonly xlsxRows: unknown[][] = [];
  private lastGood: any[] | null = null;
  /** The CSV line of a row, compiled per file: one expression, columns in file order, no loop. */
  private readonly line: (fmt: Formatter[], v: any[], row: number) => string;

  constructor(
    private readonly out: string,
    readonly rel: string,
    stream: StreamName,
    readonly style: FileStyle,
    private readonly dates: DateTable,
    private readonly messy: MessyInjector | null,
    private readonly progress: Progress,
    /** every good row again in plain form, for npm start's first load */
    private readonly typed: TypedRows | null = null,
    /** false: write the plain rows only, not the styled file (npm start writes it after serving) */
    styled = true,
  ) {
    if (!styled && (typed === null || messy !== null)) throw new Error(`generator: ${rel} needs its plain rows to skip its styled file`);
    this.plainOnly = !styled;
    this.stream = stream;
    this.columns = streams[stream].columns;
    this.order = style.order;
    this.eol = style.eol;
    this.keyCols = streams[stream].key.map((k) => this.columns.findIndex((c) => c.name === k));
    this.fmt = this.columns.map((c) => this.formatterFor(c));
    this.cellOf = this.columns.map((c, i) => this.cellMakerFor(c, this.fmt[i]!));
    const expr = this.order.map((i) => `fmt[${i}](v[${i}], row)`).join(" + ',' + ");
    this.line = new Function('fmt', 'v', 'row', `return ${expr} + ${JSON.stringify(style.eol)};`) as typeof this.line;
    const file = path.join(out, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    if (style.format === 'csv' && styled) {
      this.fd = openSync(file, 'w');
      if (style.encoding === 'utf8-bom') this.buf = '\ufeff';
      const header = this.order.map((i) => (style.headers === 'zh' ? this.columns[i]!.zh : this.columns[i]!.name)).join(',');
      this.buf += header + this.eol;
    }
  }

  private formatterFor(c: Column): Formatter {
    const style = this.style;
    switch (c.value.kind) {
      case 'date': {
        if (style.dates === 'cell') return (v) => (v < 0 ? '' : this.dates.strings('iso')[v - this.dates.first]!);
        const table = this.dates.strings(style.dates);
        const first = this.dates.first;
        return (v) => (v < 0 ? '' : table[v - first]!);
      }
      case 'amount': {
        const s = style.amounts === 'number' ? 'fixed' : style.amounts;
        if (s === 'comma') return (v) => (v < 0 ? '' : v >= 100_000 ? `"${formatAmount(v, s)}"` : formatAmount(v, s));
        return (v) => (v < 0 ? '' : formatAmount(v, s));
      }
      case 'enum': {
        const en = Object.keys(c.value.values);
        const zh = Object.values(c.value.values) as string[];
        if (style.enums === 'en') return (v) => (v < 0 ? '' : en[v]!);
        if (style.enums === 'zh') return (v) => (v < 0 ? '' : zh[v]!);
        return (v, row) => (v < 0 ? '' : (row * 7 + v) % 3 === 0 ? en[v]! : zh[v]!);
      }
      case 'boolean': {
        const t = BOOLS[style.bools];
        return (v) => t[v]!;
      }
      case 'integer':
      case 'number':
        return (v) => (typeof v === 'number' ? String(v) : v);
      case 'text':
        return (v) => (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 ? csvQuote(v) : v);
      default:
        return (v) => v;
    }
  }

  private cellMakerFor(c: Column, text: Formatter): CellMaker {
    const style = this.style;
    const kind = c.value.kind;
    if (kind === 'date' && style.dates === 'cell') return (v) => (v < 0 ? null : new Date(v * 86_400_000));
    if (kind === 'amount' && style.amounts === 'number') return (v) => (v < 0 ? null : v / 100);
    if (kind === 'amount') return (v) => (v < 0 ? null : formatAmount(v, style.amounts));
    if (kind === 'integer') return (v) => v;
    if (kind === 'number') return (v) => v;
    return (v, row) => {
      const s = text(v, row);
      return s === '' ? null : s;
    };
  }

  /** Formats one cell as CSV text (used by messy.ts to corrupt what a file would show). */
  text(col: number, v: any): string {
    return this.fmt[col]!(v, this.rows);
  }

  row(v: any[]): void {
    // A closed file may already be loading (npm start loads each file as it is finished).
    if (this.closed) throw new Error(`generator: a row for ${this.rel} after it was closed`);
    const messy = this.messy;
    if (messy !== null && messy.pick()) {
      this.badRow(v);
    } else {
      if (messy !== null) {
        if (this.lastGood === null) this.lastGood = [];
        for (const k of this.keyCols) this.lastGood[k] = v[k];
      }
      this.goodRow(v);
    }
    this.rows++;
    this.progress.add(1);
  }

  private goodRow(v: any[]): void {
    const order = this.order;
    const fmt = this.fmt;
    const row = this.rows;
    this.typed?.add(v, row + 2);
    if (this.plainOnly) return;
    if (this.fd >= 0) {
      this.buf += this.line(fmt, v, row);
      if (this.buf.length > 1 << 15) this.flush();
    } else {
      this.xlsxRows.push(order.map((i) => this.cellOf[i]!(v[i], row)));
    }
  }

  private badRow(original: any[]): void {
    const v = original.slice();
    const hit = this.messy!.corrupt(v, this.lastGood, this);
    if (hit === null) return this.goodRow(original);
    this.bad.push({ line: this.rows + 2, column: this.columns[hit.col]!.name, defect: hit.defect });
    const row = this.rows;
    if (this.fd >= 0) {
      const cells = this.order.map((i) => (i === hit.col && hit.text !== undefined ? csvQuote(hit.text) : this.fmt[i]!(v[i], row)));
      this.buf += cells.join(',') + this.eol;
    } else {
      this.xlsxRows.push(
        this.order.map((i) => {
          if (i !== hit.col || hit.text === undefined) return this.cellOf[i]!(v[i], row);
          if (hit.cell !== undefined) return hit.cell;
          return hit.text === '' ? null : hit.text;
        }),
      );
    }
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const bytes = this.style.encoding === 'gb18030' ? iconv.encode(this.buf, 'gb18030') : Buffer.from(this.buf, 'utf8');
    writeSync(this.fd, bytes);
    this.buf = '';
  }

  async close(): Promise<WrittenFile> {
    if (this.style.format === 'csv') return this.closeCsv();
    this.closed = true;
    if (!this.plainOnly) await this.writeXlsx();
    return this.written();
  }

  /** Close a CSV file at once, between two rows of a synchronous generation. */
  closeCsv(): WrittenFile {
    if (this.plainOnly && this.style.format === 'csv') {
      this.closed = true;
      return this.written();
    }
    if (this.fd < 0) throw new Error(`generator: ${this.rel} is not an open CSV file`);
    this.closed = true;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    return this.written();
  }

  private written(): WrittenFile {
    this.typed?.close();
    return { rows: this.rows, badRows: this.bad.length, bad: this.bad, ...(this.typed ? { typedRows: this.typed.file } : {}) };
  }

  private async writeXlsx(): Promise<void> {
    const wb = new ExcelJS.Workbook();
    wb.creator = '广西壮族自治区总工会';
    wb.created = FIXED_DATE;
    wb.modified = FIXED_DATE;
    const s = streams[this.stream];
    if (this.style.notesSheet) {
      const notes = wb.addWorksheet('说明');
      notes.addRow([`${s.zh}（${s.name}）`]);
      notes.addRow([`数据表：工作表“${this.style.sheetName}”，第一行为表头，每行一条记录。`]);
      notes.addRow(['日期格式：年-月-日；金额单位：元；县区代码为 6 位行政区划代码。']);
      notes.addRow(['填报单位：各县（市、区）总工会；审核：自治区总工会。']);
      notes.getColumn(1).width = 60;
    }
    const ws = wb.addWorksheet(this.style.sheetName);
    const headers = this.order.map((i) => (this.style.headers === 'zh' ? this.columns[i]!.zh : this.columns[i]!.name));
    ws.columns = this.order.map((i, k) => {
      const kind = this.columns[i]!.value.kind;
      const style: Partial<ExcelJS.Style> = {};
      if (kind === 'date' && this.style.dates === 'cell') style.numFmt = this.style.headers === 'zh' ? 'yyyy"年"m"月"d"日"' : 'yyyy-mm-dd';
      if (kind === 'amount' && this.style.amounts === 'number') style.numFmt = '#,##0.00';
      return { header: headers[k], key: String(k), width: Math.max(12, headers[k]!.length * 2 + 2), style };
    });
    for (const r of this.xlsxRows) ws.addRow(r);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    writeFileSync(path.join(this.out, this.rel), fixZipTimes(buffer));
  }
}

/** Workbook created/modified dates in every XLSX (bytes must not depend on when they were made). */
export const FIXED_DATE = new Date(Date.UTC(2020, 0, 1));

/**
 * Sets every zip entry's DOS time and date (local headers and central directory) to 2020-01-01 00:00.
 * JSZip, under exceljs, stamps entries with the current time; this makes XLSX bytes reproducible.
 */
export function fixZipTimes(zip: Buffer): Buffer {
  const dosTime = 0;
  const dosDate = ((2020 - 1980) << 9) | (1 << 5) | 1;
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('XLSX: no zip end-of-central-directory record');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let e = 0; e < entries; e++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('XLSX: bad zip central directory');
    zip.writeUInt16LE(dosTime, p + 12);
    zip.writeUInt16LE(dosDate, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('XLSX: bad zip local header');
    zip.writeUInt16LE(dosTime, local + 10);
    zip.writeUInt16LE(dosDate, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}
