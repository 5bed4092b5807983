// Vitest global setup: the run's scratch files (temporary directories of tests and helpers, browser
// profiles, the loader's staging directories of the servers and CLIs the tests start) go under one
// directory made for the run, removed when it ends. Workers and their children inherit TMPDIR, which
// os.tmpdir() reads; a crashed file or a killed child can no longer leave gigabytes in /tmp run after run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'uc-tests-'));
  process.env.TMPDIR = root;
  return () => rm(root, { recursive: true, force: true });
}
