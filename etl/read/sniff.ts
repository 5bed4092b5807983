// What a file is by its first bytes, not its name: a .csv that is not CSV text is named for what it
// is, and a workbook is read as what it is whichever of .xls and .xlsx it is named.
import { open } from 'node:fs/promises';
import { withoutBom } from './encoding.ts';
import { UnreadableFileError } from './header.ts';

const SIGNATURES: [bytes: number[], zh: string, en: string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'Excel (.xlsx) 或 zip 文件，请改名为 .xlsx', 'an Excel .xlsx (or zip) file: name it .xlsx'],
  [[0xd0, 0xcf, 0x11, 0xe0], '旧版 Excel (.xls) 文件，请改名为 .xls', 'an Excel 97-2003 .xls file: name it .xls'],
  [[0x25, 0x50, 0x44, 0x46], 'PDF 文件', 'a PDF file'],
  [[0x89, 0x50, 0x4e, 0x47], '图片', 'a PNG image'],
  [[0xff, 0xd8, 0xff], '图片', 'a JPEG image'],
];

/** Control bytes other than tab, LF and CR. Text may hold a stray one (a pasted vertical tab, a DOS end
 * mark), binary data has them everywhere (about one byte in eight). */
const isControl = (b: number) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d;
const looksBinary = (body: Buffer) => body.includes(0) || body.filter(isControl).length > body.length / 100;

/** Throw a clear error when the first bytes of a .csv file show it is empty or not text. */
export function assertCsvText(file: string, sample: Buffer): void {
  const body = withoutBom(sample);
  if (body.toString('latin1').trim() === '') {
    throw new UnreadableFileError(`${file}: 文件为空 / the file is empty (no header row)`);
  }
  const known = SIGNATURES.find(([bytes]) => bytes.every((b, i) => sample[i] === b));
  if (known) throw new UnreadableFileError(`${file}: 不是 CSV 文本，而是${known[1]} / not CSV text but ${known[2]}`);
  if (looksBinary(body)) throw new UnreadableFileError(`${file}: 不是文本文件 / a binary file, not CSV text`);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

/** A workbook's format from its first bytes (zip: .xlsx, OLE compound file: .xls), else from its name. */
export async function spreadsheetKind(file: string): Promise<'xlsx' | 'xls'> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (ZIP.every((b, i) => head[i] === b)) return 'xlsx';
    if (OLE.every((b, i) => head[i] === b)) return 'xls';
    return file.toLowerCase().endsWith('.xls') ? 'xls' : 'xlsx';
  } finally {
    await fh.close();
  }
}
