// Temporary directories for tests: real files on disk, removed after the test file finishes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export async function tempDir(prefix = 'uc-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A CSV file from a header and rows of cells (quoted where needed). */
export async function writeCsv(file: string, header: string[], rows: (string | number)[][], opts: { bom?: boolean } = {}): Promise<string> {
  const q = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const text = [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
  await writeFile(file, (opts.bom ? '\uFEFF' : '') + text);
  return file;
}
