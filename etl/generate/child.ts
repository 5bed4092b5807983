// The generator in a process of its own, so that npm start's first load can read and load each file
// while the next ones are still being generated (generation is synchronous JavaScript; in the loading
// process it would stall the load and the server), one such process per part of the generation.
// Started by etl/first-load.ts with the options as the first message; sends each finished file, the
// progress and the end with the part's manifest.
import { generate, type GeneratedFile, type GenerateOptions, type Manifest } from './index.ts';

export type GenerateJob = Omit<GenerateOptions, 'onFile' | 'onProgress'>;

export type GenerateMessage =
  | { kind: 'file'; file: GeneratedFile }
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; manifest: Manifest }
  | { kind: 'failed'; error: string };

const send = (m: GenerateMessage, then?: () => void) => process.send!(m, undefined, {}, then);

let finished = false;
// The parent went away (Ctrl-C, a crash): nothing is waiting for these files any more.
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

process.once('message', (job: GenerateJob) => {
  generate({ ...job, onFile: (file) => send({ kind: 'file', file }), onProgress: (done, total) => send({ kind: 'progress', done, total }) }).then(
    (result) => ({ kind: 'done', manifest: result.manifest }) as const,
    (err: Error) => ({ kind: 'failed', error: err.message }) as const,
  ).then((last) => {
    finished = true;
    send(last, () => process.disconnect());
  });
});
