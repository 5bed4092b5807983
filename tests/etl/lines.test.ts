// Line numbers of CSV records (etl/read/lines.ts) when what breaks the numbering straddles the 4 MiB
// read chunks: a blank line split across two chunks, a quoted cell opened in one and broken in the next.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasIrregularLines, withLineNumbers } from '../../etl/read/lines.ts';
import { tempDir } from '../helpers/tmp.ts';

const CHUNK = 1 << 22;
let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

/** Header plus rows of 'i,x...' filling the file up to `bytes`, each line ending in `eol`. */
function rowsUpTo(bytes: number, eol = '\n'): string[] {
  const lines = ['id,text'];
  let size = lines[0].length + eol.length;
  for (let i = 1; size < bytes; i++) {
    const line = `${i},${'x'.repeat(40)}`;
    lines.push(line);
    size += line.length + eol.length;
  }
  return lines;
}

/** Rows, then a padding row, so that `insert` begins at character `at` of the text. */
function placeAt(at: number, insert: string): string {
  const before = rowsUpTo(at - 200).join('\n') + '\n';
  const pad = `0,${'p'.repeat(at - before.length - 2)}`;
  return before + pad + insert;
}

async function file(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('CSV line numbering across read chunks', () => {
  it('a file with neither blank lines nor line breaks in cells is read as it is', async () => {
    const p = await file('regular.csv', rowsUpTo(3 * CHUNK).join('\r\n') + '\r\n');
    expect(await hasIrregularLines(p, ',')).toBe(false);
  });

  it('a quoted comma or doubled quote alone does not count', async () => {
    const p = await file('quotes.csv', 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,x\n');
    expect(await hasIrregularLines(p, ',')).toBe(false);
  });

  it('finds a blank line split across two chunks', async () => {
    // "\n" is the last byte of the first chunk, "\r\n" opens the second: an empty CRLF line.
    const text = placeAt(CHUNK - 1, '\n\r\n9,after\n');
    expect(text.slice(CHUNK - 1, CHUNK + 2)).toBe('\n\r\n');
    expect(await hasIrregularLines(await file('blank-split.csv', text), ',')).toBe(true);
  });

  it('finds a line break in a cell opened in one chunk, and numbers the records after it', async () => {
    const text = placeAt(CHUNK - 3, '\n7,"two\nlines"\n8,next\n');
    const p = await file('cell-split.csv', text);
    expect(await hasIrregularLines(p, ',')).toBe(true);
    const out = path.join(dir, 'numbered.csv');
    await withLineNumbers(p, out, ',');
    const numbered = (await readFile(out, 'utf8')).split('\n');
    const lineCount = text.split('\n').length - 1;
    expect(numbered[0]).toBe('__line,id,text');
    expect(numbered[1]).toBe(`2,1,${'x'.repeat(40)}`);
    // The two-line record starts on line lineCount - 2 and the next record follows it.
    expect(numbered.slice(-4)).toEqual([`${lineCount - 2},7,"two`, 'lines"', `${lineCount},8,next`, '']);
  });
});
