// DuckDB numbers CSV records, not lines: after a blank line (which it skips) or a quoted cell holding a
// line break (Excel's Alt+Enter), every later row would be reported one line too early. Such files
// are copied with each record's first line number in front, the way XLSX sheets are staged, so a
// reject names the line the officer sees in a text editor. Other files are read as they are.
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { withoutBom } from './encoding.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BLANK_LINE = /\n\r*\n/;

/**
 * Splits CSV bytes into records as DuckDB does (a quote opens a quoted cell only at the start of a
 * cell; "" inside one is a quote) and reports where each record starts.
 */
class RecordScanner {
  line = 1;
  private inQuotes = false;
  private afterQuote = false;
  private cellStart = true;
  private lineEmpty = true;

  constructor(private readonly delimiter: number) {}

  /** Calls onRecord(offset, line) at each record's first byte; returns false to stop early. */
  scan(chunk: Buffer, onRecord: (offset: number, line: number) => void, onIrregular?: () => boolean): boolean {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.inQuotes) {
        if (this.afterQuote) {
          this.afterQuote = false;
          if (b === QUOTE) continue; // "" inside a quoted cell
          this.inQuotes = false; // the quote closed the cell: b is read below
        } else {
          if (b === QUOTE) this.afterQuote = true;
          else if (b === LF) {
            this.line++;
            if (onIrregular?.() === false) return false;
          }
          continue;
        }
      }
      if (b === LF) {
        if (this.lineEmpty && onIrregular?.() === false) return false;
        this.line++;
        this.lineEmpty = true;
        this.cellStart = true;
        continue;
      }
      if (b === CR) continue;
      if (this.lineEmpty) {
        this.lineEmpty = false;
        onRecord(i, this.line);
      }
      if (b === QUOTE && this.cellStart) this.inQuotes = true;
      this.cellStart = b === this.delimiter;
    }
    return true;
  }

  /** No quoted cell is open, and the chunk has no quote: only blank lines can break the numbering. */
  canSkim(chunk: Buffer): boolean {
    return !this.inQuotes && chunk.indexOf(QUOTE) === -1;
  }

  /** The state after a chunk that canSkim, from its last bytes (line numbers are not kept). */
  skim(chunk: Buffer): void {
    let j = chunk.length - 1;
    while (j >= 0 && chunk[j] === CR) j--;
    if (j < 0) return;
    this.lineEmpty = chunk[j] === LF;
    this.cellStart = chunk[j] === LF || chunk[j] === this.delimiter;
  }
}

/** Whether some record does not start on the line its position implies (a blank line or a line break in a cell). */
export async function hasIrregularLines(file: string, delimiter: string): Promise<boolean> {
  const scanner = new RecordScanner(delimiter.charCodeAt(0));
  let tail = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) {
    if (scanner.canSkim(chunk)) {
      // Fast path: native searches for a blank line, the previous chunk's end included.
      const edge = chunk.subarray(0, 8).toString('latin1');
      if (BLANK_LINE.test(tail + edge) || chunk.indexOf('\n\n') !== -1 || chunk.indexOf('\n\r\n') !== -1) return true;
      scanner.skim(chunk);
    } else if (!scanner.scan(chunk, () => {}, () => false)) {
      return true;
    }
    tail = chunk.subarray(-8).toString('latin1');
  }
  return false;
}

/**
 * Copy `file` to `out` with a first column `__line`: the line each record starts on. The record on
 * `headerLine` is the header (its `__line` cell is the column name); records above it (a ledger's
 * title and unit lines, already reported as skipped) are left out.
 */
export async function withLineNumbers(file: string, out: string, delimiter: string, headerLine = 1): Promise<void> {
  const scanner = new RecordScanner(delimiter.charCodeAt(0));
  let first = true;
  let dropping = headerLine > 1;
  const number = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (first) chunk = withoutBom(chunk);
      first = false;
      const parts: Buffer[] = [];
      let from = 0;
      scanner.scan(chunk, (offset, line) => {
        if (!dropping) parts.push(chunk.subarray(from, offset));
        dropping = line < headerLine;
        if (!dropping) parts.push(Buffer.from(`${line === headerLine ? '__line' : line}${delimiter}`));
        from = offset;
      });
      if (!dropping) parts.push(chunk.subarray(from));
      done(null, Buffer.concat(parts));
    },
  });
  await pipeline(createReadStream(file, { highWaterMark: 1 << 22 }), number, createWriteStream(out));
}
