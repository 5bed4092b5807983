// The ETL as data officers run it, for the fault tests and proofs: the CLI's command line (a child
// process that can be killed or limited), and a file's SHA-256 to show a live warehouse unchanged.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/paths.ts';

/** `npm run etl -- load <args>` as [node, ...argv], for spawn. */
export const etlLoadCommand = (...args: string[]): [string, ...string[]] => [
  process.execPath,
  '--import',
  'tsx',
  path.join(repoRoot, 'etl', 'cli.ts'),
  'load',
  ...args,
];

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}
