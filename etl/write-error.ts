// A load that cannot write (disk full, quota, file size limit, read-only or foreign data directory)
// ends with one sentence naming the directory and the cause, not Node's or DuckDB's error text.
import path from 'node:path';

/** `writing`: the cause only ever comes from a write. Permission errors also come from reading a
 * county file, so they count only for files in the data directory. */
const CAUSES: [codes: string[], text: RegExp, cause: string, writing: boolean][] = [
  [['ENOSPC'], /No space left on device/i, '磁盘已满 / the disk is full', true],
  [['EDQUOT'], /Disk quota exceeded/i, '磁盘配额已用完 / the disk quota is used up', true],
  [['EFBIG'], /File too large/i, '超出文件大小限制 / the file size limit (ulimit -f) is reached', true],
  [['EROFS'], /Read-only file system/i, '文件系统为只读 / the file system is read-only', true],
  [['EACCES', 'EPERM'], /Permission denied/i, '没有写权限 / no permission to write there', false],
];

/** The error as a one-line storage failure, or null when it is not one. `dir` is where the load writes. */
export function writeFailure(e: unknown, dir: string): Error | null {
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const message = String(err?.message ?? e);
  const found = CAUSES.find(([codes, text]) => (err?.code && codes.includes(err.code)) || text.test(message));
  if (!found) return null;
  // Node names the file it failed on; DuckDB quotes it ("Could not write file "/x/y": ...").
  const file = err.dest ?? err.path ?? /"(\/[^"]+)"/.exec(message)?.[1];
  const where = file ? path.dirname(file) : dir;
  if (!found[3] && path.resolve(where) !== path.resolve(dir)) return null;
  return new Error(`无法写入 ${where} / cannot write to ${where}: ${found[2]}; 现有数据未改动 / the live snapshot is unchanged`, { cause: e });
}
