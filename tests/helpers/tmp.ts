// Temporary directories for tests: real files on disk, removed after the test file finishes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered as the file is collected: vitest ignores an afterAll registered later, from inside a
// beforeAll or a test, which is where tests make their directories.
afterAll(() => Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

export async function tempDir(prefix = 'uc-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A CSV file from a header and rows of cells (quoted where needed). */
export async function writeCsv(file: string, header: string[], rows: (string | number)[][], opts: { bom?: boolean } = {}): Promise<string> {
  const q = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const text = [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
  await writeFile(file, (opts.bom ? '\uFEFF' : '') + text);
  return file;
}
