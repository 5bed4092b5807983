// The parts of an .xlsx (a zip archive), read from its central directory and inflated as streams, so a
// sheet is never held whole in memory. Every part is bounded by what it may inflate to: a zip bomb
// (a small file claiming or inflating to gigabytes) stops at the bound with a clear message.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A workbook has a few dozen parts; a directory claiming more is not one. */
const MAX_ENTRIES = 10_000;

const CHUNK = 1 << 20;

const size = (bytes: number) => (bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MB` : `${Math.round(bytes / 1024)} KB`);

export class ZipError extends Error {}

/** The entries of the zip `file` by name (central directory; zip64 and encrypted archives refused). */
export async function zipEntries(file: string): Promise<Map<string, ZipEntry>> {
  const fh = await open(file, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    const tailSize = Math.min(fileSize, 22 + 0xffff);
    const tail = Buffer.alloc(tailSize);
    await fh.read(tail, 0, tailSize, fileSize - tailSize);
    let at = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw new ZipError('no zip directory (truncated or not a zip file)');
    const count = tail.readUInt16LE(at + 10);
    const dirSize = tail.readUInt32LE(at + 12);
    const dirOffset = tail.readUInt32LE(at + 16);
    if (count > MAX_ENTRIES || dirOffset + dirSize > fileSize) throw new ZipError('damaged zip directory');
    const dir = Buffer.alloc(dirSize);
    await fh.read(dir, 0, dirSize, dirOffset);
    const entries = new Map<string, ZipEntry>();
    for (let p = 0, n = 0; n < count; n++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw new ZipError('damaged zip directory');
      const flags = dir.readUInt16LE(p + 8);
      const nameLength = dir.readUInt16LE(p + 28);
      const entry: ZipEntry = {
        name: dir.toString('utf8', p + 46, p + 46 + nameLength),
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        localOffset: dir.readUInt32LE(p + 42),
      };
      if (flags & 1) throw new ZipError('encrypted workbook: save it without a password');
      if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
        throw new ZipError('zip64 archive: larger than a county file can be');
      }
      entries.set(entry.name, entry);
      p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/**
 * The inflated bytes of `entry`, chunk by chunk; throws once more than `limit` bytes come out (whatever
 * size the directory declares). Breaking out of the loop closes the file.
 */
export async function* entryChunks(file: string, entry: ZipEntry, limit: number, what: string): AsyncGenerator<Buffer> {
  if (entry.size > limit) throw new ZipError(`${what} is larger than ${size(limit)} uncompressed`);
  const fh = await open(file, 'r');
  let start: number;
  try {
    const local = Buffer.alloc(30);
    await fh.read(local, 0, 30, entry.localOffset);
    if (local.readUInt32LE(0) !== LOCAL) throw new ZipError(`damaged zip entry ${entry.name}`);
    start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.compressedSize === 0) return;
  // 1 MB pieces: a sheet of tens of MB takes a few dozen trips to the thread pool, not hundreds.
  const raw = createReadStream(file, { start, end: start + entry.compressedSize - 1, highWaterMark: CHUNK });
  if (entry.method !== 0 && entry.method !== 8) {
    raw.destroy();
    throw new ZipError(`unsupported zip compression (method ${entry.method})`);
  }
  const source = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: CHUNK })) : raw;
  raw.on('error', (e) => source.destroy(e));
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) throw new ZipError(`${what} inflates to more than ${size(limit)} (a zip bomb?)`);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError(`damaged zip entry ${entry.name}: ${(e as Error).message}`);
  } finally {
    raw.destroy();
    source.destroy();
  }
}

/** A whole (small) entry as text. */
export async function entryText(file: string, entry: ZipEntry, limit: number, what: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of entryChunks(file, entry, limit, what)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
