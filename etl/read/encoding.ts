// County offices save CSV as UTF-8 (with or without BOM) or, from older Excel and WPS, as GB18030/GBK.
// DuckDB reads UTF-8 only, so anything else is transcoded to a temporary UTF-8 file first. A file
// pasted together from both encodings is read in its majority encoding, and each line in the other
// one is rejected by the CSV reader (never decoded into mojibake and loaded).
import { isUtf8 } from 'node:buffer';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

export type Encoding = 'utf8' | 'utf8-bom' | 'gb18030';

const SAMPLE_BYTES = 1 << 20;
const LF = 0x0a; // never inside a UTF-8 or GB18030 multi-byte character

/** The bytes after a UTF-8 byte order mark, or all of them when there is none. */
export const withoutBom = (buf: Buffer): Buffer => (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf);

/** A line that is UTF-8 Chinese (lead bytes E4-E9: U+4000-U+9FFF). */
const isUtf8Chinese = (line: Buffer) => isUtf8(line) && line.some((b) => b >= 0xe4 && b <= 0xe9);

// Characters a county file holds: ASCII, Latin-1 signs (·, ×, °), general punctuation (“”—…),
// circled numbers, CJK symbols and punctuation, CJK ideographs (with extension A) and full-width forms.
const PLAUSIBLE = /^[\u0000-\u007f\u00a0-\u00ff\u2000-\u206f\u2100-\u218f\u2460-\u24ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\ufeff]*$/;

/**
 * Whether bytes that are valid UTF-8 are really GB18030. A GB18030 character is two bytes from A1-FE,
 * and a pair with a first byte C2-DF and a second A1-BF is also a valid two-byte UTF-8 character: a
 * short GB18030 file (`住院` is D7A1 D4BA) can be valid UTF-8 from end to end. Read as UTF-8 such
 * pairs become Latin, Greek, Cyrillic, Armenian, Hebrew or Arabic letters (U+0100-U+07FF), which a
 * Guangxi county file does not hold; so when the UTF-8 reading has characters outside PLAUSIBLE and
 * the GB18030 reading has none, the file is GB18030.
 */
export function readsAsGb18030(bytes: Buffer): boolean {
  if (!bytes.some((b) => b >= 0x80)) return false;
  const utf8 = withoutBom(bytes).toString('utf8');
  if (PLAUSIBLE.test(utf8)) return false;
  const gb = iconv.decode(withoutBom(bytes), 'gb18030');
  return !gb.includes('\ufffd') && PLAUSIBLE.test(gb);
}

/** Decide the encoding from the first megabyte: BOM, else the encoding most of its Chinese lines are in. */
export async function detectEncoding(file: string): Promise<{ encoding: Encoding; sample: Buffer }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0);
    const sample = buf.subarray(0, bytesRead);
    if (withoutBom(sample) !== sample) return { encoding: 'utf8-bom', sample };
    // A full sample may end inside a line: judge complete lines only.
    const complete = bytesRead === SAMPLE_BYTES ? sample.subarray(0, sample.lastIndexOf(LF) + 1) : sample;
    if (isUtf8(complete)) return { encoding: readsAsGb18030(complete) ? 'gb18030' : 'utf8', sample };
    // Short GB18030 text can also be valid UTF-8 ("住院" is D7A1 D4BA): only UTF-8 Chinese counts as UTF-8.
    let utf8 = 0;
    let other = 0;
    for (const line of lines(complete)) {
      if (isUtf8Chinese(line)) utf8++;
      else if (!isUtf8(line)) other++;
    }
    return { encoding: utf8 > other ? 'utf8' : 'gb18030', sample };
  } finally {
    await fh.close();
  }
}

function* lines(buf: Buffer): Generator<Buffer> {
  for (let start = 0; start < buf.length; ) {
    const end = buf.indexOf(LF, start);
    const stop = end === -1 ? buf.length : end + 1;
    yield buf.subarray(start, stop);
    start = stop;
  }
}

export function decodeSample(sample: Buffer, encoding: Encoding): string {
  if (encoding === 'gb18030') return iconv.decode(sample, 'gb18030');
  return sample.toString('utf8').replace(/^\uFEFF/, '');
}

/** An invalid byte: makes the CSV reader reject the line as one in the wrong encoding. */
const WRONG_ENCODING_MARK = Buffer.from([0xff]);

/** GB18030 -> UTF-8, line by line where needed: a UTF-8 line is passed on marked, not decoded as GB18030. */
function gb18030ToUtf8(): Transform {
  let rest = Buffer.alloc(0);
  const convert = (buf: Buffer): Buffer => {
    const parts: Buffer[] = [];
    let from = 0;
    for (let start = 0; start < buf.length; ) {
      const end = buf.indexOf(LF, start);
      const stop = end === -1 ? buf.length : end + 1;
      const line = buf.subarray(start, stop);
      if (isUtf8Chinese(line)) {
        parts.push(Buffer.from(iconv.decode(buf.subarray(from, start), 'gb18030')), WRONG_ENCODING_MARK, line);
        from = stop;
      }
      start = stop;
    }
    parts.push(Buffer.from(iconv.decode(buf.subarray(from), 'gb18030')));
    return Buffer.concat(parts);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const cut = data.lastIndexOf(LF) + 1;
      rest = Buffer.from(data.subarray(cut));
      done(null, convert(data.subarray(0, cut)));
    },
    flush(done) {
      done(null, convert(rest));
    },
  });
}

export async function transcodeToUtf8(file: string, out: string): Promise<void> {
  await pipeline(createReadStream(file), gb18030ToUtf8(), createWriteStream(out));
}
