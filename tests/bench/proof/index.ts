// npm run bench -- proof [name...]: the long proofs of issue 6, one module per file in this folder
// (each `export default async function` prints its figures and throws on a failed check). Modules are
// found by listing the folder, so a new proof needs no registration; they run in name order.
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const here = import.meta.dirname;

export async function proofNames(): Promise<string[]> {
  return (await readdir(here))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.slice(0, -3))
    .sort();
}

export async function benchProof(only: string[] = []): Promise<void> {
  const all = await proofNames();
  const unknown = only.filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`unknown proof ${unknown.join(', ')} (have: ${all.join(', ')})`);
  const failed: string[] = [];
  for (const name of only.length ? only : all) {
    console.log(`\n=== proof: ${name}`);
    const run = (await import(path.join(here, `${name}.ts`))).default as () => Promise<void>;
    try {
      await run();
      console.log(`=== ${name}: passed`);
    } catch (e) {
      // Run the other proofs anyway; fail at the end.
      console.error(`=== ${name}: FAILED: ${(e as Error).stack ?? e}`);
      failed.push(name);
    }
  }
  if (failed.length) throw new Error(`proofs failed: ${failed.join(', ')}`);
}
