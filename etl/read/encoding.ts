// County offices save CSV as UTF-8 (with or without BOM) or, from older Excel and WPS, as GB18030/GBK.
// DuckDB reads UTF-8 only, so anything else is transcoded to a temporary UTF-8 file first.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

export type Encoding = 'utf8' | 'utf8-bom' | 'gb18030';

const SAMPLE_BYTES = 1 << 20;

/** Decide the encoding from the first megabyte: BOM, else strict UTF-8, else GB18030 (a superset of GBK). */
export async function detectEncoding(file: string): Promise<{ encoding: Encoding; sample: Buffer }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0);
    const sample = buf.subarray(0, bytesRead);
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8-bom', sample };
    // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes.
    const complete = bytesRead === SAMPLE_BYTES ? trimPartialUtf8(sample) : sample;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(complete);
      return { encoding: 'utf8', sample };
    } catch {
      return { encoding: 'gb18030', sample };
    }
  } finally {
    await fh.close();
  }
}

function trimPartialUtf8(buf: Buffer): Buffer {
  let end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i];
    if ((b & 0xc0) === 0xc0) return buf.subarray(0, end - i); // lead byte of a cut character
    if ((b & 0x80) === 0) break; // ASCII: nothing cut
  }
  return buf;
}

export function decodeSample(sample: Buffer, encoding: Encoding): string {
  if (encoding === 'gb18030') return iconv.decode(sample, 'gb18030');
  return sample.toString('utf8').replace(/^\uFEFF/, '');
}

export async function transcodeToUtf8(file: string, out: string): Promise<void> {
  await pipeline(createReadStream(file), iconv.decodeStream('gb18030'), iconv.encodeStream('utf8'), createWriteStream(out));
}
