// The rows of one generated file once more, for npm start's first load (etl/first-load.ts): in the
// contract's column order and one plain form per kind (ISO dates, amounts as 12345.60, enum codes),
// each after the line it has in the file. The loader reads them with fixed column types and inserts
// them as they are, instead of staging the styled file's text and checking every cell: the generator
// writes valid rows by construction (without --messy), so there is nothing to reject, and the styled
// file stays what `etl load` reads. Not written for streams with free-form numbers (indicator values).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { streams, type Column, type StreamName } from '../../core/contract.ts';
import type { DateTable } from './calendar.ts';
import { formatAmount } from './writers.ts';

type Plain = (v: any) => string;

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Whether a stream's rows can be written plainly (every column has one plain form). */
export const typedStream = (stream: StreamName) => streams[stream].columns.every((c) => c.value.kind !== 'number');

export class TypedRows {
  private readonly plain: Plain[];
  private readonly line: (plain: Plain[], v: any[], line: number) => string;
  private readonly fd: number;
  private buf = '';

  constructor(
    readonly file: string,
    stream: StreamName,
    dates: DateTable,
  ) {
    this.plain = streams[stream].columns.map((c) => plainFor(c, dates));
    const expr = this.plain.map((_, i) => `plain[${i}](v[${i}])`).join(" + ',' + ");
    this.line = new Function('plain', 'v', 'line', `return line + ',' + ${expr} + '\\n';`) as typeof this.line;
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'w');
  }

  /** A good row, at `line` of the styled file (the header is line 1). */
  add(v: any[], line: number): void {
    this.buf += this.line(this.plain, v, line);
    if (this.buf.length > 1 << 15) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf);
    this.buf = '';
  }
}

function plainFor(c: Column, dates: DateTable): Plain {
  switch (c.value.kind) {
    case 'date': {
      const iso = dates.strings('iso');
      const first = dates.first;
      return (v) => (v < 0 ? '' : iso[v - first]!);
    }
    case 'amount':
      return (v) => (v < 0 ? '' : formatAmount(v, 'fixed'));
    case 'enum': {
      const codes = Object.keys(c.value.values);
      return (v) => (v < 0 ? '' : codes[v]!);
    }
    case 'boolean':
      return (v) => (v ? 'true' : 'false');
    case 'integer':
      return (v) => String(v);
    case 'number':
      throw new Error(`typed rows: ${c.name} has no plain form`);
    default:
      return (v) => quote(v);
  }
}

/** The column types to read a typed-rows file with (DuckDB read_csv `columns`), the line first. */
export function typedColumns(stream: StreamName): Record<string, string> {
  const types: Record<string, string> = { __line: 'INTEGER' };
  for (const c of streams[stream].columns) {
    const k = c.value.kind;
    types[c.name] = k === 'date' ? 'DATE' : k === 'amount' ? 'DECIMAL(18,2)' : k === 'integer' ? 'BIGINT' : k === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
  }
  return types;
}
