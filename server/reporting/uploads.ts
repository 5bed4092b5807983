// Receiving a county's file: streamed to disk under the uploads directory (never buffered, cut at the
// size limit), hashed on the way, and its type sniffed from the first bytes, not from its name: the
// stored copy is named for what it is, and the ETL chooses its reader by that name.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ApiError, badParameter } from '../plugins/errors.ts';

export const DEFAULT_UPLOAD_LIMIT = 20 * 1024 * 1024;

export type FileKind = 'xlsx' | 'xls' | 'csv';

export interface ReceivedUpload {
  /** the file as received, in the uploads directory under a temporary name */
  tmpPath: string;
  kind: FileKind;
  sha256: string;
  size: number;
  originalName: string;
  fields: Record<string, string>;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** What the content is: an XLSX (a zip), an Excel 97-2003 .xls (OLE2), text, or something else. */
export function sniff(head: Buffer): FileKind | 'binary' {
  if (head.subarray(0, 4).equals(ZIP)) return 'xlsx';
  // WPS's .et is OLE2 too: told apart by its name below, since its content is not what we read.
  if (head.subarray(0, 8).equals(OLE2)) return 'xls';
  // Text (UTF-8, GB18030, with or without BOM) has no NUL bytes; UTF-16 and binaries do.
  return head.includes(0) ? 'binary' : 'csv';
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Take the multipart body: field `file` (required) and the text fields. Answers 413 naming the limit,
 * 415 for content that is not an XLSX, an .xls or a CSV (and for a WPS .et), 400 for a missing file.
 */
export async function receiveUpload(request: FastifyRequest, dir: string, limit: number): Promise<ReceivedUpload> {
  if (!request.isMultipart()) {
    throw new ApiError(415, 'unsupported_media_type', 'send the file as multipart/form-data in the field "file"', 'file');
  }
  await mkdir(dir, { recursive: true });
  const fields: Record<string, string> = {};
  let received: Omit<ReceivedUpload, 'fields'> | null = null;
  const cleanup = () => (received ? rm(received.tmpPath, { force: true }) : Promise.resolve());
  try {
    for await (const part of request.parts({ limits: { fileSize: limit, files: 1, fields: 10, fieldSize: 1000 }})) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== 'file' || received) {
        part.file.resume();
        throw badParameter(part.fieldname, 'only one file, in the field "file"');
      }
      const tmpPath = path.join(dir, `.incoming-${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      let size = 0;
      received = { tmpPath, kind: 'csv', sha256: '', size: 0, originalName: part.filename || 'upload' };
      await pipeline(
        part.file,
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(tmpPath, { flags: 'wx' }),
      );
      if (part.file.truncated) {
        throw new ApiError(413, 'payload_too_large', `文件超过 ${mb(limit)} 的上限 / the file is larger than the limit of ${mb(limit)}`, 'file');
      }
      Object.assign(received, { sha256: hash.digest('hex'), size });
    }
    if (!received) throw badParameter('file', 'required: the multipart field "file" with the .xlsx, .xls or .csv file');
    const fh = await open(received.tmpPath, 'r');
    const head = Buffer.alloc(8);
    try {
      await fh.read(head, 0, 8, 0);
    } finally {
      await fh.close();
    }
    const kind = received.size === 0 ? 'binary' : sniff(head);
    if (kind === 'xls' && /\.et$/i.test(received.originalName)) {
      throw new ApiError(415, 'unsupported_media_type', '这是 WPS 表格 (.et) 文件，请另存为 .xlsx 后上传 / a WPS .et file: save it as .xlsx and upload again', 'file');
    }
    if (kind === 'binary') {
      throw new ApiError(415, 'unsupported_media_type', '只接受 .xlsx、.xls 或 CSV 文件 / only .xlsx and .xls workbooks and CSV text files are accepted', 'file');
    }
    // Named for what it is: the ETL picks its reader by the extension.
    const typed = `${received.tmpPath}.${kind}`;
    await rename(received.tmpPath, typed);
    received.tmpPath = typed;
    return { ...received, kind, fields };
  } catch (e) {
    await cleanup();
    const code = (e as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw badParameter('file', 'only one file per submission');
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw new ApiError(415, 'unsupported_media_type', 'send the file as multipart/form-data', 'file');
    throw e;
  }
}
