// npm run bench -- <etl|scores|...>: benchmarks, kept out of npm test. Each prints its figures.
// `proof [name...]` takes the names after it as the proofs to run (tests/bench/proof/, all by default);
// `--scale S` (etl, api, submit, publish, firststart) runs on a smaller generated data set when scale 1 does not fit the time.
const benches: Record<string, (args: string[]) => Promise<unknown>> = {
  etl: async (args) => (await import('./etl.ts')).benchEtl(args),
  scores: async () => (await import('./scores.ts')).benchScores(),
  api: async (args) => (await import('./api.ts')).benchApi(args),
  web: async () => (await import('./web.ts')).benchWeb(),
  submit: async (args) => (await import('./submit.ts')).benchSubmit(args),
  publish: async (args) => (await import('./publish.ts')).benchPublish(args),
  firststart: async (args) => (await import('./firststart.ts')).benchFirstStart(args),
  soak: async (args) => (await import('./soak.ts')).benchSoak(args),
  proof: async (args) => (await import('./proof/index.ts')).benchProof(args),
};

const argv = process.argv.slice(2);
// Options (--name value) go to every benchmark; the rest are benchmark names (and proofs).
const options = argv.flatMap((a, i) => (a.startsWith('--') ? [a, argv[i + 1]] : []));
const args = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const proofAt = args.indexOf('proof');
const names = proofAt < 0 ? args : args.slice(0, proofAt + 1);
const unknown = names.filter((n) => !(n in benches));
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>...   (proof last, then optionally the proofs to run)`);
  process.exit(1);
}
for (const name of names) await benches[name](name === 'proof' ? args.slice(proofAt + 1) : options);
export {};
