// The etl programs as `npm run etl` runs them: compiled ahead by etl/compiled.mjs, not through tsx.
// In a copy of the checkout, the compiled CLI loads a file with the outcome of the CLI under tsx
// (finding sql/ and the reference files of its own checkout), keeps its copy while the sources stay
// as they are, and compiles again, running the change, as soon as one of them changes; where no copy can
// be kept, it runs the sources under tsx.
import { execFile as execFileCb } from 'node:child_process';
import { cp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';
import { tempDir } from '../helpers/tmp.ts';
import { query } from '../helpers/warehouse.ts';

const execFile = promisify(execFileCb);
const SAMPLE = path.join(repoRoot, 'fixtures', 'sample', 'mediation', 'mediation_2025.csv');

let dir: string;
let checkout: string;
let cache: string;

/** `node etl/compiled.mjs <args>` of the copied checkout: exit code, stdout, stderr. */
async function compiled(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return compiledWith(cache, ...args);
}

async function compiledWith(cacheDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFile(process.execPath, [path.join(checkout, 'etl', 'compiled.mjs'), ...args], {
      cwd: checkout,
      env: { ...process.env, UC_ETL_CACHE: cacheDir },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

const current = async () => JSON.parse(await readFile(path.join(cache, 'current.json'), 'utf8')) as { version: string; inputs: string[] };
const copies = async () => (await readdir(cache)).filter((n) => /^[0-9a-f]{16}$/.test(n)).sort();

/** What a load summary says of its files, without the times. */
const outcome = (stdout: string) =>
  (JSON.parse(stdout) as { files: { file: string; stream: string; read: number; accepted: number; rejected: number; replaced: number; unchanged: number }[] }).files.map(
    ({ stream, read, accepted, rejected, replaced, unchanged }) => ({ stream, read, accepted, rejected, replaced, unchanged }),
  );

beforeAll(async () => {
  dir = await tempDir('uc-compiled-');
  checkout = path.join(dir, 'checkout');
  for (const part of ['etl', 'core', 'sql', path.join('fixtures', 'reference'), 'package.json']) {
    await cp(path.join(repoRoot, part), path.join(checkout, part), { recursive: true });
  }
  await symlink(path.join(repoRoot, 'node_modules'), path.join(checkout, 'node_modules'));
  // Inside the copy, so that the compiled modules find its node_modules as the sources do.
  cache = path.join(checkout, '.etl-cache');
});

describe('the etl CLI compiled ahead (etl/compiled.mjs)', { timeout: 120_000 }, () => {
  it('loads a file with the outcome of the same CLI under tsx, reading the sql/ of its own checkout', async () => {
    const run = await compiled('cli', 'load', SAMPLE, '--warehouse', path.join(dir, 'compiled.duckdb'), '--json', '--report', path.join(dir, 'r1'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { stdout } = await execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'etl', 'cli.ts'), 'load', SAMPLE, '--warehouse', path.join(dir, 'tsx.duckdb'), '--json', '--report', path.join(dir, 'r2')],
      { cwd: repoRoot },
    );
    expect(outcome(run.stdout)).toEqual(outcome(stdout));
    expect(outcome(run.stdout)[0].accepted).toBeGreaterThan(0);
    const scores = `SELECT unit_code, period, indicator_set, composite FROM unit_score ORDER BY ALL`;
    const fromCompiled = await query(path.join(dir, 'compiled.duckdb'), scores);
    expect(fromCompiled.length).toBeGreaterThan(0);
    expect(fromCompiled).toEqual(await query(path.join(dir, 'tsx.duckdb'), scores));
    const inputs = (await current()).inputs;
    expect(inputs).toContain('etl/cli.ts');
    expect(inputs).toContain('etl/worker.ts');
    expect(inputs.every((f) => !f.startsWith('node_modules/'))).toBe(true);
  });

  it('keeps its copy while the sources it was built from stay as they are', async () => {
    const before = await current();
    const stamped = (await stat(path.join(cache, 'current.json'))).mtimeMs;
    const run = await compiled('cli');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm run etl -- load');
    expect(await current()).toEqual(before);
    expect((await stat(path.join(cache, 'current.json'))).mtimeMs).toBe(stamped);
    expect(await copies()).toEqual([before.version]);
  });

  it('compiles again when a source changes, and runs the changed code', async () => {
    const before = await current();
    const cli = path.join(checkout, 'etl', 'cli.ts');
    await writeFile(cli, (await readFile(cli, 'utf8')).replace('const usage = `usage:', 'const usage = `usage (changed):'));
    const run = await compiled('cli');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('usage (changed):');
    const after = await current();
    expect(after.version).not.toBe(before.version);
    // The older copy stays for a day: a run that started on it may still load its chunks.
    expect(await copies()).toEqual([before.version, after.version].sort());
  });

  it('runs from its sources under tsx where no copy can be kept', async () => {
    // A directory that cannot be made (its parent is a file) stands for a read-only install: as root, as
    // CI runs, permissions would not stop the write.
    const run = await compiledWith(path.join(checkout, 'package.json', 'cache'), 'cli');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm run etl -- load');
    expect(run.stderr).not.toContain('Error');
  });

  it('says how to call it when no program is named', async () => {
    const run = await compiled('no-such-program');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('usage: node etl/compiled.mjs cli|worker');
  });
});
